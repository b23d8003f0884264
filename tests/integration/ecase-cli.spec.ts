/**
 * `npm run ecase:ingest`: the same intake from the command line, on the server's DATA_DIR while
 * the server runs; and the promise that a kill at any moment leaves the whole case or nothing.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { EcaseBuilder, makeTestPki, pseudoRandomFile, type TestPki } from '../helpers/ecase-builder.ts';
import { startMainProcess } from '../helpers/main-process.ts';
import { ApiClient, startTestServer } from '../helpers/server.ts';
import { ECASE_PACKAGE_DIR } from '../helpers/shared-material.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const samples = path.join(ECASE_PACKAGE_DIR, 'samples');
const sampleRoot = path.resolve(samples, '..', 'test-ca', 'root.pem');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-cli-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Resolves as soon as the first file lands in the store (or after a minute, when none does). */
async function untilStored(dataDir: string, before: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (storedOnDisk(dataDir).length <= before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2));
}

/**
 * Resolves once the import has staged at least `bytes` under DATA_DIR/staging. Validation stages
 * every entry as it checks it, and nothing is stored before every entry is checked, so the import
 * is then still validating.
 */
async function untilStaged(dataDir: string, bytes: number): Promise<void> {
  const dir = path.join(dataDir, 'staging');
  const staged = () => {
    if (!fs.existsSync(dir)) return 0;
    let total = 0;
    for (const name of fs.readdirSync(dir, { recursive: true }).map(String)) {
      try {
        const stat = fs.statSync(path.join(dir, name));
        if (stat.isFile()) total += stat.size;
      } catch {
        // Renamed or removed between the listing and the stat.
      }
    }
    return total;
  };
  const deadline = Date.now() + 60_000;
  while (staged() < bytes && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2));
}

/** The content-addressed files under DATA_DIR/files. */
function storedOnDisk(dataDir: string): string[] {
  const dir = path.join(dataDir, 'files');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => /[0-9a-f]{64}$/.test(f))
    .map((f) => path.basename(f));
}

function env(dataDir: string, roots = sampleRoot) {
  return { ...process.env, DATA_DIR: dataDir, ECASE_TRUST_ROOTS: roots, LOG_LEVEL: 'silent' };
}

/** A DATA_DIR as `npm run setup` leaves it: migrated, with the demo court (code 7511). */
function prepare(dataDir: string): string {
  const result = spawnSync(process.execPath, ['db/setup.ts'], { cwd: root, encoding: 'utf8', env: env(dataDir) });
  assert.equal(result.status, 0, result.stderr);
  return dataDir;
}

function ingest(dataDir: string, source: string, roots?: string) {
  const result = spawnSync(process.execPath, ['server/src/cli/ecase-ingest.ts', source], { cwd: root, encoding: 'utf8', env: env(dataDir, roots) });
  return { code: result.status, body: result.stdout ? JSON.parse(result.stdout) : null, stderr: result.stderr };
}

test('the command line ingests beside a running server and prints what the API would answer', async () => {
  const dataDir = path.join(tmp, 'beside');
  // On SQLite whatever EZAL_TEST_DATABASE says: the command line works on DATA_DIR's SQLite file beside the server.
  const server = await startTestServer({ DATA_DIR: dataDir, ECASE_TRUST_ROOTS: sampleRoot }, { dialect: 'sqlite' });
  try {
    const accepted = ingest(dataDir, path.join(samples, 'valid-small.zip'));
    assert.equal(accepted.code, 0, accepted.stderr);
    assert.equal(accepted.body.status, 'accepted');
    assert.equal(accepted.body.sheets, 24);
    assert.equal(ingest(dataDir, path.join(samples, 'valid-small.zip')).body.caseId, accepted.body.caseId, 'the same package again: the same case');

    const refused = ingest(dataDir, path.join(samples, 'invalid-mixed.zip'));
    assert.equal(refused.code, 1);
    assert.equal(refused.body.status, 'rejected');
    assert.equal(refused.body.problems.length, 6);

    const office = new ApiClient(server.url);
    await office.login('office');
    const inventory = await office.get(`/api/cases/${accepted.body.caseId}/inventory`);
    assert.equal(inventory.status, 200, 'the running server serves the case the command line imported');
    assert.equal(inventory.body.volumes.length, 2);
    const log = (await office.get('/api/ecases/ingestions')).body.ingestions.map((i: { outcome: string; via: string }) => `${i.via}:${i.outcome}`);
    assert.deepEqual(log, ['cli:rejected', 'cli:already_accepted', 'cli:accepted']);
  } finally {
    await server.close();
  }
});

test('a usage error exits 2 with a message', () => {
  const missing = spawnSync(process.execPath, ['server/src/cli/ecase-ingest.ts', path.join(tmp, 'nope.zip')], { cwd: root, encoding: 'utf8', env: env(path.join(tmp, 'usage')) });
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /no such file or folder/);
});

describe('killed in the middle of an import', () => {
  let pki: TestPki;
  let big: string;
  let rootsFile: string;
  let fullRunMs: number;

  before(async () => {
    pki = await makeTestPki();
    rootsFile = path.join(tmp, 'roots.pem');
    fs.writeFileSync(rootsFile, pki.root.pem);
    const builder = await EcaseBuilder.create(pki, { volumes: 8, documentsPerVolume: 40, signedDocuments: 'first' });
    // Large media files make the storing phase long enough to be hit by a kill.
    for (let i = 0; i < 4; i++) {
      const file = `media/recording-${i}.webm`;
      builder.files.set(file, pseudoRandomFile(24 * 1024 * 1024, i + 1));
      builder.manifest.volumes[0].documents.push({ id: `m${i + 10}`, kind: 'media', type: 'video_record', title: `Запись ${i}`, file, sha256: '', mimeType: 'video/webm' });
    }
    builder.rehash();
    big = await builder.writeZip(path.join(tmp, 'big.zip'), { compress: false });

    const started = performance.now();
    const reference = ingest(prepare(path.join(tmp, 'reference')), big, rootsFile);
    fullRunMs = performance.now() - started;
    assert.equal(reference.code, 0, JSON.stringify(reference.body) + reference.stderr);
  });

  /**
   * Starts an import, kills it when `killWhen` says so, lets the next start recover, and returns
   * what the court then has.
   */
  async function killAndRecover(name: string, killWhen: (dataDir: string, filesBefore: number) => Promise<void>): Promise<{ outcome: 'nothing' | 'whole'; filesBeforeRecovery: number }> {
    const dataDir = prepare(path.join(tmp, name));
    // The demo case's own large files are on disk already; only the package's count.
    const filesBefore = storedOnDisk(dataDir).length;
    const child = spawn(process.execPath, ['server/src/cli/ecase-ingest.ts', big], { cwd: root, env: env(dataDir, rootsFile), stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await Promise.race([killWhen(dataDir, filesBefore), exited]);
    child.kill('SIGKILL');
    await exited;
    const filesBeforeRecovery = storedOnDisk(dataDir).length - filesBefore;
    return { outcome: await recoverAndInspect(dataDir), filesBeforeRecovery };
  }

  /** Starts the server on `dataDir` (its start-up recovers), stops it, and checks what the court has. */
  async function recoverAndInspect(dataDir: string): Promise<'nothing' | 'whole'> {
    // SQLite: the recovery is checked in DATA_DIR's SQLite file, which the killed command line wrote.
    const server = await startTestServer({ DATA_DIR: dataDir, ECASE_TRUST_ROOTS: rootsFile }, { dialect: 'sqlite' });
    await server.close();

    const db = new Database(path.join(dataDir, 'ezal.sqlite'), { readonly: true });
    try {
      const imported = (db.prepare('select count(*) as n from case_packages').get() as { n: number }).n;
      // The demo case's own case file (db/demo-case-file.ts) aside: only what the package brought.
      const documents = (db.prepare("select count(*) as n from documents where case_id not in (select id from cases where case_number = '7511-26-00-1/245')").get() as { n: number }).n;
      const referenced = new Set((db.prepare('select sha256 from stored_files').all() as { sha256: string }[]).map((r) => r.sha256));
      const notInline = (db.prepare('select sha256 from stored_files where content is null').all() as { sha256: string }[]).map((r) => r.sha256);
      const onDisk = storedOnDisk(dataDir);
      assert.deepEqual(fs.readdirSync(path.join(dataDir, 'staging')), [], 'no staging left');
      assert.deepEqual(
        onDisk.filter((f) => !referenced.has(f)),
        [],
        'no file without a row',
      );
      assert.deepEqual(
        notInline.filter((f) => !onDisk.includes(f)),
        [],
        'no row without its content',
      );
      if (imported === 0) {
        assert.equal(documents, 0, 'no half-imported documents');
        return 'nothing';
      }
      assert.equal(documents, 8 * 40 + 1 + 4, 'every document of the case');
      return 'whole';
    } finally {
      db.close();
    }
  }

  const afterMs = (ms: number) => () => new Promise<void>((resolve) => setTimeout(resolve, ms));

  test('killed while validating: nothing of the package stays', async () => {
    for (const fraction of [0.25, 0.5]) {
      const { outcome, filesBeforeRecovery } = await killAndRecover(`validating-${fraction}`, (dataDir) => untilStaged(dataDir, fs.statSync(big).size * fraction));
      assert.equal(filesBeforeRecovery, 0, 'the kill came while validating, before anything was stored');
      assert.equal(outcome, 'nothing');
    }
  });

  test('killed while its files are being stored, before the commit: the sweep removes them', async () => {
    const firstStoredFile = (dataDir: string, filesBefore: number) => untilStored(dataDir, filesBefore);
    const { outcome, filesBeforeRecovery } = await killAndRecover('storing', firstStoredFile);
    assert.equal(outcome, 'nothing');
    assert.ok(filesBeforeRecovery > 0, 'the kill came after files were stored, so the sweep had work to do');
  });

  test('killed at the very end: whole or nothing, never in between', async () => {
    const { outcome } = await killAndRecover('end', afterMs(fullRunMs * 0.97));
    assert.ok(['nothing', 'whole'].includes(outcome));
  });

  test('the server killed while storing an upload: after its restart, nothing of the package stays', async () => {
    const dataDir = prepare(path.join(tmp, 'server-kill'));
    const filesBefore = storedOnDisk(dataDir).length;
    const token = spawnSync(process.execPath, ['server/src/cli/admin.ts', 'token:create', 'erdr'], { cwd: root, encoding: 'utf8', env: env(dataDir) }).stdout.trim();
    const server = await startMainProcess({ DATA_DIR: dataDir, ECASE_TRUST_ROOTS: rootsFile, MEDIA_WORKERS: '0' });
    const upload = fetch(`${server.url}/api/ecases`, {
      method: 'POST',
      headers: { 'content-type': 'application/zip', authorization: `Bearer ${token}` },
      body: new Uint8Array(fs.readFileSync(big)),
    }).catch(() => 'connection lost');
    try {
      await untilStored(dataDir, filesBefore);
    } finally {
      server.child.kill('SIGKILL');
      await server.exited;
    }
    assert.equal(await upload, 'connection lost', 'the upload got no answer: the server died before committing');
    assert.ok(storedOnDisk(dataDir).length > filesBefore, 'the kill came after files of the package were stored');
    assert.equal(await recoverAndInspect(dataDir), 'nothing');
  });
});

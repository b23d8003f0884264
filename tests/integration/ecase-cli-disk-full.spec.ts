/**
 * `npm run ecase:ingest` when the court's disk is full: a JSON answer with
 * `storage_unavailable` and its own exit code (3, docs/ecase-intake.md) instead of a stack trace
 * or a package refused for the court's fault, and nothing left behind: no staging folder, no
 * stored file, no row. Freed, the same package is accepted. DATA_DIR is a small disk of its own
 * (helpers/small-disk.ts) that a long-running process keeps the database open on, as the server would.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { EcaseBuilder, makeTestPki, pseudoRandomFile } from '../helpers/ecase-builder.ts';
import { SmallDisk } from '../helpers/small-disk.ts';

const disk = await SmallDisk.mount(24);
const skip = 'skip' in disk ? disk.skip : false;
const EXIT_STORAGE_FAILED = 3;

describe('the intake command on a full disk', { skip }, () => {
  const small = disk as SmallDisk;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-cli-full-'));
  const env = () => ({ ...process.env, DATA_DIR: small.dir, ECASE_TRUST_ROOTS: path.join(tmp, 'roots.pem'), LOG_LEVEL: 'silent' });
  let zip: string;
  let reader: ChildProcess;

  const ingest = () => {
    const [command, ...args] = [...small.command(), process.execPath, 'server/src/cli/ecase-ingest.ts', zip];
    const result = spawnSync(command, args, { encoding: 'utf8', env: env() });
    let body: { status: string; error?: { code: string; message: string } } | null = null;
    try {
      body = JSON.parse(result.stdout);
    } catch {
      // Asserted below: the answer must be JSON.
    }
    return { code: result.status, body, stdout: result.stdout, stderr: result.stderr };
  };
  /** What the court holds: staging folders, stored files on disk, rows. */
  const holdings = () => {
    const listing = (dir: string) => (fs.existsSync(small.hostPath(dir)) ? fs.readdirSync(small.hostPath(dir), { recursive: true }).map(String).sort() : []);
    const rows = small.runNode(
      `import Database from 'better-sqlite3';
       const sqlite = new Database(process.env.DB, { readonly: true });
       const count = (table) => sqlite.prepare('select count(*) as n from ' + table).get().n;
       console.log(JSON.stringify({ cases: count('cases'), ingestions: count('ingestions'), storedFiles: count('stored_files') }));`,
      { DB: `${small.dir}/ezal.sqlite` },
    );
    return { staging: listing('staging'), files: listing('files'), rows: JSON.parse(rows) as Record<string, number> };
  };

  before(async () => {
    const pki = await makeTestPki();
    fs.writeFileSync(path.join(tmp, 'roots.pem'), pki.root.pem);
    const builder = await EcaseBuilder.create(pki, { volumes: 1, documentsPerVolume: 2 });
    // Larger than the space left in the second case: the disk fills while it is staged.
    builder.files.set('media/recording.webm', pseudoRandomFile(4 * 1024 * 1024, 7));
    builder.manifest.volumes[0].documents.push({ id: 'm9', kind: 'media', type: 'video_record', title: 'Запись', file: 'media/recording.webm', sha256: '', mimeType: 'video/webm' });
    builder.rehash();
    zip = await builder.writeZip(path.join(tmp, 'package.zip'), { compress: false });

    const [command, ...args] = [...small.command(), process.execPath, 'db/setup.ts'];
    const setup = spawnSync(command, args, { encoding: 'utf8', env: env() });
    assert.equal(setup.status, 0, setup.stderr);
    // The database open elsewhere (its WAL index made), as it is while the server runs.
    const [readerCommand, ...readerArgs] = [
      ...small.command(),
      process.execPath,
      '--input-type=module',
      '-e',
      `import Database from 'better-sqlite3';
       const sqlite = new Database(process.env.DATA_DIR + '/ezal.sqlite');
       sqlite.prepare('select count(*) from cases').get();
       console.log('open');
       process.stdin.resume();
       process.stdin.on('end', () => { sqlite.close(); process.exit(0); });`,
    ];
    reader = spawn(readerCommand, readerArgs, { env: env(), stdio: ['pipe', 'pipe', 'inherit'] });
    await new Promise((resolve) => reader.stdout!.once('data', resolve));
  });

  after(async () => {
    if (reader && reader.exitCode === null) {
      const exited = new Promise((resolve) => reader.once('exit', resolve));
      reader.stdin!.end();
      await exited;
    }
    await small.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const assertStorageFailure = (result: ReturnType<typeof ingest>) => {
    assert.ok(result.body, `JSON on stdout, got: ${result.stdout}${result.stderr}`);
    assert.equal(result.code, EXIT_STORAGE_FAILED, result.stdout + result.stderr);
    assert.equal(result.body.status, 'failed');
    assert.equal(result.body.error?.code, 'storage_unavailable');
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  };

  test('a disk already full: JSON storage_unavailable, exit 3, nothing left behind', () => {
    const before = holdings();
    small.fill();
    try {
      assertStorageFailure(ingest());
      assert.deepEqual(holdings(), before);
    } finally {
      small.free();
    }
  });

  test('a disk that fills while the package is staged: the same, not a refused package', () => {
    const before = holdings();
    small.fill(1024 * 1024);
    try {
      assertStorageFailure(ingest());
      assert.deepEqual(holdings(), before);
    } finally {
      small.free();
    }
  });

  test('freed, the same package is accepted', () => {
    const result = ingest();
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.equal(result.body?.status, 'accepted');
    const after = holdings();
    assert.deepEqual(after.staging, []);
    assert.equal(after.rows.cases, 2, 'the demo case and this one');
  });
});

/**
 * Moving a court from the embedded default to the cluster (issue 20, docs/deployment.md): the real
 * server runs on SQLite with the demo court, people work in it (log in, open the hearing, add a
 * mark, read a document), it stops; `npm run court:move` (its script, as a process) copies the
 * court into an empty private PostgreSQL database and its files into a private object store; the
 * server started on PostgreSQL and the object store (the same EZAL_SECRET, a fresh DATA_DIR) shows
 * the same court: cases, the hearing's state, version and log, logins with the old passwords, an
 * audit chain that verifies, a document's bytes, the case file's text and the acts found again
 * once the indexers have rebuilt them. A second move into the same database is refused.
 *
 * Always SQLite then PostgreSQL, whatever EZAL_TEST_DATABASE says: the move is between the two.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { closeAll, dataOf, demoHearing, inStep, workstation, type DemoHearing, type Workstation } from '../helpers/hall.ts';
import { startPrivateObjectStore, type PrivateObjectStore } from '../helpers/object-store.ts';
import { ApiClient, freshPostgresDatabase, startTestServer, type TestServer } from '../helpers/server.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SECRET = 'court-move-test-secret-0123456789abcdef';
const BUCKET = 'ezal-moved-court';

/** `npm run court:move -- …` without npm: the same script, as a process of its own. */
function courtMove(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, [path.join(root, 'server/src/cli/court-move.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

type Seen = {
  cases: unknown;
  hearing: { status: string; stage: string | null; version: number };
  log: { version: number; type: string; text?: string }[];
  documentUrl: string;
  documentSha256: string;
  coverage: unknown;
  auditRows: number;
  acts: { id: string; indexed: boolean }[];
};

const sha256 = (bytes: Buffer) => crypto.createHash('sha256').update(bytes).digest('hex');

async function documentBytes(client: ApiClient, url: string): Promise<{ status: number; bytes: Buffer }> {
  const response = await fetch(client.baseUrl + url, { headers: { cookie: client.cookieHeader } });
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()) };
}

/** What the judge sees of the demo case and its hearing. */
async function whatTheJudgeSees(demo: DemoHearing, judge: Workstation): Promise<Omit<Seen, 'documentUrl' | 'documentSha256' | 'auditRows'>> {
  const state = judge.follower.replica.state!;
  const history = dataOf(await judge.follower.history({ limit: 100 }));
  const acts = (await judge.api.get(`/api/cases/${demo.caseId}/acts`)).body.acts as { id: string; indexed: boolean }[];
  return {
    cases: (await judge.api.get('/api/cases')).body,
    hearing: { status: state.status, stage: state.stage, version: state.version },
    log: history.events.map((event) => ({ version: event.version, type: event.type, ...(event.type === 'mark.added' ? { text: event.payload.text } : {}) })),
    coverage: (await judge.api.get(`/api/cases/${demo.caseId}/search?q=${encodeURIComponent('суд')}`)).body.coverage,
    acts: acts.map((act) => ({ id: act.id, indexed: act.indexed })),
  };
}

describe('a court moved from SQLite to PostgreSQL and the object store', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-move-from-'));
  const clusterDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-move-to-'));
  let store: PrivateObjectStore;
  let databaseUrl: string;
  let demo: DemoHearing;
  let before_: Seen;
  let moved: { status: number | null; stdout: string; stderr: string };
  let server: TestServer | undefined;
  let stations: Workstation[] = [];

  before(async () => {
    // The server reads EZAL_SECRET from its process's environment (server/src/secrets.ts): both runs get the court's one.
    process.env.EZAL_SECRET = SECRET;
    const storeStarted = startPrivateObjectStore();
    // The embedded court: SQLite in DATA_DIR, files in DATA_DIR/files, the demo data.
    const embedded = await startTestServer({ DATA_DIR: dataDir }, { dialect: 'sqlite' });
    try {
      demo = demoHearing(embedded.sqlite!);
      const [judge, secretary] = await Promise.all(['judge', 'secretary'].map((u) => workstation(embedded.url, u, demo.hearingId)));
      stations = [judge!, secretary!];
      await Promise.all(stations.map((s) => inStep(s)));
      dataOf(await judge!.follower.send('hearing:open', {}));
      dataOf(await secretary!.follower.send('attendance:record', { participantId: demo.participants.defendant, attendance: 'present' }));
      const { version } = dataOf(await secretary!.follower.send('mark:add', { text: 'Подсудимый доставлен конвоем' }));
      await judge!.follower.reached(version);
      await embedded.textIndex.idle();
      const inventory = (await judge!.api.get(`/api/cases/${demo.caseId}/inventory`)).body as { volumes: { documents: { id: string }[] }[] };
      const document = inventory.volumes.flatMap((volume) => volume.documents)[0]!;
      const documentUrl = `/api/cases/${demo.caseId}/documents/${document.id}/content`;
      const read = await documentBytes(judge!.api, documentUrl);
      assert.equal(read.status, 200);
      const admin = new ApiClient(embedded.url);
      await admin.login('admin');
      const chain = (await admin.get('/api/admin/audit-chain')).body as { ok: boolean; rows: number };
      assert.equal(chain.ok, true, 'the chain is whole before the move');
      before_ = { ...(await whatTheJudgeSees(demo, judge!)), documentUrl, documentSha256: sha256(read.bytes), auditRows: chain.rows };
    } finally {
      closeAll(stations);
      stations = [];
      await embedded.close();
    }
    store = await storeStarted;
    databaseUrl = await freshPostgresDatabase();
    moved = courtMove(['--from', dataDir, '--to-database', databaseUrl], store.env(BUCKET));
  });
  after(async () => {
    delete process.env.EZAL_SECRET;
    closeAll(stations);
    await server?.close();
    await store?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(clusterDataDir, { recursive: true, force: true });
  });

  test('the move copies every table and uploads the files', (t) => {
    assert.equal(moved.status, 0, `${moved.stdout}\n${moved.stderr}`);
    t.diagnostic(moved.stdout.split('\n').find((line) => line.startsWith('moved ')) ?? '');
    assert.match(moved.stdout, /files: \d+ uploaded to bucket ezal-moved-court/);
    assert.match(moved.stdout, /audit_log: \d+ rows/);
    assert.match(moved.stdout, /hearing_events: 3 rows/);
  });

  test('the server on PostgreSQL shows the same court: cases, hearing, log, logins, audit chain, documents, search', async () => {
    assert.equal(moved.status, 0, moved.stderr);
    server = await startTestServer({ DATA_DIR: clusterDataDir, DATABASE_URL: databaseUrl, EZAL_SECRET: SECRET, EZAL_DEMO: 'false', ...store.env(BUCKET) }, { dialect: 'postgres' });
    assert.equal(server.sqlite, null, 'on PostgreSQL');
    // The old password logs in (the hash was moved); a new login is audited, so the identity sequence was moved past the copied ids.
    const judge = await workstation(server.url, 'judge', demo.hearingId);
    stations.push(judge);
    await inStep(judge);
    const now = await whatTheJudgeSees(demo, judge);
    assert.deepEqual(now.cases, before_.cases, 'the same cases');
    assert.deepEqual(now.hearing, before_.hearing, 'the same hearing state and version');
    assert.equal(before_.hearing.status, 'in_progress');
    assert.deepEqual(now.log, before_.log, 'the same log');
    assert.ok(now.log.some((event) => event.text === 'Подсудимый доставлен конвоем'));

    // The hearing goes on where it was: the next command takes the next version.
    const secretary = await workstation(server.url, 'secretary', demo.hearingId);
    stations.push(secretary);
    await inStep(secretary);
    const { version } = dataOf(await secretary.follower.send('mark:add', { text: 'Заседание продолжено в кластере' }));
    assert.equal(version, before_.hearing.version + 1);

    const read = await documentBytes(judge.api, before_.documentUrl);
    assert.equal(read.status, 200);
    assert.equal(sha256(read.bytes), before_.documentSha256, "the document's bytes, from the object store");

    const admin = new ApiClient(server.url);
    await admin.login('admin');
    const chain = (await admin.get('/api/admin/audit-chain')).body as { ok: boolean; rows: number; problems: unknown[]; lastCheckpoint: { signatureValid: boolean } | null };
    assert.equal(chain.ok, true, JSON.stringify(chain.problems));
    assert.ok(chain.rows > before_.auditRows, `${chain.rows} rows: the moved ones and the new logins`);
    assert.equal(chain.lastCheckpoint?.signatureValid, true, 'the checkpoints signed on SQLite verify under the same secret');

    // The search indexes are rebuilt on PostgreSQL by the indexers.
    await server.textIndex.idle();
    const coverage = (await judge.api.get(`/api/cases/${demo.caseId}/search?q=${encodeURIComponent('суд')}`)).body.coverage;
    assert.ok((before_.coverage as { indexed: number }).indexed > 0, `indexed on SQLite: ${JSON.stringify(before_.coverage)}`);
    assert.deepEqual(coverage, before_.coverage, "the case file's text indexed again");
    let acts: { id: string; indexed: boolean }[] = [];
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      acts = (await judge.api.get(`/api/cases/${demo.caseId}/acts`)).body.acts;
      if (acts.every((act) => act.indexed)) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.deepEqual(
      acts.map((act) => act.id),
      before_.acts.map((act) => act.id),
      'the same acts',
    );
    assert.ok(acts.length > 0 && acts.every((act) => act.indexed), `the acts indexed again: ${JSON.stringify(acts)}`);
  });

  test('a second move into the same database is refused and changes nothing', async () => {
    const again = courtMove(['--from', dataDir, '--to-database', databaseUrl], {});
    assert.equal(again.status, 1, `${again.stdout}\n${again.stderr}`);
    assert.match(again.stderr, /refused: the target database is not empty \(rows in [a-z_, ]+\)/);
    const judge = new ApiClient(server!.url);
    await judge.login('judge');
    assert.deepEqual((await judge.get('/api/cases')).body, before_.cases);
  });
});

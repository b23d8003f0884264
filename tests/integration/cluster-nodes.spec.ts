/**
 * Two e-Zal nodes on one PostgreSQL database and one Redis — the clustered form of issue 20, as a
 * court runs it (DATABASE_URL and REDIS_URL set, nothing else shared). Each node is the real server
 * (`startServer`, what `npm start` runs), in this process, on its own port and data folder:
 * - both start together on an empty database, and both come up (migrations under a lock);
 * - a package ingested on A is served by B, by byte ranges, from the object store;
 * - a page turned on B reaches a follower on A, through Redis;
 * - 200 marks sent to A and 200 to B at the same moment: the hearing's versions run on with no
 *   gap and no refusal (each command takes the hearing's row), and every follower on either node
 *   ends with exactly the state a newcomer is given.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { and, asc, eq } from 'drizzle-orm';
import { pino } from 'pino';
import type { Database } from '../../db/database.ts';
import { loadConfig } from '../../server/src/config.ts';
import { startServer, type RunningServer } from '../../server/src/server.ts';
import { closeAll, dataOf, demoHearing, inStep, until, workstation, type Workstation } from '../helpers/hall.ts';
import { startPrivatePostgres, type PrivatePostgres } from '../helpers/postgres.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';
import { ingestAsOffice } from '../helpers/ingest.ts';
import { startPrivateObjectStore, type PrivateObjectStore } from '../helpers/object-store.ts';
import { ApiClient } from '../helpers/server.ts';
import { ECASE_PACKAGE_DIR } from '../helpers/shared-material.ts';

const SAMPLE = path.join(ECASE_PACKAGE_DIR, 'samples', 'valid-small.zip');
const SAMPLE_ROOT = path.join(ECASE_PACKAGE_DIR, 'test-ca', 'root.pem');

type Node = RunningServer & { dataDir: string };

async function startNode(name: string, env: Record<string, string>): Promise<Node> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `ezal-node-${name}-`));
  const config = loadConfig({ DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', MEDIA_WORKERS: '0', NODE_NAME: name, SOCKET_COMMAND_RATE: '1000', LOG_LEVEL: 'silent', ...env });
  const server = await startServer(config, pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }));
  return { ...server, dataDir };
}

async function stopNode(node: Node | undefined): Promise<void> {
  if (!node) return;
  await node.close();
  fs.rmSync(node.dataDir, { recursive: true, force: true });
}

/** The demo hearing, its prosecutor, and a document with sheets to show. */
async function demoOf(database: Database): Promise<{ hearingId: string; prosecutor: string; document: string }> {
  const { hearingId, caseId, participants } = await demoHearing(database);
  const { documents } = database.tables;
  const [document] = await database.db
    .select({ id: documents.id })
    .from(documents)
    .where(and(eq(documents.caseId, caseId), eq(documents.kind, 'pdf')))
    .orderBy(asc(documents.position))
    .limit(1);
  return { hearingId, prosecutor: participants.prosecutor, document: document!.id };
}

describe('two nodes on one PostgreSQL and one Redis', () => {
  let postgres: PrivatePostgres;
  let redis: TestRedis;
  let objects: PrivateObjectStore;
  let a: Node | undefined;
  let b: Node | undefined;
  let demo: Awaited<ReturnType<typeof demoOf>>;
  const stations: Workstation[] = [];

  before(async () => {
    // One after another: three servers starting at once on two cores can miss each other's start-up limits.
    postgres = await startPrivatePostgres();
    redis = await startRedis();
    objects = await startPrivateObjectStore();
  });

  after(async () => {
    closeAll(stations);
    await stopNode(a);
    await stopNode(b);
    await redis?.close();
    await objects?.stop();
    postgres?.stop();
  });

  test('both nodes, started together on an empty database, come up and serve the same court', async () => {
    const env = {
      DATABASE_URL: postgres.url,
      REDIS_URL: redis.url,
      ...objects.env('ezal-court'),
      EZAL_SECRET: 'a-court-secret-shared-by-every-node-0123456789',
      ECASE_TRUST_ROOTS: SAMPLE_ROOT,
      FILES_INLINE_MAX_KB: '0',
    };
    [a, b] = await Promise.all([startNode('a', env), startNode('b', env)]);
    for (const node of [a, b]) assert.equal((await fetch(`${node.url}/api/health`)).status, 200);
    demo = await demoOf(a.db);
    assert.deepEqual(await demoOf(b.db), demo, 'one court, one demo hearing: the demo data was loaded once');
  });

  test('a package ingested on A is served by B, by byte ranges, the very bytes signed', async () => {
    const { caseId } = await ingestAsOffice(a!.url, SAMPLE);
    const onB = new ApiClient(b!.url);
    await onB.login('office');
    const document = (await onB.get(`/api/cases/${caseId}/inventory`)).body.volumes[0].documents[2] as { id: string; sha256: string };
    const url = `${b!.url}/api/cases/${caseId}/documents/${document.id}/content`;
    const whole = Buffer.from(await (await fetch(url, { headers: { cookie: onB.cookieHeader } })).arrayBuffer());
    assert.equal(crypto.createHash('sha256').update(whole).digest('hex'), document.sha256);
    const part = await fetch(url, { headers: { cookie: onB.cookieHeader, range: 'bytes=100-1123' } });
    assert.equal(part.status, 206);
    assert.equal(part.headers.get('content-range'), `bytes 100-1123/${whole.length}`);
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), whole.subarray(100, 1124));
  });

  test('a page turned on B reaches the defence following on A', async () => {
    const judge = await workstation(b!.url, 'judge', demo.hearingId);
    const prosecutor = await workstation(b!.url, 'prosecutor', demo.hearingId);
    const defender = await workstation(a!.url, 'defender', demo.hearingId);
    stations.push(judge, prosecutor, defender);
    await Promise.all(stations.map((s) => inStep(s)));
    dataOf(await judge.follower.send('hearing:open', {}));
    dataOf(await judge.follower.send('hearing:move-stage', { to: 'investigation' }));
    dataOf(await judge.follower.send('floor:give', { to: { kind: 'participant', participantId: demo.prosecutor } }));
    const { version } = dataOf(await prosecutor.follower.send('presenter:show', { documentId: demo.document, page: 2, zoom: 1 }));
    await defender.follower.reached(version, 10_000);
    assert.equal(defender.follower.replica.state!.shown?.documentId, demo.document);
    assert.equal(defender.follower.replica.state!.shown?.page, 2);
    assert.deepEqual(defender.follower.replica.state, judge.follower.replica.state, 'the defence on A holds what the judge on B holds');
  });

  test('200 marks sent to A and 200 to B at the same moment: no gap, none refused, every follower equal to the stored state', async () => {
    const onA = await workstation(a!.url, 'secretary', demo.hearingId);
    const onB = await workstation(b!.url, 'secretary', demo.hearingId);
    stations.push(onA, onB);
    await Promise.all([onA, onB].map((s) => inStep(s)));
    const before = onA.follower.replica.version!;
    const marks = Array.from({ length: 200 }, (_, i) => i);
    const answers = await Promise.all([...marks.map((i) => onA.follower.send('mark:add', { text: `A ${i}` })), ...marks.map((i) => onB.follower.send('mark:add', { text: `B ${i}` }))]);
    const versions = answers.map((answer) => dataOf(answer).version).sort((x, y) => x - y);
    assert.deepEqual(
      versions,
      Array.from({ length: 400 }, (_, i) => before + i + 1),
      'each mark its own version, one after another',
    );

    // The log as stored: every version from 1 on, once; the 400 marks among them.
    const { hearingEvents } = a!.db.tables;
    const stored = await a!.db.db
      .select({ version: hearingEvents.version, type: hearingEvents.type })
      .from(hearingEvents)
      .where(eq(hearingEvents.hearingId, demo.hearingId))
      .orderBy(asc(hearingEvents.version));
    assert.deepEqual(
      stored.map((e) => e.version),
      Array.from({ length: before + 400 }, (_, i) => i + 1),
    );
    assert.equal(stored.filter((e) => e.type === 'mark.added').length, 400);

    // A newcomer on either node is given the stored state; everyone already following reaches it.
    const newcomer = await workstation(b!.url, 'judge', demo.hearingId);
    stations.push(newcomer);
    await inStep(newcomer, before + 400);
    const last = before + 400;
    await until(() => stations.every((s) => s.follower.replica.version === last), 15_000);
    for (const station of stations) assert.deepEqual(station.follower.replica.state, newcomer.follower.replica.state, `${station.username} holds the stored state`);
  });
});

/**
 * Two e-Zal nodes of one court — one PostgreSQL database (DATABASE_URL), one Redis (REDIS_URL) —
 * as a court runs them: what happens on one reaches the people on the other — a page change, the
 * wall screen's copy of it, a logout, the situation centre, presence — and the login limit counts
 * failures on both. Then Redis stops for 10 s in the middle of a hearing: commands still commit and
 * are acknowledged, the people on the node that took them stay in step, and those on the other
 * node catch up once Redis is back.
 *
 * Both nodes are the real server (`startServer`, what `npm start` runs) in this process, each with
 * its own port and data folder. What crosses between them goes only through PostgreSQL and Redis.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { and, eq } from 'drizzle-orm';
import { pino } from 'pino';
import type { Database } from '../../db/database.ts';
import { io as connect } from 'socket.io-client';
import { loadConfig } from '../../server/src/config.ts';
import { startServer, type RunningServer } from '../../server/src/server.ts';
import { closeAll, dataOf, demoHearing, inStep, until, workstation, type DemoHearing, type Workstation } from '../helpers/hall.ts';
import { startPrivatePostgres, type PrivatePostgres } from '../helpers/postgres.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';
import { ApiClient } from '../helpers/server.ts';

type Node = RunningServer & { logs: () => string[] };

const dataDirs: string[] = [];

/** The demo hearing with its parties, and the demo case file's expert opinion (sheets to show). */
async function demoOf(database: Database): Promise<{ demo: DemoHearing; file: { expertOpinion: string } }> {
  const demo = await demoHearing(database);
  const { documents } = database.tables;
  const [opinion] = await database.db
    .select({ id: documents.id })
    .from(documents)
    .where(and(eq(documents.caseId, demo.caseId), eq(documents.sourceId, 'd4')));
  return { demo, file: { expertOpinion: opinion!.id } };
}

/** A node with a data folder of its own, its log kept for the test to read. */
async function startNode(name: string, env: Record<string, string>): Promise<Node> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `ezal-cluster-${name}-`));
  dataDirs.push(dataDir);
  const lines: string[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
  const config = loadConfig({ DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', MEDIA_WORKERS: '0', NODE_NAME: name, TRUST_PROXY: '1', SOCKET_COMMAND_RATE: '1000', ...env });
  const server = await startServer(config, log);
  return { ...server, logs: () => lines };
}

describe('two nodes sharing Redis', () => {
  let redis: TestRedis;
  let a: Node, b: Node;
  let postgres: PrivatePostgres;
  let demo: DemoHearing;
  let file: { expertOpinion: string };
  const stations: Workstation[] = [];
  let judge: Workstation, prosecutor: Workstation, defender: Workstation, screen: Workstation;

  before(async () => {
    [redis, postgres] = await Promise.all([startRedis(), startPrivatePostgres()]);
    const env = { REDIS_URL: redis.url, DATABASE_URL: postgres.url, EZAL_SECRET: 'one-secret-for-every-node-of-the-court-0123456789' };
    a = await startNode('a', env);
    b = await startNode('b', env);
    ({ demo, file } = await demoOf(a.db));
    // The judge and the presenting prosecutor on B; the defence and the hall's wall screen on A.
    judge = await workstation(b.url, 'judge', demo.hearingId);
    prosecutor = await workstation(b.url, 'prosecutor', demo.hearingId);
    defender = await workstation(a.url, 'defender', demo.hearingId, { reconnection: true });
    screen = await workstation(a.url, 'hall1', demo.hearingId);
    stations.push(judge, prosecutor, defender, screen);
    await Promise.all(stations.map((s) => inStep(s)));
  });
  after(async () => {
    closeAll(stations);
    await a?.close();
    await b?.close();
    await redis?.close();
    postgres?.stop();
    for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a hearing opened on B updates the situation centre watched on A', async () => {
    const chair = new ApiClient(a.url);
    await chair.login('chair');
    const socket = connect(a.url, { transports: ['websocket'], extraHeaders: { cookie: chair.cookieHeader }, forceNew: true, reconnection: false });
    try {
      dataOf(await socket.emitWithAck('situation:watch', {}));
      const changed = new Promise<{ courtId: string }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no situation:changed within 10 s')), 10_000);
        socket.once('situation:changed', (change) => (clearTimeout(timer), resolve(change)));
      });
      dataOf(await judge.follower.send('hearing:open', {}));
      const { cases } = a.db.tables;
      const [court] = await a.db.db.select({ courtId: cases.courtId }).from(cases).where(eq(cases.id, demo.caseId));
      assert.equal((await changed).courtId, court!.courtId);
    } finally {
      socket.disconnect();
    }
  });

  test('a page change made on B reaches the defence and the wall screen on A', async () => {
    dataOf(await judge.follower.send('hearing:move-stage', { to: 'investigation' }));
    dataOf(await judge.follower.send('floor:give', { to: { kind: 'participant', participantId: demo.participants.prosecutor } }));
    const { version } = dataOf(await prosecutor.follower.send('presenter:show', { documentId: file.expertOpinion, page: 3, zoom: 1 }));
    await Promise.all([defender, screen].map((s) => s.follower.reached(version)));
    assert.deepEqual(defender.follower.replica.state, judge.follower.replica.state, 'the defence on A holds what the judge on B holds');
    assert.equal(screen.follower.replica.state!.shown?.sheet, 3, 'the wall screen on A shows the page turned on B');
  });

  test('presence lists the people on both nodes, on either node', async () => {
    // The judge and the prosecutor on B, the defence and the wall screen on A.
    const everyone = ['defender', 'hall_display', 'presiding_judge', 'prosecutor'];
    assert.deepEqual(await connectedOf(defender, everyone.length), everyone, 'the defence on A sees those on B too');
    assert.deepEqual(await connectedOf(judge, everyone.length), everyone, 'the judge on B sees those on A too');
  });

  test("a logout on A disconnects the session's sockets on B", async () => {
    const api = new ApiClient(a.url);
    await api.login('secretary');
    const onB = connect(b.url, { transports: ['websocket'], extraHeaders: { cookie: api.cookieHeader }, forceNew: true, reconnection: false });
    await new Promise<void>((resolve, reject) => (onB.once('connect', resolve), onB.once('connect_error', reject)));
    const disconnected = new Promise<string>((resolve) => onB.once('disconnect', resolve));
    assert.equal((await api.post('/api/auth/logout')).status, 200);
    assert.equal(await disconnected, 'io server disconnect', 'the server on B closed it');
  });

  test('failed logins from one address, split over A and B, reach the limit as on one node', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 24; i++) {
      const node = i % 2 === 0 ? a : b;
      const response = await fetch(`${node.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.9.9.9' },
        body: JSON.stringify({ username: `clerk${i}`, password: 'guess-123456' }),
      });
      statuses.push(response.status);
    }
    // LOGIN_ADDRESS_MAX_FAILURES: 20, counted once for the court, not 20 on each node.
    assert.deepEqual(statuses, [...Array(20).fill(401), ...Array(4).fill(429)]);
  });

  test('Redis stopped for 10 s: commands still commit; B stays in step at once, A once Redis is back', async () => {
    await redis.stop();
    const sheets: number[] = [];
    const acknowledged: number[] = [];
    const started = Date.now();
    for (let sheet = 1; Date.now() - started < 10_000; sheet = (sheet % 8) + 1) {
      acknowledged.push(dataOf(await prosecutor.follower.send('presenter:show', { documentId: file.expertOpinion, page: sheet, zoom: 1 })).version);
      sheets.push(sheet);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const last = acknowledged.at(-1)!;
    assert.ok(acknowledged.length >= 15, `${acknowledged.length} page changes acknowledged while Redis was down`);
    // The judge is on the node that took the commands: in step throughout, without Redis.
    await judge.follower.reached(last, 2000);
    assert.equal(judge.follower.replica.state!.shown?.sheet, sheets.at(-1));
    const { hearings } = b.db.tables;
    const [stored] = await b.db.db.select({ version: hearings.version }).from(hearings).where(eq(hearings.id, demo.hearingId));
    assert.equal(stored!.version, last, 'every acknowledged change is stored');

    await redis.start();
    // One more change after Redis is back, as a hall goes on.
    const { version } = dataOf(await prosecutor.follower.send('presenter:show', { documentId: file.expertOpinion, page: 8, zoom: 2 }));
    await Promise.all([defender, screen].map((s) => s.follower.reached(version, 20_000)));
    assert.deepEqual(defender.follower.replica.state, judge.follower.replica.state, 'the defence on A ends with the judge’s state');
    assert.equal(screen.follower.replica.state!.shown?.sheet, 8);
    await until(() => b.logs().some((line) => line.includes('Redis is reachable again')));
    assert.ok(
      b.logs().some((line) => line.includes('Redis is unreachable')),
      'the outage is in the log',
    );
  });
});

/** The seats `station`'s presence lists, once it lists `count` people. */
async function connectedOf(station: Workstation, count: number): Promise<string[]> {
  await until(() => station.follower.presence.length >= count, 10_000);
  return station.follower.presence.map((p) => p.role).sort();
}

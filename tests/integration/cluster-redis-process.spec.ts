/**
 * `npm start` with REDIS_URL, as an operator runs a node: it starts while its Redis is still down,
 * serves a hearing whether Redis is there or not, never ends over it, and says in its log when
 * Redis goes and comes back. What crosses nodes is in cluster-redis.spec.ts.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { closeAll, dataOf, demoHearing, inStep, seedCaseFile, until, workstation, type Workstation } from '../helpers/hall.ts';
import { startMainProcess, type MainProcess } from '../helpers/main-process.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';

let redis: TestRedis;
let dataDir: string;
let main: MainProcess | null = null;
const stations: Workstation[] = [];

before(async () => {
  redis = await startRedis();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-cluster-process-'));
});
after(async () => {
  closeAll(stations);
  if (main && main.child.exitCode === null) {
    main.child.kill('SIGTERM');
    await main.exited;
  }
  await redis.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('a node with REDIS_URL starts without its Redis, runs a hearing through an outage, and logs it', async () => {
  await redis.stop();
  main = await startMainProcess({ DATA_DIR: dataDir, MEDIA_WORKERS: '0', REDIS_URL: redis.url, SOCKET_COMMAND_RATE: '1000' });
  const sqlite = new Database(path.join(dataDir, 'ezal.sqlite'), { readonly: true });
  const demo = demoHearing(sqlite);
  const file = seedCaseFile(sqlite, demo.caseId);
  sqlite.close();

  const [judge, prosecutor, defender] = await Promise.all(['judge', 'prosecutor', 'defender'].map((u) => workstation(main!.url, u, demo.hearingId)));
  stations.push(judge, prosecutor, defender);
  await Promise.all(stations.map((s) => inStep(s)));
  dataOf(await judge.follower.send('hearing:open', {}));
  dataOf(await judge.follower.send('hearing:move-stage', { to: 'investigation' }));
  dataOf(await judge.follower.send('floor:give', { to: { kind: 'participant', participantId: demo.participants.prosecutor } }));
  await until(() => main!.output().includes('Redis is unreachable'));

  await redis.start();
  await until(() => main!.output().includes('Redis is reachable again'));
  dataOf(await prosecutor.follower.send('presenter:show', { documentId: file.expertOpinion, page: 2, zoom: 1 }));

  await redis.stop();
  let version = 0;
  for (const page of [3, 4, 5, 6, 7]) version = dataOf(await prosecutor.follower.send('presenter:show', { documentId: file.expertOpinion, page, zoom: 1 })).version;
  await defender.follower.reached(version, 2000);
  assert.equal(defender.follower.replica.state!.shown?.sheet, 7, 'the defence follows the pages turned while Redis is down');
  assert.equal(main.child.exitCode, null, 'the node is still running');

  await redis.start();
  const next = dataOf(await prosecutor.follower.send('presenter:show', { documentId: file.expertOpinion, page: 8, zoom: 1 })).version;
  await defender.follower.reached(next);
  assert.deepEqual(defender.follower.replica.state, judge.follower.replica.state);
  const log = main.output();
  assert.equal(log.split('Redis is unreachable').length - 1, 2 * 2, 'once per outage for each of its two connections, not at every retry');
});

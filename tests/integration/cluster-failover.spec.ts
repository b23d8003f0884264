/**
 * kill -9 of the node holding a hearing (issue 20): two e-Zal nodes as processes of their own
 * (`node server/src/main.ts`, on one PostgreSQL and one Redis) behind haproxy with the
 * repository's configuration (server/cluster/haproxy.cfg). The hearing's people connect through
 * haproxy naming the hearing, as the web app does, so they all reach one node. The secretary adds
 * event marks one after another; right after an acknowledgement that node is killed. Then:
 * - every acknowledged mark is in the database, at the version its acknowledgement gave;
 * - everyone comes back through haproxy on the other node, rejoins with `since`, and converges:
 *   each replica equals a newcomer's snapshot;
 * - commands go on being acknowledged there, and none is lost.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { nodeOfHearing, startLocalCluster, type LocalCluster } from '../../server/cluster/local-cluster.ts';
import { DEMO_HEARING_SQL, routedWorkstation } from '../helpers/cluster.ts';
import { closeAll, dataOf, inStep, until, type Workstation } from '../helpers/hall.ts';
import { ApiClient } from '../helpers/server.ts';

describe('kill -9 of the node holding a hearing, behind haproxy', () => {
  let dir: string;
  let cluster: LocalCluster;
  let db: pg.Client;
  let hearingId: string;
  const stations: Workstation[] = [];

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-cluster-'));
    cluster = await startLocalCluster({ dir, progress: (m) => console.log(`# ${m}`), nodeEnv: { MEDIA_WORKERS: '0', SOCKET_COMMAND_RATE: '1000', LOG_LEVEL: 'warn' } });
    db = new pg.Client({ connectionString: cluster.postgres.url });
    await db.connect();
    const { rows } = await db.query<{ id: string }>(DEMO_HEARING_SQL);
    hearingId = rows[0]!.id;
  });

  after(async () => {
    closeAll(stations);
    await db?.end();
    await cluster?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('haproxy sends one hearing to one node and spreads everything else', async () => {
    const holders = new Set<string | null>();
    for (let i = 0; i < 10; i++) holders.add(await nodeOfHearing(cluster.url, hearingId));
    assert.equal(holders.size, 1, 'every handshake naming the hearing reaches the same node');
    assert.ok(['a', 'b'].includes([...holders][0]!));
    const answered = new Set<string | null>();
    for (let i = 0; i < 6; i++) {
      const response = await fetch(`${cluster.url}/api/health`);
      assert.equal(response.status, 200);
      answered.add(response.headers.get('x-ezal-node'));
      await response.body?.cancel();
    }
    assert.deepEqual([...answered].sort(), ['a', 'b'], 'the API is answered by both nodes in turn');
  });

  test('the acknowledged command survives; everyone comes back on the other node and converges', async () => {
    const holder = (await nodeOfHearing(cluster.url, hearingId))!;
    const judge = await routedWorkstation(cluster.url, 'judge', hearingId);
    const secretary = await routedWorkstation(cluster.url, 'secretary', hearingId);
    const office = new ApiClient(cluster.url);
    await office.login('office');
    stations.push(judge, secretary);
    for (let i = 0; i < 6; i++) stations.push(await routedWorkstation(cluster.url, 'office', hearingId, office));
    await Promise.all(stations.map((s) => inStep(s)));
    dataOf(await judge.follower.send('hearing:open', {}));

    // The secretary's marks, one after another, for as long as the test runs; each acknowledged one is noted.
    const acknowledged: { version: number; text: string }[] = [];
    let marking = true;
    let killedAt = 0;
    const node = cluster.nodes.find((n) => n.name === holder)!;
    // Which connections have dropped since: a follower counts as back only after its own drop.
    const dropped = new Set<Workstation>();
    for (const station of stations) station.socket.once('disconnect', () => dropped.add(station));
    const marks = (async () => {
      for (let i = 0; marking; i++) {
        const text = `mark ${i}`;
        const answer = await secretary.follower.send('mark:add', { text });
        if ('error' in answer) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          continue;
        }
        acknowledged.push({ version: answer.data.version, text });
        // Right after the fifth acknowledgement: the node dies as a machine does.
        if (acknowledged.length === 5) {
          killedAt = performance.now();
          await node.kill();
        }
      }
    })();

    await until(() => killedAt > 0, 20_000);
    const lastBeforeKill = acknowledged[4]!.version;
    // Back in step: every follower online again (on the other node) and at least at the last acknowledged version.
    await until(() => stations.every((s) => dropped.has(s) && s.follower.status === 'online' && s.socket.connected && (s.follower.replica.version ?? 0) >= lastBeforeKill), 15_000);
    const recoveredMs = performance.now() - killedAt;
    // Commands go on: five more acknowledged on the node left.
    await until(() => acknowledged.length >= 10, 15_000);
    marking = false;
    await marks;
    const other = cluster.nodes.find((n) => n.name !== holder)!;
    assert.equal(await nodeOfHearing(cluster.url, hearingId), other.name, 'haproxy now sends the hearing to the other node');
    console.log(`# recovered ${Math.round(recoveredMs)} ms after kill -9 of node ${holder} (${stations.length} followers)`);

    // Nothing acknowledged is lost: each mark at the version its acknowledgement gave.
    const { rows } = await db.query<{ version: number; text: string }>("select version, payload->>'text' as text from hearing_events where hearing_id = $1 and type = 'mark.added' order by version", [
      hearingId,
    ]);
    const stored = new Map(rows.map((row) => [row.version, row.text]));
    for (const mark of acknowledged) assert.equal(stored.get(mark.version), mark.text, `acknowledged mark at version ${mark.version} is stored`);
    const { rows: versions } = await db.query<{ version: number }>('select version from hearing_events where hearing_id = $1 order by version', [hearingId]);
    assert.deepEqual(
      versions.map((row) => row.version),
      Array.from({ length: versions.length }, (_, i) => i + 1),
      'the log has no gap',
    );

    // Converged: each replica equals what a newcomer is given now.
    const last = versions.at(-1)!.version;
    const newcomer = await routedWorkstation(cluster.url, 'judge', hearingId);
    stations.push(newcomer);
    await inStep(newcomer, last);
    await until(() => stations.every((s) => s.follower.replica.version === last), 15_000);
    for (const station of stations) assert.deepEqual(station.follower.replica.state, newcomer.follower.replica.state, `${station.username} holds the stored state`);
  });
});

/**
 * cluster.failover (issue 20): a live hearing with 100 followers, all connected through haproxy
 * (server/cluster/haproxy.cfg) naming the hearing, so all on the node holding it; the secretary
 * adds event marks one after another. Right after an acknowledgement that node is killed (kill -9).
 * Measured: the time from the kill until every follower has dropped, come back through haproxy on
 * the other node, rejoined with `since` and holds at least the last acknowledged version
 * (`recovery_ms`); and the events lost — acknowledged marks missing from the store, plus followers
 * whose state, once the marks stop, differs from a newcomer's snapshot (`events_lost`).
 * Baseline of `recovery_ms`, in the same run before the kill: the same followers' connections cut
 * on their side with the node alive, and their reconnection and rejoin (to the same node). Target:
 * under 5 s, 0 lost.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { nodeOfHearing, startLocalCluster } from '../server/cluster/local-cluster.ts';
import { DEMO_HEARING_SQL, routedWorkstation } from '../tests/helpers/cluster.ts';
import { closeAll, dataOf, inStep, until, type Workstation } from '../tests/helpers/hall.ts';
import { ApiClient } from '../tests/helpers/server.ts';
import type { BenchResult } from './benchmarks.ts';
import { round } from './stats.ts';

const FOLLOWERS = 100;
/** Marks acknowledged before the kill, and after it on the node left. */
const MARKS_BEFORE = 20;
const MARKS_AFTER = 20;

export async function clusterFailover(): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-bench-failover-'));
  const cluster = await startLocalCluster({ dir, nodeEnv: { MEDIA_WORKERS: '0', SOCKET_COMMAND_RATE: '100000', LOG_LEVEL: 'warn' } });
  const stations: Workstation[] = [];
  const db = new pg.Client({ connectionString: cluster.postgres.url });
  try {
    await db.connect();
    const hearingId = (await db.query<{ id: string }>(DEMO_HEARING_SQL)).rows[0]!.id;
    const holder = (await nodeOfHearing(cluster.url, hearingId))!;
    const judge = await routedWorkstation(cluster.url, 'judge', hearingId);
    const secretary = await routedWorkstation(cluster.url, 'secretary', hearingId);
    stations.push(judge, secretary);
    const office = new ApiClient(cluster.url);
    await office.login('office');
    const followers: Workstation[] = [];
    // Twenty at a time, each batch in step before the next connects.
    for (let i = 0; i < FOLLOWERS; i += 20) {
      const batch: Workstation[] = [];
      for (let j = i; j < Math.min(FOLLOWERS, i + 20); j++) batch.push(await routedWorkstation(cluster.url, 'office', hearingId, office));
      followers.push(...batch);
      stations.push(...batch);
      await Promise.all(batch.map((s) => s.follower.reached(0, 60_000)));
    }
    await Promise.all([judge, secretary].map((s) => inStep(s)));
    dataOf(await judge.follower.send('hearing:open', {}));

    /** Every follower has dropped its connection since `dropped` was made, is back online, and holds `version`. */
    const watchDrops = () => {
      const dropped = new Set<Workstation>();
      for (const station of followers) station.socket.once('disconnect', () => dropped.add(station));
      return (version: number) => followers.every((s) => dropped.has(s) && s.follower.status === 'online' && s.socket.connected && (s.follower.replica.version ?? 0) >= version);
    };

    // Baseline: every follower's connection cut by the client side (the node alive), and the rejoin.
    let version = dataOf(await secretary.follower.send('mark:add', { text: 'before the baseline' })).version;
    const backAfterDrop = watchDrops();
    const droppedAt = performance.now();
    for (const station of followers) station.socket.io.engine.close();
    await until(() => backAfterDrop(version), 60_000);
    const reconnectMs = performance.now() - droppedAt;

    // The secretary's marks, one after another; the node dies right after the MARKS_BEFORE-th acknowledgement.
    const acknowledged: { version: number; text: string }[] = [];
    let marking = true;
    let killedAt = 0;
    let backInStep: ((version: number) => boolean) | null = null;
    const node = cluster.nodes.find((n) => n.name === holder)!;
    const marks = (async () => {
      for (let i = 0; marking; i++) {
        const text = `mark ${i}`;
        const answer = await secretary.follower.send('mark:add', { text });
        if ('error' in answer) {
          await new Promise((resolve) => setTimeout(resolve, 10));
          continue;
        }
        acknowledged.push({ version: answer.data.version, text });
        if (acknowledged.length === MARKS_BEFORE) {
          backInStep = watchDrops();
          killedAt = performance.now();
          await node.kill();
        }
      }
    })();
    await until(() => killedAt > 0, 30_000);
    const lastBeforeKill = acknowledged[MARKS_BEFORE - 1]!.version;
    await until(() => backInStep!(lastBeforeKill), 30_000);
    const recoveryMs = performance.now() - killedAt;
    await until(() => acknowledged.length >= MARKS_BEFORE + MARKS_AFTER, 30_000);
    marking = false;
    await marks;

    // Lost: acknowledged marks not stored at their version, and followers not equal to a newcomer.
    const { rows } = await db.query<{ version: number; text: string }>("select version, payload->>'text' as text from hearing_events where hearing_id = $1 and type = 'mark.added'", [hearingId]);
    const stored = new Map(rows.map((row) => [row.version, row.text]));
    const lostMarks = acknowledged.filter((mark) => stored.get(mark.version) !== mark.text).length;
    version = (await db.query<{ version: number }>('select max(version)::int as version from hearing_events where hearing_id = $1', [hearingId])).rows[0]!.version;
    const newcomer = await routedWorkstation(cluster.url, 'office', hearingId, office);
    stations.push(newcomer);
    await inStep(newcomer, version);
    await until(() => followers.every((s) => s.follower.replica.version === version), 30_000).catch(() => {});
    const expected = JSON.stringify(newcomer.follower.replica.state);
    const divergent = followers.filter((s) => s.follower.replica.version !== version || JSON.stringify(s.follower.replica.state) !== expected).length;
    const base = { followers: FOLLOWERS, killed: holder, movedTo: (await nodeOfHearing(cluster.url, hearingId)) ?? null, acknowledged: acknowledged.length, loadAverage: round(os.loadavg()[0], 2) };
    return [
      {
        metric: 'recovery_ms',
        value: round(recoveryMs, 1),
        baseline: round(reconnectMs, 1),
        unit: 'ms',
        ...base,
        baselineIs: 'the same followers dropping their connections and rejoining, the node alive',
        target: 'under 5000 ms',
      },
      { metric: 'events_lost', value: lostMarks + divergent, unit: 'events', lostMarks, divergentFollowers: divergent, ...base, target: 0 },
    ];
  } finally {
    closeAll(stations);
    await db.end().catch(() => {});
    await cluster.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * cluster.follow (issue 20): 500 followers split over two e-Zal nodes (250 connected to each,
 * directly), one PostgreSQL, one Redis; the prosecutor on node A turns a page, and the time is
 * measured from the command's sending to the moment the last of the 500 has applied it — node B's
 * half gets it through socket.io's Redis streams adapter. Percentiles over CHANGES page changes.
 * Baseline, in the same run: single-node `hall.follow`'s measurement (its server process, its
 * follower pools and timing, bench/hall.follow.bench.ts) with the same 500 followers on one node
 * (SQLite, no Redis). Target: p99 within 1.5x of the single node.
 * The nodes are processes as `npm start` runs them (node-process.ts), favoured in the scheduler
 * like hall.follow's server; the followers in two worker threads, one per node.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openSqliteDb } from '../db/database.ts';
import { loadDemoData } from '../db/demo.ts';
import { startLocalCluster } from '../server/cluster/local-cluster.ts';
import { DEMO_HEARING_SQL } from '../tests/helpers/cluster.ts';
import { closeAll, dataOf, demoHearing, inStep, seedCaseFile, workstation, type Workstation } from '../tests/helpers/hall.ts';
import type { BenchResult } from './benchmarks.ts';
import { favourServer, FollowerPool, startServerProcess, timedAcross } from './hall.follow.bench.ts';
import { nodeFlagsOf } from './node-flags.ts';
import { percentile, round } from './stats.ts';

const FOLLOWERS = 500;
const WARMUP = 30;
const CHANGES = 300;

type Setup = {
  /** Where the presenter (and the staff) connect, and where each pool's followers connect. */
  presenterUrl: string;
  poolUrls: string[];
  hearingId: string;
  prosecutorParticipant: string;
  documentId: string;
};

/** Opens the hearing, gives the prosecutor the floor, grows the pools, then times CHANGES page changes. */
async function measure(setup: Setup): Promise<number[]> {
  const staff: Workstation[] = [];
  const pools: FollowerPool[] = [];
  try {
    const [judge, prosecutor, office] = await Promise.all(['judge', 'prosecutor', 'office'].map((u) => workstation(setup.presenterUrl, u, setup.hearingId)));
    staff.push(judge, prosecutor, office);
    await Promise.all(staff.map((s) => inStep(s)));
    dataOf(await judge.follower.send('hearing:open', {}));
    dataOf(await judge.follower.send('hearing:move-stage', { to: 'investigation' }));
    let version = dataOf(await judge.follower.send('floor:give', { to: { kind: 'participant', participantId: setup.prosecutorParticipant } })).version;
    for (const url of setup.poolUrls) pools.push(new FollowerPool({ url, cookieHeader: office.api.cookieHeader, hearingId: setup.hearingId }));
    await Promise.all(pools.map((pool) => pool.ask({ type: 'grow', count: FOLLOWERS / pools.length, version }, 'grown')));
    const times: number[] = [];
    let page = 0;
    for (let i = 0; i < WARMUP + CHANGES; i++) {
      page = (page % 8) + 1;
      const ms = await timedAcross(pools, 'hearing:changed', version + 1, async () => {
        version = dataOf(await prosecutor.follower.send('presenter:show', { documentId: setup.documentId, page, zoom: 1 + (i % 3) / 4 })).version;
      });
      if (i >= WARMUP) times.push(ms);
    }
    return times;
  } finally {
    await Promise.all(pools.map((pool) => pool.close()));
    closeAll(staff);
  }
}

export async function clusterFollow(): Promise<BenchResult[]> {
  // The single node, as hall.follow runs it.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-bench-cluster-single-'));
  let single: number[];
  let serverNice: number;
  {
    const database = openSqliteDb(dataDir);
    await loadDemoData(database);
    const demo = demoHearing(database.legacy.sqlite);
    const file = seedCaseFile(database.legacy.sqlite, demo.caseId);
    await database.close();
    const { child, url } = await startServerProcess(dataDir, {}, nodeFlagsOf('start'));
    serverNice = favourServer(child.pid!);
    try {
      single = await measure({ presenterUrl: url, poolUrls: [url, url], hearingId: demo.hearingId, prosecutorParticipant: demo.participants.prosecutor, documentId: file.expertOpinion });
    } finally {
      child.send('stop');
      await new Promise((resolve) => child.once('exit', resolve));
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }

  // Two nodes on PostgreSQL and Redis.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-bench-cluster-'));
  const cluster = await startLocalCluster({ dir, nodeEnv: { MEDIA_WORKERS: '0', SOCKET_COMMAND_RATE: '100000', LOG_LEVEL: 'warn' } });
  let clustered: number[];
  try {
    for (const node of cluster.nodes) favourServer(node.child.pid!);
    const db = new pg.Client({ connectionString: cluster.postgres.url });
    await db.connect();
    const hearingId = (await db.query<{ id: string }>(DEMO_HEARING_SQL)).rows[0]!.id;
    const prosecutor = (await db.query<{ id: string }>("select p.id from case_participants p join hearings h on h.case_id = p.case_id where h.id = $1 and p.role = 'prosecutor'", [hearingId])).rows[0]!
      .id;
    const document = (
      await db.query<{ id: string }>("select d.id from documents d join hearings h on h.case_id = d.case_id where h.id = $1 and d.kind = 'pdf' and d.pages >= 8 order by d.position limit 1", [
        hearingId,
      ])
    ).rows[0]!.id;
    await db.end();
    const [a, b] = cluster.nodes;
    clustered = await measure({ presenterUrl: a!.url, poolUrls: [a!.url, b!.url], hearingId, prosecutorParticipant: prosecutor, documentId: document });
  } finally {
    await cluster.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const base = {
    unit: 'ms',
    followers: FOLLOWERS,
    split: '250 on node A (where the page is turned), 250 on node B',
    n: CHANGES,
    serverNice,
    loadAverage: round(os.loadavg()[0], 2),
    baselineIs: 'hall.follow on one node (SQLite), the same 500 followers, in the same run',
    target: 'p99 within 1.5x',
  };
  return [50, 95, 99].map((p) => ({ metric: `page_change_p${p}_ms`, value: round(percentile(clustered, p), 2), baseline: round(percentile(single, p), 2), ...base }));
}

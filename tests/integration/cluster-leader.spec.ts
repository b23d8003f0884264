/**
 * One node at a time runs the sweeps and indexers (server/src/cluster/leader.ts): two nodes'
 * leader locks on one PostgreSQL, each on its own pool as separate processes would have. Exactly
 * one leads; when the leader's node dies (its pool gone, its session ended) the other leads within
 * the retry interval; when only its connection is cut, one of the two leads again within the
 * interval; a leader that stops hands over at the other's next try.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { LEADER_LOCK_KEY, PgLeaderLock, SoloLeader } from '../../server/src/cluster/leader.ts';
import { privatePostgresForFile } from '../helpers/postgres.ts';

const RETRY_MS = 500;
const silent = { info() {}, warn() {} };

const postgres = privatePostgresForFile();

/** Two nodes, each with its own pool and lock, started together. */
async function twoNodes() {
  const pools = [0, 1].map(() => new pg.Pool({ connectionString: postgres.cluster.url, max: 2 }));
  const locks = pools.map((pool, i) => new PgLeaderLock({ pool, node: `node-${i}`, log: silent, retryMs: RETRY_MS }));
  await Promise.all(locks.map((lock) => lock.start()));
  const ended = new Set<pg.Pool>();
  return {
    locks,
    leaders: () => locks.filter((lock) => lock.isLeader),
    /** The node of `lock` is gone: its pool takes no new connection (the one it holds ends with the session). */
    endPool(lock: PgLeaderLock): Promise<void> {
      const pool = pools[locks.indexOf(lock)];
      ended.add(pool);
      return pool.end();
    },
    async close() {
      await Promise.all(locks.map((lock) => lock.stop()));
      await Promise.all(pools.filter((pool) => !ended.has(pool)).map((pool) => pool.end()));
    },
  };
}

/** The backend whose session holds the leader lock (pg_locks splits a bigint key into two 32-bit halves). */
async function holderPid(): Promise<number | undefined> {
  const key = BigInt(LEADER_LOCK_KEY);
  const { rows } = await postgres.admin.query<{ pid: number }>("select pid from pg_locks where locktype = 'advisory' and granted and classid = $1::bigint::oid and objid = $2::bigint::oid", [
    String(key >> 32n),
    String(key & 0xffffffffn),
  ]);
  return rows[0]?.pid;
}

async function terminate(pid: number): Promise<void> {
  const { rows } = await postgres.admin.query<{ ended: boolean }>('select pg_terminate_backend($1) as ended', [pid]);
  assert.equal(rows[0].ended, true);
}

/** Polls until exactly one lock leads and it is not `not`; resolves with the time it took. */
async function oneLeader(nodes: Awaited<ReturnType<typeof twoNodes>>, not?: PgLeaderLock, timeoutMs = 10 * RETRY_MS): Promise<number> {
  const started = performance.now();
  for (;;) {
    const leaders = nodes.leaders();
    if (leaders.length === 1 && leaders[0] !== not) return performance.now() - started;
    if (performance.now() - started > timeoutMs) throw new Error(`${leaders.length} leader(s) after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

test('of two nodes started together exactly one leads, and keeps leading', async () => {
  const nodes = await twoNodes();
  try {
    assert.equal(nodes.leaders().length, 1, 'one leader from the first try on');
    const [leader] = nodes.leaders();
    await new Promise((resolve) => setTimeout(resolve, 3 * RETRY_MS));
    assert.deepEqual(nodes.leaders(), [leader], 'the same one, across the others’ tries');
    assert.ok(await holderPid(), 'PostgreSQL shows the lock held');
  } finally {
    await nodes.close();
  }
  assert.equal(await holderPid(), undefined, 'stopped nodes hold nothing');
});

test("when the leader's node dies, the other node leads within the retry interval", async (t) => {
  const nodes = await twoNodes();
  try {
    const [first] = nodes.leaders();
    const pid = await holderPid();
    assert.ok(pid);
    // As a node's death looks to PostgreSQL: the session ends, and nothing of that node comes back.
    const poolEnded = nodes.endPool(first);
    await terminate(pid);

    const takeover = await oneLeader(nodes, first);
    assert.ok(takeover <= 2 * RETRY_MS, `took over in ${Math.round(takeover)} ms (retry interval ${RETRY_MS} ms)`);
    assert.equal(first.isLeader, false, 'the dead leader does not think it leads');
    assert.notEqual(await holderPid(), pid);
    await poolEnded;
    t.diagnostic(`leader's node gone: the other node led ${Math.round(takeover)} ms later (retry interval ${RETRY_MS} ms)`);
  } finally {
    await nodes.close();
  }
});

test("when only the leader's connection is cut, one node leads again within the interval, and the other knows it does not", async (t) => {
  const nodes = await twoNodes();
  try {
    const pid = await holderPid();
    assert.ok(pid);
    const cut = performance.now();
    await terminate(pid);
    // Either may win the next try: the old leader's node is alive and tries too.
    for (;;) {
      const holder = await holderPid();
      if (holder !== undefined && holder !== pid && nodes.leaders().length === 1) break;
      assert.ok(performance.now() - cut < 10 * RETRY_MS, `no single leader on a new session after ${10 * RETRY_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const again = performance.now() - cut;
    assert.ok(again <= 2 * RETRY_MS, `a leader again after ${Math.round(again)} ms`);
    await new Promise((resolve) => setTimeout(resolve, 3 * RETRY_MS));
    assert.equal(nodes.leaders().length, 1, 'and only one, across the other’s tries');
    t.diagnostic(`leader's session terminated: a leader again ${Math.round(again)} ms later`);
  } finally {
    await nodes.close();
  }
});

test('a leader that stops hands over at the other node’s next try', async (t) => {
  const nodes = await twoNodes();
  try {
    const [first] = nodes.leaders();
    await first.stop();
    assert.equal(first.isLeader, false);
    const takeover = await oneLeader(nodes, first);
    assert.ok(takeover <= 2 * RETRY_MS, `took over in ${Math.round(takeover)} ms`);
    t.diagnostic(`leader stopped: the other node led ${Math.round(takeover)} ms later`);
  } finally {
    await nodes.close();
  }
});

test('the embedded form has one process, and it leads', async () => {
  const solo = new SoloLeader();
  await solo.start();
  assert.equal(solo.isLeader, true);
  await solo.stop();
});

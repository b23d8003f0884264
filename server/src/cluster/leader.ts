/**
 * Which node runs the jobs that must run on one node at a time: the sweeps and indexers
 * (docs/deployment.md, "Jobs: the outbox and the leader"). Every node keeps its job timers; a
 * job's tick asks `leader.isLeader` and does nothing on the other nodes.
 *
 * On PostgreSQL the leader is the node whose session holds a session-level advisory lock
 * (`pg_try_advisory_lock`) on a client taken from its pool for as long as it leads. PostgreSQL
 * releases the lock when that session ends — the node stopped, died, or lost its connection — and
 * the other nodes, which try again every `retryMs`, take it over within one interval. The leader
 * asks its session `select 1` at the same interval, so a node whose connection was cut stops
 * leading within one interval too. Between the cut and that check the old leader may still run a
 * job while the new one starts it: the jobs are written to be safe to run twice (they look at the
 * database and do what is still to do), the lock only keeps that rare.
 *
 * On SQLite there is one process: it always leads (`SoloLeader`).
 */
import type pg from 'pg';

export interface LeaderLock {
  /** True while this node runs the one-node jobs. */
  readonly isLeader: boolean;
  /** Takes part: on PostgreSQL, tries for the lock now and then every interval. */
  start(): Promise<void>;
  /** Stops taking part; a leader hands the lock back at once, so another node takes over at its next try. */
  stop(): Promise<void>;
}

/** The embedded form: one process, always the leader. */
export class SoloLeader implements LeaderLock {
  readonly isLeader = true;
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
}

/**
 * The advisory lock key of the leader: the ASCII bytes of "ezal-ldr" read as one big-endian 64-bit
 * integer (0x657a616c2d6c6472), as db/postgres.ts does for its migration lock. Fixed forever, so
 * nodes of different releases elect one leader between them.
 */
export const LEADER_LOCK_KEY = '7312264062235862130';

/** How often a follower tries for the lock and the leader checks its session: the longest a dead leader's jobs wait. */
export const DEFAULT_LEADER_RETRY_MS = 5_000;

type Log = { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };

export type PgLeaderOptions = {
  pool: pg.Pool;
  /** This node's name in the log (NODE_NAME). */
  node: string;
  log: Log;
  retryMs?: number;
  key?: string;
};

export class PgLeaderLock implements LeaderLock {
  #options: PgLeaderOptions & { retryMs: number; key: string };
  /** The session holding the lock, while this node leads. */
  #session: pg.PoolClient | null = null;
  #timer: NodeJS.Timeout | null = null;
  #tick: Promise<void> | null = null;
  #stopped = false;

  constructor(options: PgLeaderOptions) {
    this.#options = { retryMs: DEFAULT_LEADER_RETRY_MS, key: LEADER_LOCK_KEY, ...options };
  }

  get isLeader(): boolean {
    return this.#session !== null;
  }

  /** Resolves after the first try, so a node that can lead does so before its jobs first tick. */
  async start(): Promise<void> {
    this.#stopped = false;
    await this.#run();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#tick;
    const session = this.#session;
    if (!session) return;
    this.#session = null;
    try {
      await session.query('select pg_advisory_unlock($1::bigint)', [this.#options.key]);
      session.release();
    } catch (error) {
      // A broken session is destroyed, which ends it and with it the lock.
      session.release(error as Error);
    }
  }

  /** One try (or one check), then the next one an interval later; never two at once. */
  async #run(): Promise<void> {
    this.#tick = this.isLeader ? this.#check() : this.#try();
    await this.#tick;
    this.#tick = null;
    if (this.#stopped) return;
    this.#timer = setTimeout(() => void this.#run(), this.#options.retryMs);
    this.#timer.unref();
  }

  async #try(): Promise<void> {
    const { pool, key, log, node } = this.#options;
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      log.warn({ err: error, node }, 'leader election: no connection to PostgreSQL; trying again');
      return;
    }
    // A checked-out client has no pool listener: without this, a cut connection's 'error' would end the process.
    const onError = (error: Error) => this.#lose(client, error);
    client.on('error', onError);
    try {
      const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1::bigint) as locked', [key]);
      if (rows[0].locked && !this.#stopped) {
        this.#session = client;
        log.info({ node }, 'this node now leads: it runs the sweeps and indexers');
        return;
      }
      if (rows[0].locked) await client.query('select pg_advisory_unlock($1::bigint)', [key]);
      client.removeListener('error', onError);
      client.release();
    } catch (error) {
      client.removeListener('error', onError);
      client.release(error as Error);
    }
  }

  /** The leader's session still answers; if it does not, PostgreSQL has (or soon will have) let the lock go. */
  async #check(): Promise<void> {
    const session = this.#session;
    if (!session) return;
    try {
      await session.query('select 1');
    } catch (error) {
      this.#lose(session, error as Error);
    }
  }

  #lose(client: pg.PoolClient, error: Error): void {
    if (this.#session !== client) return;
    this.#session = null;
    client.release(error);
    this.#options.log.warn({ err: { message: error.message }, node: this.#options.node }, 'this node no longer leads: its PostgreSQL session ended');
  }
}

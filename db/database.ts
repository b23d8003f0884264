/**
 * One way to reach the database from either dialect: the embedded SQLite file or a PostgreSQL
 * server shared by several nodes (issue 20, docs/deployment.md). Repositories are written once,
 * against this interface, with asynchronous queries and asynchronous transactions — the shape
 * PostgreSQL needs; SQLite answers the same calls.
 *
 * This is the foundation the repositories move onto; until they have, the server still runs on
 * db/client.ts's synchronous `atomically` and refuses DATABASE_URL (server/src/server.ts).
 *
 * ## One schema object, two runtimes
 * Queries are built with drizzle against `tables` and typed by db/schema.ts (SQLite). Given a
 * PostgreSQL database, `tables` holds db/schema.pg.ts's tables instead, and the same builder calls
 * produce PostgreSQL SQL: drizzle builds the SQL from the table objects it is handed, and the two
 * schemas describe the same columns with the same JavaScript values (proved by
 * tests/integration/postgres-schema.spec.ts). What only SQLite's builders have — `.get()`,
 * `.all()`, `.run()`, `.values()` — must not be used on a `Database`: await the builder and take
 * `[0]` for one row; ask for `.returning()` instead of reading SQLite's `changes`.
 *
 * ## Transactions
 * `transaction(fn)` runs `fn` in one transaction and commits when its promise resolves (rolls back
 * when it rejects). Inside `fn`, `database.db` is the transaction — found through
 * AsyncLocalStorage, so repositories called from `fn` take part without being handed a `tx`.
 * Outside, `database.db` reads committed data only. So read `database.db` at each query and never
 * keep it in a variable: a kept one stays what it was when taken. Outside a transaction:
 * - PostgreSQL: the pool; transactions run on one pooled client each, READ COMMITTED. What must
 *   not interleave takes a row lock: `lockHearing` (`SELECT … FOR UPDATE`), so two nodes' commands
 *   for one hearing queue on its row and the versions stay gap-free.
 * - SQLite: two connections to the one file. Reads go to the reader, which in WAL mode sees each
 *   commit once it is made and never a transaction in progress; transactions run on the writer,
 *   one at a time in this process (a queue), as `BEGIN IMMEDIATE`: SQLite has one writer anyway,
 *   and a transaction that awaits something else can no longer have another request's statements
 *   land inside it. The reader is `query_only`, so a write outside a transaction fails loudly
 *   instead of slipping past the queue.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import SQLite from 'better-sqlite3';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzleSqlite } from 'drizzle-orm/better-sqlite3';
import { drizzle as drizzlePg, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import pg from 'pg';
import { databaseFile, openDatabase as openSqliteFile, pingDatabase, probeDatabaseWrite, type DbHandle } from './client.ts';
import { migratePostgres } from './postgres.ts';
import * as sqliteSchema from './schema.ts';
import * as pgSchema from './schema.pg.ts';

export type Dialect = 'sqlite' | 'postgres';
export type Tables = typeof sqliteSchema;
/** What repositories build queries on: await every builder (see the note above on `.get()`). */
export type Queries = BaseSQLiteDatabase<'async', unknown, Tables>;

export type TransactionOptions = {
  /**
   * false: the commit may reach the disk a moment later (SQLite: `synchronous = NORMAL` for this
   * transaction; PostgreSQL: `SET LOCAL synchronous_commit = off`) — lost only by a power cut, never
   * out of order. For the presenter's position (docs/realtime-protocol.md). Default true.
   */
  flush?: boolean;
};

export interface Database {
  readonly dialect: Dialect;
  readonly tables: Tables;
  /** The current transaction inside `transaction`, else committed data (see above). */
  readonly db: Queries;
  transaction<T>(fn: () => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Rows of a hand-written query (dialect-specific SQL: full-text search, aggregates), in the current transaction if any. */
  rows<T>(query: SQL): Promise<T[]>;
  /**
   * Runs `fn` once the outermost transaction has committed (at once outside one; never when it rolls
   * back): what others are told of a change — broadcasts — must follow its commit, also when the
   * change is made in a transaction opened by a caller.
   */
  afterCommit(fn: () => void): void;
  /**
   * Inside a transaction: waits for, then holds until the commit, the right to change this hearing
   * (its row). Returns false when there is no such hearing.
   */
  lockHearing(hearingId: string): Promise<boolean>;
  /** Whether the database answers (`select 1`), for /api/health. */
  ping(): Promise<boolean>;
  /**
   * Proves the database can still commit, for /api/health: one small committed write, as a
   * hearing's command would make. Throws what the engine throws (a full disk: SQLITE_FULL, or
   * PostgreSQL's "could not extend file" / "No space left on device").
   */
  probeWrite(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A transaction in progress: its queries, and what is to run once it has committed. `open` turns
 * false when it ends: a timer or promise started inside it keeps it as its AsyncLocalStorage
 * context, and must then get the committed data, not a finished transaction's connection.
 */
type Transaction = { queries: Queries; committed: (() => void)[]; open: boolean };

/** The transaction the caller is in, if it is still open. */
function openTransaction(current: AsyncLocalStorage<Transaction>): Transaction | undefined {
  const transaction = current.getStore();
  return transaction?.open ? transaction : undefined;
}

function afterCommit(current: AsyncLocalStorage<Transaction>, fn: () => void): void {
  const transaction = openTransaction(current);
  if (transaction) transaction.committed.push(fn);
  else fn();
}

/** Runs each, whatever the others do: the change is committed, and a failing one must not undo that for its caller. */
function runCommitted(committed: (() => void)[]): void {
  for (const fn of committed) {
    try {
      fn();
    } catch (error) {
      console.error('a function run after a commit failed', error);
    }
  }
}

/** Opens the database the configuration names: PostgreSQL when `databaseUrl` is set, else SQLite in `dataDir`. */
export async function openDb(options: { dataDir: string; databaseUrl?: string; autoCheckpoint?: boolean; onIdleError?: (error: Error) => void }): Promise<SqliteDatabase | PostgresDatabase> {
  return options.databaseUrl === undefined ? openSqliteDb(options.dataDir, { autoCheckpoint: options.autoCheckpoint }) : openPostgresDb(options.databaseUrl, { onIdleError: options.onIdleError });
}

/** node-postgres' default: connections per node, each holding at most one transaction at a time. */
const DEFAULT_POOL_SIZE = 10;

/**
 * The SQLite form, with `legacy`: the writer's synchronous handle, for the code not yet moved onto
 * this interface. Its statements run on the writer — inside a transaction of this interface when
 * called from one, so what they write commits with it.
 */
export type SqliteDatabase = Database & { legacy: DbHandle };

export function openSqliteDb(dataDir: string, options: { autoCheckpoint?: boolean } = {}): SqliteDatabase {
  // Created and migrated by the synchronous client (db/client.ts), which then becomes the writer.
  const writer = openSqliteFile(dataDir, options);
  fs.accessSync(databaseFile(dataDir));
  const reader = new SQLite(databaseFile(dataDir));
  reader.pragma('busy_timeout = 5000');
  reader.pragma('query_only = ON');
  const readQueries = drizzleSqlite({ client: reader, schema: sqliteSchema }) as unknown as Queries;
  const writeQueries = writer.db as unknown as Queries;
  const current = new AsyncLocalStorage<Transaction>();
  let queue: Promise<unknown> = Promise.resolve();
  /** Runs `work` when everything queued before it on the writer has finished: one at a time. */
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const result = queue.then(work, work);
    queue = result.catch(() => undefined);
    return result;
  };
  const rows = async <T>(query: SQL): Promise<T[]> => ((openTransaction(current)?.queries ?? readQueries) as unknown as { all(query: SQL): T[] }).all(query);

  return {
    dialect: 'sqlite',
    legacy: writer,
    tables: sqliteSchema,
    get db() {
      return openTransaction(current)?.queries ?? readQueries;
    },
    transaction<T>(fn: () => Promise<T>, { flush = true }: TransactionOptions = {}): Promise<T> {
      // A transaction inside a transaction is part of it (as with drizzle's nested calls on PostgreSQL, minus savepoints).
      if (openTransaction(current)) return fn();
      const run = async (): Promise<T> => {
        const sqlite = writer.sqlite;
        if (!flush) sqlite.exec('PRAGMA synchronous = NORMAL');
        sqlite.exec('BEGIN IMMEDIATE');
        const transaction: Transaction = { queries: writeQueries, committed: [], open: true };
        try {
          const result = await current.run(transaction, fn);
          transaction.open = false;
          sqlite.exec('COMMIT');
          runCommitted(transaction.committed);
          return result;
        } catch (error) {
          transaction.open = false;
          if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
          throw error;
        } finally {
          if (!flush) sqlite.exec('PRAGMA synchronous = FULL');
        }
      };
      return exclusive(run);
    },
    rows,
    afterCommit: (fn) => afterCommit(current, fn),
    async ping() {
      return pingDatabase(writer);
    },
    // In the queue, so no transaction of this process is open on the writer meanwhile.
    probeWrite: () => exclusive(async () => probeDatabaseWrite(writer)),
    async lockHearing(hearingId) {
      if (!openTransaction(current)) throw new Error('lockHearing outside a transaction locks nothing');
      // The writer's BEGIN IMMEDIATE already excludes every other writer of the file.
      const found = await rows(sql`select 1 from hearings where id = ${hearingId}`);
      return found.length > 0;
    },
    async close() {
      await queue;
      reader.close();
      writer.close();
    },
  };
}

/** The PostgreSQL form, with its pool: the cluster's leader lock holds a session of its own (server/src/cluster/leader.ts). */
export type PostgresDatabase = Database & { pool: pg.Pool };

export async function openPostgresDb(url: string, { poolSize = DEFAULT_POOL_SIZE, onIdleError }: { poolSize?: number; onIdleError?: (error: Error) => void } = {}): Promise<PostgresDatabase> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle connection the server dropped (a restart, a failover) is an 'error' event: unheard, it
  // would end the process. The pool replaces the connection; the next query finds out for itself.
  pool.on('error', (error) => onIdleError?.(error));
  try {
    await migratePostgres(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  type PgQueries = Pick<NodePgDatabase<typeof pgSchema>, 'execute' | 'transaction'>;
  const pool_ = drizzlePg({ client: pool, schema: pgSchema });
  const poolQueries = pool_ as unknown as Queries;
  const current = new AsyncLocalStorage<Transaction>();
  const pgOf = (queries: Queries) => queries as unknown as PgQueries;
  const rows = async <T>(query: SQL): Promise<T[]> => (await pgOf(openTransaction(current)?.queries ?? poolQueries).execute(query)).rows as T[];
  const tables = pgSchema as unknown as Tables;

  return {
    dialect: 'postgres',
    pool,
    tables,
    get db() {
      return openTransaction(current)?.queries ?? poolQueries;
    },
    async transaction<T>(fn: () => Promise<T>, { flush = true }: TransactionOptions = {}): Promise<T> {
      if (openTransaction(current)) return fn();
      const transaction: Transaction = { queries: poolQueries, committed: [], open: true };
      try {
        const result = await pool_.transaction(async (tx) => {
          transaction.queries = tx as unknown as Queries;
          if (!flush) await tx.execute(sql`set local synchronous_commit = off`);
          return current.run(transaction, fn).finally(() => (transaction.open = false));
        });
        runCommitted(transaction.committed);
        return result;
      } finally {
        transaction.open = false;
      }
    },
    rows,
    afterCommit: (fn) => afterCommit(current, fn),
    async ping() {
      try {
        await pool.query('select 1');
        return true;
      } catch {
        return false;
      }
    },
    async probeWrite() {
      // A transaction given an id writes a commit record to the WAL: a server that cannot write refuses it.
      const client = await pool.connect();
      try {
        await client.query('begin');
        await client.query('select txid_current()');
        await client.query('commit');
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async lockHearing(hearingId) {
      if (!openTransaction(current)) throw new Error('lockHearing outside a transaction locks nothing');
      const found = await rows(sql`select 1 from hearings where id = ${hearingId} for update`);
      return found.length > 0;
    },
    async close() {
      await pool.end();
    },
  };
}

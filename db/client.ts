/**
 * The one place that opens the database. Every pragma that matters for legal records is set here:
 * WAL for concurrent readers, foreign keys on, and synchronous=FULL so a committed write survives
 * a power cut, not only a process crash. One kind of write may ask for less (`atomically`'s
 * `flush: false`): see there.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from './schema.ts';

export type Db = BetterSQLite3Database<typeof schema>;
export type DbHandle = {
  db: Db;
  sqlite: Database.Database;
  file: string;
  /**
   * Runs `fn` in one transaction; `fn` must be synchronous (no await inside). The commit is
   * flushed to the disk (fsync) before this returns, unless `flush: false`: then it is written to
   * the WAL — it survives the process being killed — and reaches the disk with the next flushed
   * commit or WAL checkpoint (the server's checkpointer, every second: db/checkpointer.ts). The
   * WAL is one sequence, so a power cut can only take the newest unflushed commits, never one
   * from before a commit that survived. For high-rate writes whose last second may be lost on a
   * power cut but never out of order (the presenter's position: docs/realtime-protocol.md); the
   * counterpart of PostgreSQL's `SET LOCAL synchronous_commit = off`. Inside another transaction
   * the outer one's setting holds.
   */
  atomically<T>(fn: () => T, options?: { flush?: boolean }): T;
  close(): void;
};

const migrationsFolder = path.join(import.meta.dirname, 'migrations');

export function databaseFile(dataDir: string): string {
  return path.join(dataDir, 'ezal.sqlite');
}

/**
 * Opens (creating if needed) the database in `dataDir` and applies pending migrations.
 * `autoCheckpoint: false` (the server, which checkpoints on a worker thread instead: db/checkpointer.ts).
 */
export function openDatabase(dataDir: string, options: { autoCheckpoint?: boolean } = {}): DbHandle {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = databaseFile(dataDir);
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  // 64 MB of page cache instead of SQLite's 2 MB: the situation centre's aggregates and the acts
  // index read large parts of the database on every dashboard refresh (docs/situation-centre.md).
  sqlite.pragma('cache_size = -65536');
  const db = drizzle({ client: sqlite, schema });
  // Foreign keys off while migrating, then checked: SQLite changes a table (a new CHECK, say) by
  // rebuilding it, and the pragma cannot be switched inside the migrator's transaction.
  sqlite.pragma('foreign_keys = OFF');
  migrate(db, { migrationsFolder });
  const broken = sqlite.pragma('foreign_key_check') as unknown[];
  if (broken.length > 0) {
    sqlite.close();
    throw new Error(`the database's foreign keys are broken after migrating: ${JSON.stringify(broken.slice(0, 5))}`);
  }
  sqlite.pragma('foreign_keys = ON');
  if (options.autoCheckpoint === false) sqlite.pragma('wal_autocheckpoint = 0');
  return {
    db,
    sqlite,
    file,
    atomically: (fn, { flush = true } = {}) => {
      if (flush || sqlite.inTransaction) return sqlite.transaction(fn)();
      // SQLite refuses to change the safety level inside a transaction, so it is switched around
      // one; and it takes effect when the pragma is compiled, so it is not a prepared statement.
      sqlite.exec('PRAGMA synchronous = NORMAL');
      try {
        return sqlite.transaction(fn)();
      } finally {
        sqlite.exec('PRAGMA synchronous = FULL');
      }
    },
    close() {
      if (sqlite.open) sqlite.close();
    },
  };
}

/** A cheap liveness probe for /api/health. */
export function pingDatabase(handle: DbHandle): boolean {
  try {
    return handle.sqlite.open && handle.sqlite.prepare('select 1 as ok').get() !== undefined;
  } catch {
    return false;
  }
}

/**
 * Proves the database can still commit, for /api/health: a write transaction (`BEGIN IMMEDIATE`)
 * that sets `user_version` to the value it has, committed and flushed like any hearing's command.
 * SQLite writes the page to the WAL whether or not the value changed, so a full or read-only disk
 * fails here (SQLITE_FULL, SQLITE_READONLY, SQLITE_IOERR) — a rolled-back write would never reach
 * the disk. Nothing in e-Zal reads `user_version` (drizzle keeps its own migrations table), and no
 * table of its own is needed. It never waits for another process's write (the intake command's
 * import): busy_timeout is 0 meanwhile, as better-sqlite3 would wait on the server's only thread;
 * SQLITE_BUSY then, which says nothing about the disk. Throws what SQLite throws.
 */
export function probeDatabaseWrite(handle: DbHandle): void {
  const { sqlite } = handle;
  const busyTimeout = Number(sqlite.pragma('busy_timeout', { simple: true }));
  sqlite.pragma('busy_timeout = 0');
  try {
    sqlite
      .transaction(() => {
        const version = Number(sqlite.pragma('user_version', { simple: true }));
        sqlite.pragma(`user_version = ${version | 0}`);
      })
      .immediate();
  } finally {
    sqlite.pragma(`busy_timeout = ${busyTimeout | 0}`);
  }
}

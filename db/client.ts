/**
 * The one place that opens the database. Every pragma that matters for legal records is set here:
 * WAL for concurrent readers, foreign keys on, and synchronous=FULL so a committed write survives
 * a power cut, not only a process crash.
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
  /** Runs `fn` in one transaction; `fn` must be synchronous (no await inside). */
  atomically<T>(fn: () => T): T;
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
    atomically: (fn) => sqlite.transaction(fn)(),
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

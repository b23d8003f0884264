/**
 * Migrating a PostgreSQL database: what each node does at start (`openPostgresDb`, db/database.ts).
 *
 * Why migrations run under an advisory lock: drizzle's migrator is not safe when two processes run
 * it at once on an empty database. Each creates its journal (`drizzle.__drizzle_migrations`) with
 * `CREATE … IF NOT EXISTS`, which is not atomic between sessions, reads "nothing applied yet", and
 * then applies every migration: both try to create the same tables and the slower one fails
 * (duplicate key / "already exists"). Nodes started together would crash at random. Under the lock
 * the second node waits until the first has committed, then reads the journal and finds nothing to
 * do. Proved by tests/integration/postgres-migrate.spec.ts.
 */
import path from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from './schema.pg.ts';

/**
 * The advisory lock key for migrations: the ASCII bytes of "ezal-mig" read as one big-endian
 * 64-bit integer (0x657a616c2d6d6967). Fixed forever: every release must take the same key, or an
 * old and a new node could migrate at once. Advisory keys are shared by the whole cluster's
 * database, so nothing else in e-Zal may use this number.
 */
export const MIGRATION_LOCK_KEY = '7312264062235928935';

const migrationsFolder = path.join(import.meta.dirname, 'migrations-pg');

/**
 * Applies db/migrations-pg. The lock is a session lock on one dedicated client, and the migrations
 * run on that same client, so none of it depends on which pooled connection the migrator would
 * pick. Released in `finally`, also when a migration fails; if the connection itself is broken the
 * client is destroyed, which ends the session and with it the lock.
 */
export async function migratePostgres(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('select pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
    try {
      await migrate(drizzle({ client, schema }), { migrationsFolder });
    } finally {
      await client.query('select pg_advisory_unlock($1::bigint)', [MIGRATION_LOCK_KEY]).catch((error: Error) => {
        broken = error;
      });
    }
  } finally {
    client.release(broken);
  }
}

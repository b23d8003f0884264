/**
 * Hand-written SQL against a test server's database, on either dialect: what the specs used to run
 * on `server.sqlite!.prepare(…)`. The SQL is written once with `?` placeholders (numbered `$1…` for
 * PostgreSQL); parameters and rows take SQLite's shapes on both, so assertions read the same:
 * - parameters: a `Date` is SQLite's ms integer, a boolean its 0/1 (PostgreSQL gets them as
 *   `timestamptz` and `boolean`);
 * - rows from PostgreSQL: `bigint`/`numeric` (count(*), bigserial ids) become numbers, times ms
 *   integers, `json`/`jsonb` JSON text, booleans 0/1.
 *
 * SQLite: reads go to the writer connection, as `server.sqlite!` did; writes run in the database's
 * transaction queue (the reader is `query_only`), so they never land inside the server's own
 * transaction. PostgreSQL: the server's pool.
 */
import type SQLite from 'better-sqlite3';
import type pg from 'pg';
import type { Database, PostgresDatabase, SqliteDatabase } from '../../db/database.ts';

export type SqlParam = string | number | boolean | null | Date | Buffer;
export type SqlRow = Record<string, unknown>;

export type Sql = {
  readonly dialect: Database['dialect'];
  /** The first row, or undefined. */
  one<T = SqlRow>(query: string, ...params: SqlParam[]): Promise<T | undefined>;
  all<T = SqlRow>(query: string, ...params: SqlParam[]): Promise<T[]>;
  /** A statement that returns no rows; how many rows it changed. */
  run(query: string, ...params: SqlParam[]): Promise<{ changes: number }>;
  /** Runs `fn`'s statements in one transaction (committed when it resolves, rolled back when it rejects). */
  transaction<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
};

/** The SQL runner of a test server (or of a `Database` opened by the test). */
export function sqlOf(target: { db: Database } | Database): Sql {
  const database = 'dialect' in target ? target : target.db;
  if ('legacy' in database) return sqliteSql(database as SqliteDatabase);
  if ('pool' in database) return postgresSql((database as PostgresDatabase).pool);
  throw new Error(`sqlOf: a ${database.dialect} database of an unknown form`);
}

function sqliteParams(params: SqlParam[]): unknown[] {
  return params.map((p) => (p instanceof Date ? p.getTime() : typeof p === 'boolean' ? (p ? 1 : 0) : p));
}

function sqliteSql(database: SqliteDatabase, inTransaction = false): Sql {
  const writer = (): SQLite.Database => database.legacy.sqlite;
  const self: Sql = {
    dialect: 'sqlite',
    async one<T>(query: string, ...params: SqlParam[]) {
      return writer()
        .prepare(query)
        .get(...sqliteParams(params)) as T | undefined;
    },
    async all<T>(query: string, ...params: SqlParam[]) {
      return writer()
        .prepare(query)
        .all(...sqliteParams(params)) as T[];
    },
    async run(query: string, ...params: SqlParam[]) {
      const run = async () => ({
        changes: writer()
          .prepare(query)
          .run(...sqliteParams(params)).changes,
      });
      return inTransaction ? run() : database.transaction(run);
    },
    async transaction<T>(fn: (sql: Sql) => Promise<T>) {
      return inTransaction ? fn(self) : database.transaction(() => fn(sqliteSql(database, true)));
    },
  };
  return self;
}

/** `?` → `$1, $2, …`, leaving quoted strings and identifiers alone. */
export function numberedPlaceholders(query: string): string {
  let out = '';
  let n = 0;
  let quote: string | null = null;
  for (const ch of query) {
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
    } else if (ch === '?') {
      out += `$${++n}`;
      continue;
    }
    out += ch;
  }
  return out;
}

// PostgreSQL type ids (pg_type.oid).
const INT8 = 20;
const NUMERIC = 1700;
const BOOL = 16;
const JSON_ = 114;
const JSONB = 3802;

function sqliteShaped(result: pg.QueryResult): SqlRow[] {
  return result.rows.map((row: SqlRow) => {
    const shaped: SqlRow = {};
    for (const field of result.fields) {
      const value = row[field.name];
      if (value === null || value === undefined) shaped[field.name] = value;
      else if (field.dataTypeID === INT8 || field.dataTypeID === NUMERIC) shaped[field.name] = Number(value);
      else if (field.dataTypeID === BOOL) shaped[field.name] = value ? 1 : 0;
      else if (field.dataTypeID === JSON_ || field.dataTypeID === JSONB) shaped[field.name] = JSON.stringify(value);
      else if (value instanceof Date) shaped[field.name] = value.getTime();
      else shaped[field.name] = value;
    }
    return shaped;
  });
}

function postgresSql(client: pg.Pool | pg.PoolClient, inTransaction = false): Sql {
  const query = (text: string, params: SqlParam[]) => client.query(numberedPlaceholders(text), params);
  const self: Sql = {
    dialect: 'postgres',
    async one<T>(text: string, ...params: SqlParam[]) {
      return sqliteShaped(await query(text, params))[0] as T | undefined;
    },
    async all<T>(text: string, ...params: SqlParam[]) {
      return sqliteShaped(await query(text, params)) as T[];
    },
    async run(text: string, ...params: SqlParam[]) {
      return { changes: (await query(text, params)).rowCount ?? 0 };
    },
    async transaction<T>(fn: (sql: Sql) => Promise<T>) {
      if (inTransaction) return fn(self);
      const connection = await (client as pg.Pool).connect();
      try {
        await connection.query('begin');
        const result = await fn(postgresSql(connection, true));
        await connection.query('commit');
        return result;
      } catch (error) {
        await connection.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        connection.release();
      }
    },
  };
  return self;
}

/**
 * `npm run court:move -- --from <DATA_DIR> --to-database <postgres://…>`: moves a court from the
 * embedded form (SQLite in DATA_DIR, files in DATA_DIR/files) to the clustered one (PostgreSQL,
 * and the object store when S3_BUCKET and the other S3_* variables are set) — docs/deployment.md,
 * "Moving a court from the embedded default to the cluster".
 *
 * A direct copy, database to database, with no export file in between: drizzle reads each row with
 * the SQLite table of db/schema.ts and writes it with the PostgreSQL table of db/schema.pg.ts, so
 * every conversion (ms integers to timestamptz, JSON text to jsonb, 0/1 to boolean, blobs to
 * bytea) is the one the server itself makes. In order:
 *
 * 1. The target is migrated (openPostgresDb) and must be empty: every table of the court, the
 *    search tables included. A non-empty one is refused and left as it was.
 * 2. The source is opened (and migrated, like a server start would) and read inside one SQLite
 *    write transaction: a consistent picture, and a server still running on that folder can write
 *    nothing meanwhile (stop it first all the same: what it commits after the move is not moved).
 * 3. Files: with S3_*, every stored file not kept inline in its row is uploaded from
 *    DATA_DIR/files under its SHA-256 (the key the server uses) before any row is written; a file
 *    missing from DATA_DIR/files stops the move. Without S3_* the files stay where they are: the
 *    nodes then need DATA_DIR/files on a shared folder (each node's DATA_DIR/files mounted on it).
 * 4. Rows, in one PostgreSQL transaction: every table in foreign-key order, in batches, by rowid.
 *    The append-only triggers refuse UPDATE and DELETE only, so the INSERTs pass. audit_log.details
 *    is copied as its stored JSON text (into a `json` column, which keeps the text), so the audit
 *    chain's hashes still hold. The identity sequences are moved past the highest id. Any error
 *    rolls the whole transaction back: the target is empty again.
 * 5. Not copied, rebuilt on PostgreSQL by the server's indexers: the case file's text
 *    (document_text, case_text_keys and the FTS5 table case_text: the case-text indexer takes every
 *    PDF document without a document_text row) and the judicial acts' index (acts_text: the acts
 *    indexer takes every act with `indexed_at` null whose document's text is indexed, so the acts
 *    are written with `indexed_at` null).
 *
 * The cluster's EZAL_SECRET must be the court's secret: the audit checkpoints are signed with it,
 * and cookies too. A court without EZAL_SECRET keeps it in DATA_DIR/secret.key; its content is
 * then the cluster's EZAL_SECRET (this command says so).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { getTableName, gt, is, isNull, sql, Table, type SQL } from 'drizzle-orm';
import { getTableConfig, SQLiteTable, type SQLiteColumn } from 'drizzle-orm/sqlite-core';
import { databaseFile } from '../../../db/client.ts';
import { openPostgresDb, openSqliteDb, type PostgresDatabase, type SqliteDatabase, type Tables } from '../../../db/database.ts';
import { loadConfig, loadDotEnv, type Config } from '../config.ts';
import { LocalFileStore } from '../storage/file-store.ts';
import { ObjectFileStore } from '../storage/object-file-store.ts';

/** Rebuilt by the indexers on PostgreSQL, not copied (see 5. above). */
const REBUILT = new Set(['document_text', 'case_text_keys']);
/** Tables of PostgreSQL only, outside db/schema.pg.ts, that an empty target has empty too. */
const SEARCH_TABLES = ['case_text', 'acts_text'];
/** Rows a batch at most; fewer for wide tables (PostgreSQL takes 65,535 parameters a statement). */
const BATCH_ROWS = 500;
const MAX_PARAMETERS = 60_000;

export type MoveOptions = {
  /** The court's DATA_DIR (the SQLite file and files/). */
  from: string;
  /** The PostgreSQL database to fill: empty (migrated here if not yet). */
  toDatabase: string;
  /** The object store for the files; null: they stay in DATA_DIR/files (a shared folder). */
  s3: Config['cluster']['s3'];
  inlineMaxBytes: number;
  log?: (line: string) => void;
};

export type MoveReport = { tables: Record<string, number>; rows: number; filesUploaded: number; filesLeftInFolder: number; ms: number };

export class MoveRefused extends Error {}

type CourtTable = { key: string; name: string; table: SQLiteTable; dependsOn: string[] };

/** The court's tables in an order where every table comes after those its foreign keys name. */
export function tablesInForeignKeyOrder(tables: Tables): CourtTable[] {
  const all = new Map<string, CourtTable>();
  for (const [key, value] of Object.entries(tables)) {
    if (!is(value, SQLiteTable)) continue;
    const config = getTableConfig(value);
    const dependsOn = config.foreignKeys.map((fk) => getTableName(fk.reference().foreignTable)).filter((name) => name !== config.name);
    all.set(config.name, { key, name: config.name, table: value, dependsOn });
  }
  const ordered: CourtTable[] = [];
  const placed = new Set<string>();
  const place = (table: CourtTable, path: string[]) => {
    if (placed.has(table.name)) return;
    if (path.includes(table.name)) throw new Error(`the foreign keys go round in a circle: ${[...path, table.name].join(' → ')}`);
    for (const name of table.dependsOn) {
      const parent = all.get(name);
      if (parent) place(parent, [...path, table.name]);
    }
    placed.add(table.name);
    ordered.push(table);
  };
  for (const table of [...all.values()].sort((a, b) => a.name.localeCompare(b.name))) place(table, []);
  return ordered;
}

export async function moveCourt(options: MoveOptions): Promise<MoveReport> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const dbFile = databaseFile(options.from);
  if (!fs.existsSync(dbFile)) {
    throw new MoveRefused(`${options.from} holds no e-Zal database (${dbFile}): --from names the court's DATA_DIR`);
  }
  const target = await openPostgresDb(options.toDatabase, { poolSize: 2 });
  let source: SqliteDatabase | null = null;
  try {
    const filled = await nonEmptyTables(target);
    if (filled.length > 0) {
      throw new MoveRefused(`the target database is not empty (rows in ${filled.join(', ')}): a court is moved into an empty database only; nothing was changed`);
    }
    source = openSqliteDb(options.from, { autoCheckpoint: false });
    const from = source;
    // The source's write lock for the whole move: a consistent picture, nothing written meanwhile.
    return await from.transaction(async () => {
      const files = await moveFiles(from, options, log);
      const tables = await copyRows(from, target, log);
      const rows = Object.values(tables).reduce((sum, n) => sum + n, 0);
      return { tables, rows, ...files, ms: Date.now() - started };
    });
  } finally {
    await source?.close();
    await target.close();
  }
}

/** Tables of the target that hold rows (its own tables and the search tables). */
async function nonEmptyTables(target: PostgresDatabase): Promise<string[]> {
  const names = [...Object.values(target.tables).flatMap((value) => (is(value, Table) ? [getTableName(value)] : [])), ...SEARCH_TABLES];
  const filled: string[] = [];
  for (const name of names) {
    const [row] = await target.rows<{ filled: boolean }>(sql`select exists (select 1 from ${sql.identifier(name)}) as filled`);
    if (row?.filled) filled.push(name);
  }
  return filled;
}

/** Uploads the stored files kept in DATA_DIR/files to the object store (when there is one), before any row is written. */
async function moveFiles(source: SqliteDatabase, options: MoveOptions, log: (line: string) => void): Promise<{ filesUploaded: number; filesLeftInFolder: number }> {
  const { storedFiles } = source.tables;
  const inFolder = await source.db.select({ sha256: storedFiles.sha256 }).from(storedFiles).where(isNull(storedFiles.content));
  const local = new LocalFileStore(path.join(options.from, 'files'));
  const missing = inFolder.filter((file) => !fs.existsSync(local.pathOf(file.sha256)));
  if (missing.length > 0) {
    throw new MoveRefused(`${missing.length} stored file(s) are missing from ${local.root} (first: ${missing[0]!.sha256}); nothing was moved`);
  }
  if (options.s3 === null) {
    log(`files: ${inFolder.length} stay in ${local.root} (no S3_BUCKET): mount that folder as DATA_DIR/files on every node`);
    return { filesUploaded: 0, filesLeftInFolder: inFolder.length };
  }
  const store = new ObjectFileStore(options.s3, { inlineMaxBytes: options.inlineMaxBytes });
  try {
    await store.open();
    const batch = 64;
    for (let i = 0; i < inFolder.length; i += batch) {
      // adoptAll reads the file and leaves it where it is (the folder stays the embedded court's).
      await store.adoptAll(inFolder.slice(i, i + batch).map((file) => ({ stagedPath: local.pathOf(file.sha256), sha256: file.sha256 })));
    }
    for (const file of inFolder) {
      if (!(await store.has(file.sha256))) throw new Error(`the object store does not have ${file.sha256} after its upload`);
    }
    log(`files: ${inFolder.length} uploaded to bucket ${options.s3.bucket}`);
    return { filesUploaded: inFolder.length, filesLeftInFolder: 0 };
  } finally {
    store.close();
  }
}

/** Every table's rows, in one transaction on the target; the identity sequences moved past the copied ids. */
async function copyRows(source: SqliteDatabase, target: PostgresDatabase, log: (line: string) => void): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  await target.transaction(async () => {
    for (const { key, name, table } of tablesInForeignKeyOrder(source.tables)) {
      if (REBUILT.has(name)) continue;
      const targetTable = (target.tables as unknown as Record<string, unknown>)[key];
      if (!targetTable) throw new Error(`db/schema.pg.ts has no table ${name}`);
      counts[name] = await copyTable(source, target, table, targetTable as SQLiteTable);
      log(`${name}: ${counts[name]} rows`);
    }
    // `bigint generated by default as identity`: the next id after the highest copied one.
    const identities = await target.rows<{ table_name: string; column_name: string }>(
      sql`select table_name, column_name from information_schema.columns where table_schema = current_schema() and is_identity = 'YES'`,
    );
    for (const { table_name: tableName, column_name: column } of identities) {
      await target.rows(sql`select setval(pg_get_serial_sequence(${tableName}, ${column}), coalesce((select max(${sql.identifier(column)}) from ${sql.identifier(tableName)}), 0) + 1, false)`);
    }
  });
  return counts;
}

async function copyTable(source: SqliteDatabase, target: PostgresDatabase, table: SQLiteTable, targetTable: SQLiteTable): Promise<number> {
  const name = getTableName(table);
  const columns = getTableConfig(table).columns;
  const batchRows = Math.max(1, Math.min(BATCH_ROWS, Math.floor(MAX_PARAMETERS / columns.length)));
  const fields: Record<string, SQLiteColumn | SQL> = {};
  for (const column of columns) fields[columnKey(table, column)] = column;
  // The stored JSON text of the audit log's details, not a value parsed and written again: the chain hashes that text.
  if (name === 'audit_log') fields.details = sql<string | null>`${source.tables.auditLog.details}`;
  const rowid = sql<number>`${table}.rowid`;
  let last = 0;
  let copied = 0;
  for (;;) {
    const batch = (await source.db
      .select({ ...fields, rowid })
      .from(table)
      .where(gt(rowid, last))
      .orderBy(rowid)
      .limit(batchRows)) as Record<string, unknown>[];
    if (batch.length === 0) return copied;
    last = batch.at(-1)!.rowid as number;
    const rows = batch.map(({ rowid: _rowid, ...row }) => {
      if (name === 'audit_log') row.details = row.details === null ? null : sql`${row.details as string}::json`;
      // The acts' index is rebuilt on PostgreSQL (see the top of this file).
      if (name === 'judicial_acts') row.indexedAt = null;
      return row;
    });
    await target.db.insert(targetTable).values(rows as never);
    copied += rows.length;
  }
}

/** The property name drizzle gives a column of a table. */
function columnKey(table: SQLiteTable, column: SQLiteColumn): string {
  const entry = Object.entries(table).find(([, value]) => value === column);
  if (!entry) throw new Error(`column ${column.name} of ${getTableName(table)} has no property`);
  return entry[0];
}

const USAGE = `usage: npm run court:move -- --from <DATA_DIR> --to-database <postgres://…>
  Copies the court of DATA_DIR (SQLite) into an empty PostgreSQL database; with S3_BUCKET,
  S3_ENDPOINT, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY set, its files into that bucket.
  Stop the server on DATA_DIR first.`;

async function main(argv: string[]): Promise<number> {
  let values: { from?: string; 'to-database'?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args: argv, options: { from: { type: 'string' }, 'to-database': { type: 'string' }, help: { type: 'boolean' } } }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help || !values.from || !values['to-database']) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  loadDotEnv();
  // Only the object store and the inline limit are read from the environment; DATABASE_URL is the target given.
  const env: Record<string, string | undefined> = { ...process.env, DATA_DIR: values.from };
  delete env.DATABASE_URL;
  const config = loadConfig(env);
  const from = path.resolve(values.from);
  try {
    const report = await moveCourt({ from, toDatabase: values['to-database'], s3: config.cluster.s3, inlineMaxBytes: config.filesInlineMaxBytes, log: (line) => console.log(line) });
    console.log(`moved ${report.rows} rows of ${Object.keys(report.tables).length} tables in ${(report.ms / 1000).toFixed(1)} s`);
    const secretFile = path.join(from, 'secret.key');
    if (fs.existsSync(secretFile) && !process.env.EZAL_SECRET) {
      console.log(`the court's secret is in ${secretFile}: set its content as EZAL_SECRET on every node (the audit checkpoints are signed with it)`);
    }
    console.log('start the nodes with DATABASE_URL; the case file and acts search is rebuilt by the indexers in the background');
    return 0;
  } catch (error) {
    console.error(error instanceof MoveRefused ? `refused: ${error.message}` : error);
    return 1;
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}

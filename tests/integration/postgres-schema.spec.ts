/**
 * One domain, two dialects (issue 20, first step): the committed PostgreSQL migrations
 * (db/migrations-pg, from db/schema.pg.ts) build the same database as the SQLite ones
 * (db/migrations, from db/schema.ts). Both are migrated from scratch and read back from the
 * databases themselves — SQLite's PRAGMAs and sqlite_master, PostgreSQL's information_schema and
 * pg_catalog — into one neutral shape per table, which must be equal: the same columns with
 * corresponding types and nullability, primary keys, foreign keys, unique and other indexes, and
 * checks with the same allowed values. Then what the migrations add by hand: the append-only
 * tables refuse UPDATE and DELETE in both, and Russian text is found by another word form.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { is } from 'drizzle-orm';
import { getTableConfig as getPgTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { drizzle as drizzlePg, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { openDatabase, type DbHandle } from '../../db/client.ts';
import * as sqliteSchema from '../../db/schema.ts';
import * as pgSchema from '../../db/schema.pg.ts';
import { startPrivatePostgres, type PrivatePostgres } from '../helpers/postgres.ts';

const PG_MIGRATIONS = path.join(import.meta.dirname, '../../db/migrations-pg');
/** The search tables: FTS5 virtual tables in SQLite, tsvector tables in PostgreSQL (tested below). */
const SEARCH_TABLES = ['case_text', 'acts_text'];
const T0 = Date.UTC(2026, 11, 1, 5, 0, 0);

/** What a column holds, in words both dialects map to. */
type Kind = 'text' | 'integer' | 'timestamp' | 'boolean' | 'json' | 'blob';
type TableShape = {
  columns: Record<string, `${Kind}${' not null' | ''}`>;
  primaryKey: string[];
  foreignKeys: string[];
  indexes: string[];
  checks: Record<string, string>;
};
type DatabaseShape = Record<string, TableShape>;

let cluster: PrivatePostgres | undefined;
let pool: pg.Pool | undefined;
let pgDb: NodePgDatabase<typeof pgSchema>;
let sqliteDir: string;
let sqlite: DbHandle;

before(async () => {
  sqliteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-dialects-'));
  sqlite = openDatabase(sqliteDir);
  cluster = await startPrivatePostgres();
  pool = new pg.Pool({ connectionString: cluster.url, max: 2 });
  pgDb = drizzlePg({ client: pool, schema: pgSchema });
  await migratePg(pgDb, { migrationsFolder: PG_MIGRATIONS });
});

after(async () => {
  // The cluster is stopped and removed whatever failed before it.
  try {
    await pool?.end();
    sqlite?.close();
    if (sqliteDir) fs.rmSync(sqliteDir, { recursive: true, force: true });
  } finally {
    cluster?.stop();
  }
});

test('the two dialects have the same tables', async () => {
  assert.deepStrictEqual(Object.keys(await pgShape()).sort(), Object.keys(sqliteShape()).sort());
});

test('each table has the same columns, types, nullability, keys, indexes and checks in both dialects', async (t) => {
  const [fromSqlite, fromPg] = [sqliteShape(), await pgShape()];
  for (const table of Object.keys(fromSqlite).sort()) {
    await t.test(table, () => assert.deepStrictEqual(fromPg[table], fromSqlite[table], `${table} differs between db/migrations-pg (actual) and db/migrations (expected)`));
  }
});

test('each schema file describes what its committed migrations build (else: npm run db:generate / db:generate:pg)', async () => {
  type Columns = Record<string, Record<string, string>>;
  const fromDatabase = (shape: DatabaseShape): Columns =>
    Object.fromEntries(Object.entries(shape).map(([table, { columns }]) => [table, Object.fromEntries(Object.keys(columns).map((c) => [c, columns[c].endsWith(' not null') ? 'not null' : 'null']))]));
  const fromFile = (configs: { name: string; columns: { name: string; notNull: boolean; primary: boolean }[] }[]): Columns =>
    Object.fromEntries(configs.map((config) => [config.name, Object.fromEntries(config.columns.map((c) => [c.name, c.notNull || c.primary ? 'not null' : 'null']))]));
  const sqliteTables = Object.values(sqliteSchema).filter((value) => is(value, SQLiteTable));
  const pgTables = Object.values(pgSchema).filter((value) => is(value, PgTable));
  assert.deepStrictEqual(fromFile(sqliteTables.map((table) => getTableConfig(table))), fromDatabase(sqliteShape()), 'db/schema.ts against db/migrations');
  assert.deepStrictEqual(fromFile(pgTables.map((table) => getPgTableConfig(table))), fromDatabase(await pgShape()), 'db/schema.pg.ts against db/migrations-pg');
});

test('in PostgreSQL a foreign key has the type of the key it references', async () => {
  const { rows } = await pool!.query<{ fk: string; from_type: string; to_type: string }>(`
    select c.conname as fk, format_type(fa.atttypid, fa.atttypmod) as from_type, format_type(ta.atttypid, ta.atttypmod) as to_type
    from pg_constraint c
    cross join lateral unnest(c.conkey, c.confkey) as k(f, r)
    join pg_attribute fa on fa.attrelid = c.conrelid and fa.attnum = k.f
    join pg_attribute ta on ta.attrelid = c.confrelid and ta.attnum = k.r
    where c.contype = 'f' and c.connamespace = 'public'::regnamespace`);
  assert.ok(rows.length > 50, 'the foreign keys were read');
  assert.deepStrictEqual(
    rows.filter((row) => row.from_type !== row.to_type),
    [],
  );
});

test('the same rows written through drizzle read back as the same values from both dialects', async () => {
  await fixture();
  const sqliteDb = sqlite.db;
  const pick = async <T>(fromSqlite: T, fromPg: Promise<T>) => assert.deepStrictEqual(await fromPg, fromSqlite);
  await pick(sqliteDb.select().from(sqliteSchema.hearings).all(), pgDb.select().from(pgSchema.hearings));
  await pick(sqliteDb.select().from(sqliteSchema.hearingEvents).all(), pgDb.select().from(pgSchema.hearingEvents));
  await pick(sqliteDb.select().from(sqliteSchema.auditLog).all(), pgDb.select().from(pgSchema.auditLog));
  await pick(sqliteDb.select().from(sqliteSchema.storedFiles).all(), pgDb.select().from(pgSchema.storedFiles));
  await pick(sqliteDb.select().from(sqliteSchema.cases).all(), pgDb.select().from(pgSchema.cases));
  // The audit chain hashes details as stored: PostgreSQL must keep the text as written (json, not jsonb).
  const { rows } = await pool!.query<{ details: string }>('select details::text as details from audit_log');
  const stored = sqlite.sqlite.prepare('select details from audit_log').all() as { details: string }[];
  assert.deepStrictEqual(rows, stored);
});

test('the append-only logs refuse UPDATE and DELETE in both dialects', async () => {
  await fixture(); // row triggers: there must be rows to refuse changing
  const refusals = [
    ['hearing_events', "update hearing_events set type = 'forged'"],
    ['hearing_events', 'delete from hearing_events'],
    ['audit_log', "update audit_log set actor = 'someone else'"],
    ['audit_log', 'delete from audit_log'],
  ] as const;
  for (const [table, statement] of refusals) {
    const refused = new RegExp(`${table} is append-only`);
    assert.throws(() => sqlite.sqlite.prepare(statement).run(), refused, `SQLite: ${statement}`);
    await assert.rejects(pool!.query(statement), refused, `PostgreSQL: ${statement}`);
  }
  await assert.rejects(pool!.query('truncate hearing_events'), /hearing_events is append-only/);
  await assert.rejects(pool!.query('truncate audit_log cascade'), /append-only/);
  const { rows } = await pool!.query<{ n: number }>('select (select count(*) from hearing_events)::int + (select count(*) from audit_log)::int as n');
  assert.equal(rows[0].n, 2, 'nothing was changed or removed');
});

test('full-text search: Russian is stemmed, Kazakh is matched as written', async () => {
  await pool!.query(`insert into case_text (id, document_id, page, language, body) values
    (4294967297, 'doc-ru', 1, 'ru', 'Обвиняется в совершении кражи чужого имущества'),
    (4294967298, 'doc-kk', 1, 'kk', 'Бөтеннің мүлкін ұрлағаны үшін айыпталады')`);
  const search = async (language: 'ru' | 'kk', words: string) =>
    (await pool!.query<{ document_id: string }>('select document_id from case_text where body_tsv @@ websearch_to_tsquery(ezal_search_config($1), $2) order by id', [language, words])).rows.map(
      (row) => row.document_id,
    );
  assert.deepStrictEqual(await search('ru', 'кража'), ['doc-ru'], '«кража» finds «кражи»');
  assert.deepStrictEqual(await search('ru', 'ИМУЩЕСТВО'), ['doc-ru']);
  assert.deepStrictEqual(await search('kk', 'бөтеннің'), ['doc-kk'], 'case folded, as written');
  assert.deepStrictEqual(await search('kk', 'ұрлық'), [], 'no Kazakh stemming');

  await pool!.query(`insert into acts_text (text_key, language, body, public_body, tags) values
    (1, 'ru', 'Иванов признан виновным в краже', 'Лицо 1 признано виновным в краже', 'court_c1 article_188 outcome_convicted')`);
  const acts = await pool!.query('select text_key from acts_text where public_body_tsv @@ websearch_to_tsquery(ezal_search_config($1), $2) and tags_tsv @@ to_tsquery($3, $4)', [
    'ru',
    'кражи',
    'simple',
    'article_188',
  ]);
  assert.equal(acts.rowCount, 1);
  const indexes = await pool!.query<{ indexname: string }>("select indexname from pg_indexes where tablename in ('case_text', 'acts_text') and indexdef like '%USING gin%' order by 1");
  assert.deepStrictEqual(
    indexes.rows.map((row) => row.indexname),
    ['acts_text_body_search', 'acts_text_public_body_search', 'acts_text_tags_search', 'case_text_search'],
  );
});

// ---- reading each database's shape --------------------------------------------------------------

function sqliteShape(): DatabaseShape {
  const db = sqlite.sqlite;
  const master = db.prepare("select name, sql from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%'").all() as { name: string; sql: string }[];
  const virtual = master.filter((row) => /^CREATE VIRTUAL TABLE/i.test(row.sql)).map((row) => row.name);
  const isFts = (name: string) => virtual.some((v) => name === v || /^_(data|idx|content|docsize|config)$/.test(name.slice(v.length)));
  const modes = drizzleSqliteKinds();
  const shape: DatabaseShape = {};
  for (const { name, sql } of master.filter((row) => !isFts(row.name))) {
    const info = db.pragma(`table_info(${quote(name)})`) as { name: string; type: string; notnull: number; pk: number }[];
    const columns: TableShape['columns'] = {};
    for (const column of info) {
      const kind = modes.get(`${name}.${column.name}`) ?? declaredKind(column.type);
      columns[column.name] = `${kind}${column.notnull || column.pk ? ' not null' : ''}`;
    }
    const fkRows = db.pragma(`foreign_key_list(${quote(name)})`) as { id: number; seq: number; table: string; from: string; to: string; on_update: string; on_delete: string }[];
    const foreignKeys = [...Map.groupBy(fkRows, (row) => row.id).values()].map((rows) => {
      rows.sort((a, b) => a.seq - b.seq);
      return foreignKey(
        rows.map((row) => row.from),
        rows[0].table,
        rows.map((row) => row.to),
        rows[0].on_update,
        rows[0].on_delete,
      );
    });
    const indexRows = db.pragma(`index_list(${quote(name)})`) as { name: string; unique: number; origin: string; partial: number }[];
    const indexes = indexRows
      .filter((row) => row.origin !== 'pk')
      .map((row) => {
        const columnsOf = (db.pragma(`index_info(${quote(row.name)})`) as { seqno: number; name: string }[]).sort((a, b) => a.seqno - b.seqno).map((c) => c.name);
        return indexShape(columnsOf, row.unique === 1, row.partial === 1);
      });
    shape[name] = {
      columns,
      primaryKey: info
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name),
      foreignKeys: foreignKeys.sort(),
      indexes: indexes.sort(),
      checks: Object.fromEntries([...sqliteChecks(sql)].map(([checkName, expression]) => [checkName, normaliseCheck(expression)])),
    };
  }
  return shape;
}

async function pgShape(): Promise<DatabaseShape> {
  const query = async <T extends pg.QueryResultRow>(text: string) => (await pool!.query<T>(text)).rows;
  const tables = await query<{ name: string }>("select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'");
  const columns = await query<{ table_name: string; column_name: string; data_type: string; is_nullable: string; datetime_precision: number | null }>(
    "select table_name, column_name, data_type, is_nullable, datetime_precision from information_schema.columns where table_schema = 'public' order by table_name, ordinal_position",
  );
  // Every constraint with its columns in key order (unnest … with ordinality keeps conkey's order).
  const constraints = await query<{
    table_name: string;
    name: string;
    type: string;
    columns: string[];
    ref_table: string | null;
    ref_columns: string[] | null;
    upd: string;
    del: string;
    def: string;
  }>(`
    select c.conrelid::regclass::text as table_name, c.conname as name, c.contype as type,
      array(select a.attname from unnest(c.conkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k.n order by k.i)::text[] as columns,
      c.confrelid::regclass::text as ref_table,
      array(select a.attname from unnest(c.confkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = c.confrelid and a.attnum = k.n order by k.i)::text[] as ref_columns,
      c.confupdtype as upd, c.confdeltype as del, pg_get_constraintdef(c.oid) as def
    from pg_constraint c where c.connamespace = 'public'::regnamespace and c.contype in ('p', 'f', 'c')`);
  const indexes = await query<{ table_name: string; columns: string[]; unique: boolean; partial: boolean }>(`
    select i.indrelid::regclass::text as table_name, i.indisunique as unique, i.indpred is not null as partial,
      array(select a.attname from unnest(i.indkey::int2[]) with ordinality k(n, o) join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.n order by k.o)::text[] as columns
    from pg_index i join pg_class t on t.oid = i.indrelid
    where t.relnamespace = 'public'::regnamespace and not i.indisprimary`);
  const actions: Record<string, string> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };
  const shape: DatabaseShape = {};
  for (const { name } of tables.filter((row) => !SEARCH_TABLES.includes(row.name))) {
    const own = constraints.filter((c) => c.table_name === name);
    shape[name] = {
      columns: Object.fromEntries(
        columns
          .filter((c) => c.table_name === name)
          .map((c) => [c.column_name, `${pgKind(c.data_type, c.datetime_precision, `${name}.${c.column_name}`)}${c.is_nullable === 'NO' ? ' not null' : ''}` as const]),
      ),
      primaryKey: own.find((c) => c.type === 'p')?.columns ?? [],
      foreignKeys: own
        .filter((c) => c.type === 'f')
        .map((c) => foreignKey(c.columns, c.ref_table!, c.ref_columns!, actions[c.upd], actions[c.del]))
        .sort(),
      indexes: indexes
        .filter((i) => i.table_name === name)
        .map((i) => indexShape(i.columns, i.unique, i.partial))
        .sort(),
      checks: Object.fromEntries(own.filter((c) => c.type === 'c').map((c) => [c.name, normaliseCheck(c.def.replace(/^CHECK\s*/, ''))])),
    };
  }
  return shape;
}

/** The kind of each column as schema.ts declares its mode (the SQLite file only says integer/text/blob). */
function drizzleSqliteKinds(): Map<string, Kind> {
  const kinds = new Map<string, Kind>();
  const byColumnType: Record<string, Kind> = {
    SQLiteTimestamp: 'timestamp',
    SQLiteBoolean: 'boolean',
    SQLiteTextJson: 'json',
    SQLiteBlobBuffer: 'blob',
    SQLiteInteger: 'integer',
    SQLiteText: 'text',
  };
  for (const value of Object.values(sqliteSchema)) {
    if (!is(value, SQLiteTable)) continue;
    const config = getTableConfig(value);
    for (const column of config.columns) {
      const kind = byColumnType[column.columnType];
      assert.ok(kind, `${config.name}.${column.name}: no PostgreSQL counterpart known for ${column.columnType}`);
      kinds.set(`${config.name}.${column.name}`, kind);
    }
  }
  return kinds;
}

function declaredKind(type: string): Kind {
  const lower = type.toLowerCase();
  if (lower === 'integer') return 'integer';
  if (lower === 'blob') return 'blob';
  return 'text';
}

function pgKind(dataType: string, precision: number | null, where: string): Kind {
  switch (dataType) {
    case 'text':
      return 'text';
    case 'integer':
    case 'bigint':
      return 'integer';
    case 'boolean':
      return 'boolean';
    case 'json':
    case 'jsonb':
      return 'json';
    case 'bytea':
      return 'blob';
    case 'timestamp with time zone':
      // Milliseconds, as SQLite's timestamp_ms: a finer precision would not read back the same.
      assert.equal(precision, 3, `${where}: timestamp(3) with time zone expected`);
      return 'timestamp';
    default:
      throw new assert.AssertionError({ message: `${where}: ${dataType} has no SQLite counterpart` });
  }
}

function foreignKey(from: string[], table: string, to: string[], onUpdate: string, onDelete: string): string {
  return `(${from.join(', ')}) → ${table}(${to.join(', ')}) on update ${onUpdate.toLowerCase()} on delete ${onDelete.toLowerCase()}`;
}

function indexShape(columns: string[], unique: boolean, partial: boolean): string {
  return `${unique ? 'unique ' : ''}(${columns.join(', ')})${partial ? ' partial' : ''}`;
}

/** `CONSTRAINT "name" CHECK(<expression>)` clauses of a CREATE TABLE, parentheses balanced. */
function* sqliteChecks(createTable: string): Generator<[string, string]> {
  const start = /CONSTRAINT\s+["`]?(\w+)["`]?\s+CHECK\s*\(/gi;
  for (let match = start.exec(createTable); match; match = start.exec(createTable)) {
    let depth = 1;
    let end = start.lastIndex;
    for (; end < createTable.length && depth > 0; end++) {
      if (createTable[end] === '(') depth++;
      if (createTable[end] === ')') depth--;
    }
    yield [match[1], createTable.slice(start.lastIndex, end - 1)];
  }
}

/**
 * One form for a check in either dialect: `column in [sorted values]` for an enumeration (SQLite
 * keeps `x in ('a', 'b')` as written, PostgreSQL shows `x = ANY (ARRAY['a'::text, …])`), else the
 * expression without quotes, table names, casts, parentheses and spaces.
 */
function normaliseCheck(expression: string): string {
  const enumeration = /^[\s(]*"?(\w+)"?\s*(?:in\s*\(|=\s*ANY\s*\(\s*ARRAY\[)/i.exec(expression);
  if (enumeration) {
    const values = [...expression.matchAll(/'([^']*)'/g)].map((m) => m[1]).sort();
    return `${enumeration[1]} in [${values.join(', ')}]`;
  }
  return expression
    .replace(/::\w+/g, '')
    .replace(/["`]\w+["`]\./g, '')
    .replace(/["`()\s]/g, '');
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

// ---- the rows both databases get ----------------------------------------------------------------

let inserted: Promise<void> | undefined;
/** Inserts the rows once, whichever test asks first. */
function fixture(): Promise<void> {
  inserted ??= insertFixture();
  return inserted;
}

async function insertFixture(): Promise<void> {
  const at = (minutes: number) => new Date(T0 + minutes * 60_000 + 123);
  const court = { id: 'court-1', code: 'C1', nameKk: 'Сот', nameRu: 'Суд', nameEn: 'Court' };
  const user = { id: 'judge-1', username: 'judge', passwordHash: 'x', fullName: 'Судья', createdAt: at(0) };
  const hall = { id: 'hall-1', courtId: court.id, code: '1', nameKk: 'Зал 1', nameRu: 'Зал 1', nameEn: 'Hall 1' };
  const kase = {
    id: 'case-1',
    courtId: court.id,
    caseNumber: '1-1/2026',
    category: 'crime' as const,
    language: 'ru' as const,
    summaryKk: '…',
    summaryRu: '…',
    summaryEn: '…',
    qualification: [{ code: '188', article: '188', part: '2' }],
    receivedAt: at(1),
    createdAt: at(1),
  };
  const hearing = { id: 'hearing-1', caseId: kase.id, hallId: hall.id, scheduledAt: at(60), presidingJudgeId: user.id, createdAt: at(2) };
  const event = { hearingId: hearing.id, version: 1, at: at(61), actorUserId: user.id, actorRole: 'presiding_judge', type: 'hearing.opened', payload: { stage: 'opening', by: user.id } };
  const audit = {
    at: at(62),
    userId: user.id,
    actor: 'judge',
    action: 'hearing.open',
    outcome: 'allowed' as const,
    caseId: kase.id,
    details: { zeta: 1, alpha: [1, 2], nested: { b: true, a: null } },
  };
  const file = { sha256: 'ab'.repeat(32), size: 3, content: Buffer.from([0, 1, 255]), storedAt: at(3) };

  const s = sqliteSchema;
  sqlite.atomically(() => {
    sqlite.db
      .insert(s.courts)
      .values({ ...court, createdAt: at(0) })
      .run();
    sqlite.db.insert(s.users).values(user).run();
    sqlite.db.insert(s.halls).values(hall).run();
    sqlite.db.insert(s.cases).values(kase).run();
    sqlite.db.insert(s.hearings).values(hearing).run();
    sqlite.db.insert(s.hearingEvents).values(event).run();
    sqlite.db.insert(s.auditLog).values(audit).run();
    sqlite.db.insert(s.storedFiles).values(file).run();
  });
  const p = pgSchema;
  await pgDb.transaction(async (tx) => {
    await tx.insert(p.courts).values({ ...court, createdAt: at(0) });
    await tx.insert(p.users).values(user);
    await tx.insert(p.halls).values(hall);
    await tx.insert(p.cases).values(kase);
    await tx.insert(p.hearings).values(hearing);
    await tx.insert(p.hearingEvents).values(event);
    await tx.insert(p.auditLog).values(audit);
    await tx.insert(p.storedFiles).values(file);
  });
}

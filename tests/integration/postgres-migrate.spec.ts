/**
 * Several nodes may start at the same moment on one empty PostgreSQL database (issue 20):
 * db/postgres.ts migrates under an advisory lock, so both succeed and the schema is built once.
 * Each node is a real Node process; they connect first and are released together, so their
 * migrations really overlap. The second test shows why the lock is there: drizzle's migrator run
 * the same way without it fails.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import pg from 'pg';
import { migratePostgres } from '../../db/postgres.ts';
import { privatePostgresForFile, queryOnce } from '../helpers/postgres.ts';

const ROOT = path.join(import.meta.dirname, '../..');
const JOURNAL = JSON.parse(fs.readFileSync(path.join(ROOT, 'db/migrations-pg/meta/_journal.json'), 'utf8')) as { entries: { tag: string }[] };

/** A node at start: connects, says "ready", waits for "go" on stdin, then migrates. */
const WITH_LOCK = `
  import pg from 'pg';
  import { migratePostgres } from ${JSON.stringify(new URL('../../db/postgres.ts', import.meta.url).href)};
  const pool = new pg.Pool({ connectionString: process.env.EZAL_TEST_PG_URL });
  (await pool.connect()).release();
  process.stdout.write('ready\\n');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  try { await migratePostgres(pool); } finally { await pool.end(); }
`;
/** The same with drizzle's migrator alone, as db/postgres.ts would be without its lock. */
const WITHOUT_LOCK = `
  import pg from 'pg';
  import { drizzle } from 'drizzle-orm/node-postgres';
  import { migrate } from 'drizzle-orm/node-postgres/migrator';
  const pool = new pg.Pool({ connectionString: process.env.EZAL_TEST_PG_URL });
  (await pool.connect()).release();
  process.stdout.write('ready\\n');
  await new Promise((resolve) => process.stdin.once('data', resolve));
  try { await migrate(drizzle({ client: pool }), { migrationsFolder: 'db/migrations-pg' }); } finally { await pool.end(); }
`;

const postgres = privatePostgresForFile();

test('two nodes starting together on an empty database both migrate it, and it is built once', async () => {
  const reference = await postgres.createDatabase('reference');
  const [alone] = await startTogether(WITH_LOCK, reference, 1);
  assert.equal(alone.code, 0, alone.stderr);

  const shared = await postgres.createDatabase('shared');
  const nodes = await startTogether(WITH_LOCK, shared, 2);
  for (const [i, node] of nodes.entries()) assert.equal(node.code, 0, `node ${i + 1} failed: ${node.stderr}`);

  assert.deepStrictEqual(await tables(shared), await tables(reference), 'the same tables as one node alone builds');
  assert.ok((await tables(shared)).length > 20, 'the whole schema');
  const journal = await queryOnce<{ hash: string; n: number }>(shared, 'select hash, count(*)::int as n from drizzle.__drizzle_migrations group by hash');
  assert.equal(journal.length, JOURNAL.entries.length, 'each committed migration is in the journal');
  assert.ok(
    journal.every((row) => row.n === 1),
    'and applied exactly once',
  );
});

test('the lock goes back with the pooled connection released, after success and after a failed migration', async () => {
  const advisoryLocks = async (pool: pg.Pool) => (await pool.query("select 1 from pg_locks where locktype = 'advisory'")).rowCount;
  const fine = new pg.Pool({ connectionString: await postgres.createDatabase('in_process') });
  const broken = new pg.Pool({ connectionString: await postgres.createDatabase('in_process_broken') });
  try {
    await migratePostgres(fine);
    await migratePostgres(fine);
    assert.equal(fine.totalCount, 1, 'the connection that held the lock stays in the pool');
    assert.equal(await advisoryLocks(fine), 0);

    await broken.query('create table courts (id text)');
    await assert.rejects(migratePostgres(broken), (error: Error) => /relation "courts" already exists/.test(String(error.cause)));
    assert.equal(await advisoryLocks(broken), 0);
  } finally {
    await Promise.all([fine.end(), broken.end()]);
  }
});

test('without the lock, drizzle’s migrator fails when two nodes start together (why the lock is there)', async (t) => {
  // A race: a few rounds, each on a fresh database; one failure is enough to show it.
  const failures: string[] = [];
  let round = 0;
  while (failures.length === 0 && round < 5) {
    round++;
    const nodes = await startTogether(WITHOUT_LOCK, await postgres.createDatabase(`unlocked_${round}`), 2);
    failures.push(...nodes.filter((node) => node.code !== 0).map((node) => node.stderr));
  }
  assert.ok(failures.length > 0, 'two unlocked migrators never collided in 5 rounds');
  t.diagnostic(`collided in round ${round}: ${/error: .*/.exec(failures[0])?.[0] ?? failures[0].slice(0, 200)}`);
  assert.match(failures[0], /already exists|duplicate key/);
});

// ---- helpers ------------------------------------------------------------------------------------

async function tables(url: string): Promise<string[]> {
  const rows = await queryOnce<{ name: string }>(url, "select table_schema || '.' || table_name as name from information_schema.tables where table_schema in ('public', 'drizzle') order by 1");
  return rows.map((row) => row.name);
}

type Exit = { code: number | null; stderr: string };

/** Starts `count` node processes running `script`, releases them together once all are connected. */
async function startTogether(script: string, url: string, count: number): Promise<Exit[]> {
  const children = Array.from({ length: count }, () =>
    spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, env: { ...process.env, EZAL_TEST_PG_URL: url }, stdio: ['pipe', 'pipe', 'pipe'] }),
  );
  const exits = children.map(
    (child) =>
      new Promise<Exit>((resolve) => {
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.on('close', (code) => resolve({ code, stderr }));
      }),
  );
  const ready = children.map(
    (child) =>
      new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
        child.once('close', () => reject(new Error('a node exited before it was ready')));
      }),
  );
  try {
    await Promise.all(ready);
  } catch (error) {
    for (const child of children) child.kill();
    const ended = await Promise.all(exits);
    throw new Error(`${(error as Error).message}: ${ended.map((exit) => exit.stderr).join('\n')}`, { cause: error });
  }
  for (const child of children) child.stdin.end('go\n');
  return Promise.all(exits);
}

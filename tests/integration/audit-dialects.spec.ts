/**
 * The audit log on both dialects (issue 20): AuditRepository chains every row it writes and
 * checkpoints the head on SQLite and on PostgreSQL alike; its walk over the chain
 * (`verifyChain`, how the admin page checks it on PostgreSQL) gives the verdict the SQLite file's
 * verifier gives; an entry recorded inside a caller's transaction commits or rolls back with it;
 * two nodes writing at once on PostgreSQL still leave one unbroken chain; and a row changed
 * behind the triggers' back is found on either.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import SQLite from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import { openPostgresDb, type Database, type SqliteDatabase } from '../../db/database.ts';
import { verifyAuditChain } from '../../server/src/audit/audit-chain.ts';
import { AuditRepository } from '../../server/src/audit/audit.repository.ts';
import { loadSecrets } from '../../server/src/secrets.ts';
import type { AuditChainVerdict } from '../../server/src/shared/api/audit-chain.ts';
import { openBothDialects, type BothDialects } from '../helpers/both-dialects.ts';

/** The installation's secret, as EZAL_SECRET: the admin command derives the checkpoints' key from it as the server does. */
const SECRET = 'audit-dialects-test-secret-of-forty-characters';
const KEY = loadSecrets('', { EZAL_SECRET: SECRET }).auditKey;
const root = path.resolve(import.meta.dirname, '..', '..');

/** `npm run admin -- audit:verify` against one of the two databases: its exit code and verdict. */
function adminVerify(both: BothDialects, dialect: 'sqlite' | 'postgres'): { code: number | null; verdict: AuditChainVerdict } {
  const where = dialect === 'sqlite' ? { DATA_DIR: path.dirname(fileOf(both.sqlite)) } : { DATA_DIR: os.tmpdir(), DATABASE_URL: both.postgresUrl };
  const result = spawnSync(process.execPath, ['server/src/cli/admin.ts', 'audit:verify'], { cwd: root, encoding: 'utf8', env: { ...process.env, EZAL_SECRET: SECRET, ...where } });
  assert.equal(result.stderr.trim(), '', `${dialect}: ${result.stderr}`);
  return { code: result.status, verdict: JSON.parse(result.stdout) as AuditChainVerdict };
}

async function count(database: Database): Promise<number> {
  const [row] = await database.rows<{ n: number | string }>(sql`select count(*) as n from audit_log`);
  return Number(row!.n);
}

describe('the audit log on SQLite and on PostgreSQL', () => {
  let both: BothDialects;
  let audits: [AuditRepository, AuditRepository];

  before(async () => {
    both = await openBothDialects();
    audits = [new AuditRepository(both.sqlite), new AuditRepository(both.postgres)];
  });
  after(async () => both?.close());

  test('rows are chained and checkpointed alike; the walk finds the chain whole', async () => {
    for (const audit of audits) {
      assert.equal(await audit.checkpoint(KEY), null, 'an empty log has no head');
      await audit.record({ userId: 'u-1', actor: 'judge', action: 'case.read', outcome: 'allowed', caseId: 'c-1', ip: '10.0.0.1' });
      await audit.record({ actor: 'anonymous', action: 'auth.login', outcome: 'denied', ip: null, details: { reason: 'wrong_password', nested: { b: 2, a: 1 }, text: 'Қазақша' } });
      await audit.record({ userId: 'u-2', actor: 'office', action: 'ecase.upload', outcome: 'allowed', target: 't-1' });
      const head = await audit.checkpoint(KEY);
      assert.equal(head?.auditId, 3);
      assert.deepEqual(await audit.checkpoint(KEY), head, 'no new rows: the same head, no second checkpoint');
      await audit.record({ userId: 'u-1', actor: 'judge', action: 'case.read', outcome: 'failed' });
    }
    const verdicts = await Promise.all(audits.map((audit) => audit.verifyChain(KEY, 2)));
    for (const verdict of verdicts) {
      assert.equal(verdict.ok, true, JSON.stringify(verdict.problems));
      assert.equal(verdict.rows, 4);
      assert.equal(verdict.checkpoints, 1);
      assert.equal(verdict.head?.auditId, 4);
      assert.equal(verdict.lastCheckpoint?.signatureValid, true);
    }
    // On SQLite the page-by-page walk and the file's verifier (the worker's, the admin command's) agree.
    const file = new SQLite(fileOf(both.sqlite), { readonly: true });
    try {
      assert.deepEqual(verifyAuditChain(file, KEY), verdicts[0]);
    } finally {
      file.close();
    }
    // The admin command gives that verdict on either: the file on SQLite, the pages on PostgreSQL.
    for (const [i, dialect] of (['sqlite', 'postgres'] as const).entries()) {
      const { code, verdict } = adminVerify(both, dialect);
      assert.equal(code, 0, dialect);
      assert.deepEqual(verdict, verdicts[i], dialect);
    }
  });

  test("an entry recorded in a caller's transaction commits with it, and is gone when it rolls back", async () => {
    for (const [i, audit] of audits.entries()) {
      const database = both.all[i]!;
      const before = await count(database);
      await assert.rejects(
        database.transaction(async () => {
          await audit.record({ actor: 'judge', action: 'motion.file', outcome: 'allowed' });
          throw new Error('the filing failed');
        }),
        /the filing failed/,
      );
      assert.equal(await count(database), before);
      await database.transaction(async () => {
        await audit.record({ actor: 'judge', action: 'motion.file', outcome: 'allowed' });
        await audit.record({ actor: 'judge', action: 'motion.file', outcome: 'allowed', details: { second: true } });
      });
      assert.equal(await count(database), before + 2);
      assert.equal((await audit.verifyChain(KEY)).ok, true);
    }
  });

  test('two nodes recording at once on PostgreSQL leave one unbroken chain', async () => {
    const other = await openPostgresDb(both.postgresUrl, { poolSize: 4 });
    try {
      const nodes = [audits[1], new AuditRepository(other)];
      const before = await count(both.postgres);
      await Promise.all(Array.from({ length: 60 }, (_, i) => nodes[i % 2]!.record({ actor: `node-${i % 2}`, action: 'socket.refused', outcome: 'denied', details: { i } })));
      assert.equal(await count(both.postgres), before + 60);
      const verdict = await audits[1].verifyChain(KEY, 7);
      assert.equal(verdict.ok, true, JSON.stringify(verdict.problems));
      assert.equal(verdict.rows, before + 60);
    } finally {
      await other.close();
    }
  });

  test('a row changed behind the triggers is found on either dialect', async () => {
    // SQLite: through the file, its triggers dropped.
    const file = new SQLite(fileOf(both.sqlite));
    try {
      file.exec('DROP TRIGGER IF EXISTS audit_log_no_update');
      file.prepare("update audit_log set outcome = 'failed' where id = 2").run();
    } finally {
      file.close();
    }
    // PostgreSQL: its triggers disabled for the one statement.
    await both.postgres.transaction(async () => {
      await both.postgres.rows(sql`alter table audit_log disable trigger user`);
      await both.postgres.rows(sql`update audit_log set outcome = 'failed' where id = 2`);
      await both.postgres.rows(sql`alter table audit_log enable trigger user`);
    });
    for (const audit of audits) {
      const verdict = await audit.verifyChain(KEY, 3);
      assert.equal(verdict.ok, false);
      assert.deepEqual(
        verdict.problems.map((p) => [p.kind, p.auditId]),
        [['hash_mismatch', 2]],
      );
    }
    for (const dialect of ['sqlite', 'postgres'] as const) {
      const { code, verdict } = adminVerify(both, dialect);
      assert.equal(code, 3, `${dialect}: the admin command exits 3 on a broken chain`);
      assert.deepEqual(
        verdict.problems.map((p) => [p.kind, p.auditId]),
        [['hash_mismatch', 2]],
        dialect,
      );
    }
  });
});

function fileOf(database: Database): string {
  return (database as SqliteDatabase).legacy.file;
}

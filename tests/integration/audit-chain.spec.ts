/**
 * The audit log is tamper-evident: the server chains every row it writes to the one before and
 * checkpoints the head under the installation's secret; `npm run admin -- audit:verify` says the
 * chain is whole. Then someone with the database file drops the append-only triggers and changes a
 * row, removes a row, cuts rows off the end, or recomputes the whole chain: each time the verifier
 * says so, with the row, and exits 3.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { AUDIT_GENESIS, chainHash, type AuditRow } from '../../server/src/audit/audit-chain.ts';
import fs from 'node:fs';
import os from 'node:os';
import { pino } from 'pino';
import { loadConfig } from '../../server/src/config.ts';
import { startServer, type RunningServer } from '../../server/src/server.ts';
import { ApiClient } from '../helpers/server.ts';

const root = path.resolve(import.meta.dirname, '..', '..');

function verify(dataDir: string): { code: number | null; verdict: { ok: boolean; rows: number; checkpoints: number; problems: { kind: string; auditId: number }[] } } {
  const result = spawnSync(process.execPath, ['server/src/cli/admin.ts', 'audit:verify'], { cwd: root, encoding: 'utf8', env: { ...process.env, DATA_DIR: dataDir } });
  return { code: result.status, verdict: JSON.parse(result.stdout) };
}

describe('a tamper-evident audit log', () => {
  let server: RunningServer;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-audit-'));

  before(async () => {
    // Its own data folder, kept after the server stops: the verifier reads it afterwards.
    server = await startServer(loadConfig({ DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', MEDIA_WORKERS: '0', LOG_LEVEL: 'silent' }), pino({ level: 'silent' }));
    // Some audited work: logins, a refused one, a case opened and one refused.
    for (const username of ['judge', 'secretary', 'prosecutor']) await new ApiClient(server.url).login(username);
    await new ApiClient(server.url).post('/api/auth/login', { username: 'judge', password: 'wrong-password-1' });
    const lawyer = new ApiClient(server.url);
    await lawyer.login('defender');
    await lawyer.get('/api/cases');
    // Refusals are audited: a judge and a lawyer asking for the situation centre, several times.
    const judge = new ApiClient(server.url);
    await judge.login('judge');
    for (let i = 0; i < 4; i++) for (const client of [judge, lawyer]) assert.equal((await client.get('/api/situation')).status, 403);
  });
  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  test('the log the server wrote verifies whole, with the checkpoints written at its start and stop', async () => {
    await server.close();
    const { code, verdict } = verify(dataDir);
    assert.equal(code, 0, JSON.stringify(verdict));
    assert.equal(verdict.ok, true);
    assert.ok(verdict.rows >= 5, `rows: ${verdict.rows}`);
    assert.ok(verdict.checkpoints >= 1);
  });

  test('a changed row, a removed row, rows cut off the end, a recomputed chain: each is found', async () => {
    const file = path.join(dataDir, 'ezal.sqlite');
    const tamper = (fn: (db: Database.Database) => void) => {
      const db = new Database(file);
      db.pragma('foreign_keys = OFF');
      db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete; DROP TRIGGER IF EXISTS audit_chain_no_delete; DROP TRIGGER IF EXISTS audit_chain_no_update');
      fn(db);
      db.close();
    };
    const ids = () => {
      const db = new Database(file, { readonly: true });
      const rows = (db.prepare('select id from audit_log order by id').all() as { id: number }[]).map((r) => r.id);
      db.close();
      return rows;
    };

    // A refusal rewritten as allowed.
    const changed = ids()[2];
    tamper((db) => db.prepare("update audit_log set outcome = case outcome when 'allowed' then 'denied' else 'allowed' end where id = ?").run(changed));
    let result = verify(dataDir);
    assert.equal(result.code, 3);
    assert.deepEqual(
      result.verdict.problems.map((p) => [p.kind, p.auditId]),
      [['hash_mismatch', changed]],
    );
    // Put back, and the chain is whole again.
    tamper((db) => db.prepare("update audit_log set outcome = case outcome when 'allowed' then 'denied' else 'allowed' end where id = ?").run(changed));
    assert.equal(verify(dataDir).code, 0);

    // A row removed from the middle (with its hash).
    const all = ids();
    assert.ok(all.length >= 6, `rows: ${all.length}`);
    const removed = all[Math.floor(all.length / 2)];
    tamper((db) => {
      db.prepare('delete from audit_chain where audit_id = ?').run(removed);
      db.prepare('delete from audit_log where id = ?').run(removed);
    });
    result = verify(dataDir);
    assert.equal(result.code, 3);
    // The row after it no longer follows from the row before it.
    assert.ok(
      result.verdict.problems.some((p) => p.kind === 'hash_mismatch' && p.auditId === all[all.indexOf(removed) + 1]),
      JSON.stringify(result.verdict.problems),
    );

    // The newest rows cut off: the chain that is left is whole, but it no longer reaches the checkpoint.
    const last = ids().at(-1)!;
    tamper((db) => {
      db.prepare('delete from audit_chain where audit_id >= ?').run(last);
      db.prepare('delete from audit_log where id >= ?').run(last);
    });
    result = verify(dataDir);
    assert.equal(result.code, 3);
    assert.ok(
      result.verdict.problems.some((p) => p.kind === 'checkpoint_row_missing' && p.auditId === last),
      JSON.stringify(result.verdict.problems),
    );

    // Everything recomputed from scratch by someone without the installation's secret: the chain
    // is consistent again, but the checkpoints no longer match it.
    tamper((db) => {
      db.exec('delete from audit_chain');
      let previous = AUDIT_GENESIS;
      const rows = db.prepare('select id, at, user_id as userId, actor, action, outcome, case_id as caseId, target, ip, details from audit_log order by id').all() as AuditRow[];
      for (const row of rows) {
        previous = chainHash(previous, row);
        db.prepare('insert into audit_chain (audit_id, hash) values (?, ?)').run(row.id, previous);
      }
    });
    result = verify(dataDir);
    assert.equal(result.code, 3);
    assert.ok(
      result.verdict.problems.length > 0 && result.verdict.problems.every((p) => p.kind === 'checkpoint_mismatch' || p.kind === 'checkpoint_row_missing'),
      JSON.stringify(result.verdict.problems),
    );
  });
});

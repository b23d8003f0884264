/**
 * The admin page's check of the audit chain over HTTP: the administrator is
 * told the chain is whole, with the rows checked and the last signed checkpoint; a judge is refused
 * (and the refusal audited); nobody logged in is a 401. Someone with the database file drops the
 * append-only triggers and rewrites a row: the next check names that row. A large log is walked
 * off the server's thread: the server answers other requests meanwhile.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { AUDIT_GENESIS, chainHash } from '../../server/src/audit/audit-chain.ts';
import { loadConfig } from '../../server/src/config.ts';
import { startServer, type RunningServer } from '../../server/src/server.ts';
import { ApiClient } from '../helpers/server.ts';

type Check = {
  ok: boolean;
  rows: number;
  checkpoints: number;
  lastCheckpoint: { id: number; auditId: number; at: string; signatureValid: boolean } | null;
  problems: { kind: string; auditId: number; detail: string }[];
  checkedAt: string;
  durationMs: number;
};

describe('the audit chain on the admin page', () => {
  let server: RunningServer;
  let admin: ApiClient;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-audit-admin-'));
  const start = () => startServer(loadConfig({ DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', MEDIA_WORKERS: '0', LOG_LEVEL: 'silent' }), pino({ level: 'silent' }));

  before(async () => {
    // A first run writes audited logins and checkpoints the head as it stops; the second run is checked.
    server = await start();
    for (const username of ['judge', 'secretary']) await new ApiClient(server.url).login(username);
    await server.close();
    server = await start();
    admin = new ApiClient(server.url);
    await admin.login('admin');
  });
  after(async () => {
    await server?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('the administrator is told the chain is whole, with the last checkpoint and its signature', async () => {
    const answer = await admin.get('/api/admin/audit-chain');
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const check = answer.body as Check;
    assert.equal(check.ok, true, JSON.stringify(check.problems));
    assert.deepEqual(check.problems, []);
    assert.ok(check.rows >= 1, `rows: ${check.rows}`);
    assert.ok(check.checkpoints >= 1, "the checkpoint written at the first run's stop");
    assert.equal(check.lastCheckpoint?.signatureValid, true);
    assert.ok(Date.parse(check.lastCheckpoint!.at) <= Date.parse(check.checkedAt));
    assert.equal(typeof check.durationMs, 'number');
  });

  test('a judge is refused, and the refusal is audited; nobody logged in is a 401', async () => {
    const judge = new ApiClient(server.url);
    await judge.login('judge');
    const refused = await judge.get('/api/admin/audit-chain');
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'forbidden');
    const row = server.sqlite!.prepare("select outcome from audit_log where actor = 'judge' and action = 'audit.verify' order by id desc limit 1").get() as { outcome: string } | undefined;
    assert.equal(row?.outcome, 'denied');

    const anonymous = await new ApiClient(server.url).get('/api/admin/audit-chain');
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.error.code, 'unauthenticated');
  });

  test('a large log is walked off the server thread: other requests are answered meanwhile', async () => {
    // 100,000 more rows, chained as the server chains them (what a busy court writes in weeks).
    const sqlite = server.sqlite!;
    const last = sqlite.prepare('select audit_id as id, hash from audit_chain order by audit_id desc limit 1').get() as { id: number; hash: string };
    const insertRow = sqlite.prepare(
      "insert into audit_log (at, user_id, actor, action, outcome, case_id, target, ip, details) values (?, null, 'judge', 'document.read', 'allowed', 'case', 'document', '127.0.0.1', '{\"page\":1}')",
    );
    const insertHash = sqlite.prepare('insert into audit_chain (audit_id, hash) values (?, ?)');
    sqlite.transaction(() => {
      let previous = last.hash ?? AUDIT_GENESIS;
      for (let i = 0; i < 100_000; i++) {
        const at = Date.now();
        const id = Number(insertRow.run(at).lastInsertRowid);
        previous = chainHash(previous, {
          id,
          at,
          userId: null,
          actor: 'judge',
          action: 'document.read',
          outcome: 'allowed',
          caseId: 'case',
          target: 'document',
          ip: '127.0.0.1',
          details: '{"page":1}',
        });
        insertHash.run(id, previous);
      }
    })();

    const finished: string[] = [];
    const walk = admin.get('/api/admin/audit-chain').then((answer) => (finished.push('walk'), answer));
    // A second check asked for meanwhile shares the walk under way.
    const second = new ApiClient(server.url);
    await second.login('admin');
    const again = second.get('/api/admin/audit-chain');
    const health = await new ApiClient(server.url).get('/api/health');
    finished.push('health');
    assert.equal(health.status, 200);
    const [answer, other] = await Promise.all([walk, again]);
    assert.deepEqual(finished, ['health', 'walk'], 'the health check waited for the walk');
    const check = answer.body as Check;
    assert.equal(check.ok, true, JSON.stringify(check.problems));
    assert.ok(check.rows > 100_000);
    assert.equal((other.body as Check).checkedAt, check.checkedAt);
    console.log(JSON.stringify({ auditChainWalk: { rows: check.rows, durationMs: check.durationMs } }));
  });

  test('a row rewritten in the database file is named as where the chain breaks', async () => {
    const file = server.sqlite!.name;
    const db = new Database(file);
    db.exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete; DROP TRIGGER IF EXISTS audit_chain_no_delete; DROP TRIGGER IF EXISTS audit_chain_no_update');
    // A refusal rewritten as allowed: the judge's refused check above.
    const { id } = db.prepare("select id from audit_log where actor = 'judge' and action = 'audit.verify' and outcome = 'denied'").get() as { id: number };
    db.prepare("update audit_log set outcome = 'allowed' where id = ?").run(id);
    db.close();

    const answer = await admin.get('/api/admin/audit-chain');
    assert.equal(answer.status, 200);
    const check = answer.body as Check;
    assert.equal(check.ok, false);
    assert.deepEqual(
      check.problems.map((p) => [p.kind, p.auditId]),
      [['hash_mismatch', id]],
    );
    // The checkpoints themselves are still this installation's.
    assert.equal(check.lastCheckpoint?.signatureValid, true);
  });
});

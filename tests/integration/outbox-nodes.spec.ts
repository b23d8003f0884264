/**
 * Two nodes' dispatchers on one PostgreSQL outbox (issue 20, "jobs run once"), sending to a real
 * SMTP server (smtp-server on loopback): every summons is received once, and when one node is
 * killed mid-run the other sends what it left, the message it held included once its lease runs
 * out. Each node has its own pool, as separate processes would; in the second test node A *is* a
 * separate process, killed with SIGKILL.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { openPostgresDb } from '../../db/database.ts';
import { NotificationDispatcher } from '../../server/src/notifications/dispatcher.ts';
import { OutboxRepository, type NewNotice } from '../../server/src/notifications/outbox.repository.ts';
import { SmtpSender } from '../../server/src/notifications/smtp-sender.ts';
import { privatePostgresForFile, queryOnce } from '../helpers/postgres.ts';
import { SmtpSink } from '../helpers/smtp-sink.ts';

const ROOT = path.join(import.meta.dirname, '../..');
const SUMMONSES = 200;
const silent = { info() {}, warn() {}, error() {} };

const postgres = privatePostgresForFile();
let sink: SmtpSink;

before(async () => {
  sink = await new SmtpSink().listen();
});

after(async () => {
  await sink?.close();
});

test('two dispatchers on one outbox: each of 200 summonses is received exactly once', async (t) => {
  sink.messages.length = 0;
  const url = await migratedDatabase('two_nodes');
  const ids = await enqueueSummonses(url);
  const a = await node(url, 'node-a');
  const b = await node(url, 'node-b');
  try {
    const started = performance.now();
    a.dispatcher.wake();
    b.dispatcher.wake();
    await Promise.all([a.dispatcher.idle(), b.dispatcher.idle()]);
    const ms = Math.round(performance.now() - started);

    assertEachReceivedOnce(ids);
    assert.equal(sink.messages.length, SUMMONSES, 'no message twice');
    const rows = await outcomes(url);
    assert.deepEqual(rows.statuses, { sent: SUMMONSES });
    assert.ok(rows.byNode['node-a'] > 0 && rows.byNode['node-b'] > 0, `both nodes sent: ${JSON.stringify(rows.byNode)}`);
    t.diagnostic(`${SUMMONSES} summonses by two nodes in ${ms} ms; node-a sent ${rows.byNode['node-a']}, node-b ${rows.byNode['node-b']}`);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});

test('a node killed mid-run: the other sends the rest, and the one it held once its lease runs out', async (t) => {
  sink.messages.length = 0;
  const url = await migratedDatabase('one_killed');
  const ids = await enqueueSummonses(url);
  const leaseMs = 2_000;
  const a = await startNodeProcess(url, leaseMs);
  const b = await node(url, 'node-b', leaseMs);
  try {
    const started = performance.now();
    a.stdin.write('go\n');
    b.dispatcher.wake();
    // Node A dies once a third of the summonses are out, while it holds one (claimed, being sent).
    const holding = "select 1 from notification_outbox where claimed_by like 'node-a/%' and lease_until is not null and status = 'pending'";
    while (sink.messages.length < SUMMONSES / 3 || (await queryOnce(url, holding)).length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    const exited = new Promise((resolve) => a.once('close', resolve));
    a.kill('SIGKILL');
    await exited;
    const killedAt = performance.now();
    const held = await queryOnce<{ id: string; lease_until: Date }>(
      url,
      "select id, lease_until from notification_outbox where claimed_by like 'node-a/%' and lease_until is not null and status = 'pending'",
    );

    await waitFor(async () => (await outcomes(url)).statuses.sent === SUMMONSES, 30_000);
    const done = performance.now();

    const rows = await outcomes(url);
    assert.deepEqual(rows.statuses, { sent: SUMMONSES });
    assert.ok(rows.byNode['node-a'] > 0, 'node A sent some before it died');
    assertEachReceivedOnce(ids);
    // The one message A may have handed to the mail server without living to record it: sent again
    // by B, with the same Message-ID (dispatcher.ts, "at least once").
    const duplicates = sink.messages.length - SUMMONSES;
    assert.ok(duplicates <= held.length, `${duplicates} copies too many; node A held ${held.length} message(s) when it died`);
    let takeover = 'no message held';
    if (held.length > 0) {
      const [takenOver] = await queryOnce<{ claimed_by: string; sent_at: Date }>(url, `select claimed_by, sent_at from notification_outbox where id = '${held[0].id}'`);
      assert.match(takenOver.claimed_by, /^node-b\//, 'the message A held was sent by B');
      assert.ok(takenOver.sent_at >= held[0].lease_until, 'not before A’s lease ran out');
      takeover = `the one A held sent by B ${takenOver.sent_at.getTime() - held[0].lease_until.getTime()} ms after A's lease ran out`;
    }
    t.diagnostic(
      `A killed after ${Math.round(killedAt - started)} ms holding ${held.length} message(s) (lease ${leaseMs} ms); ${takeover}; B had sent the rest ${Math.round(done - killedAt)} ms after the kill; ` +
        `sent by A ${rows.byNode['node-a']}, by B ${rows.byNode['node-b']}; ${duplicates} e-mail(s) received twice`,
    );
  } finally {
    a.kill('SIGKILL');
    await b.close();
  }
});

// ---- helpers ------------------------------------------------------------------------------------

/** One node's dispatcher: its own database (a pool of 4), its own outbox repository and SMTP sender. */
async function node(url: string, name: string, leaseMs?: number) {
  const database = await openPostgresDb(url, { poolSize: 4 });
  const dispatcher = new NotificationDispatcher({
    outbox: new OutboxRepository(database),
    senders: { email: new SmtpSender(smtpConfig()) },
    maxAttempts: 3,
    retryBaseMs: 1_000,
    log: silent,
    node: name,
    leaseMs,
  });
  return {
    dispatcher,
    async close() {
      await dispatcher.stop();
      await database.close();
    },
  };
}

function smtpConfig() {
  return { host: '127.0.0.1', port: sink.port, secure: false, user: sink.user, pass: sink.pass, from: 'Алматы соты <no-reply@court.test>' };
}

/** Node A as a process of its own: connects, says "ready", and starts dispatching on "go". */
async function startNodeProcess(url: string, leaseMs: number): Promise<ChildProcessWithoutNullStreams> {
  const module = (file: string) => JSON.stringify(new URL(`../../${file}`, import.meta.url).href);
  const script = `
    import { openPostgresDb } from ${module('db/database.ts')};
    import { NotificationDispatcher } from ${module('server/src/notifications/dispatcher.ts')};
    import { OutboxRepository } from ${module('server/src/notifications/outbox.repository.ts')};
    import { SmtpSender } from ${module('server/src/notifications/smtp-sender.ts')};
    const database = await openPostgresDb(process.env.EZAL_TEST_PG_URL, { poolSize: 4 });
    const silent = { info() {}, warn() {}, error() {} };
    const dispatcher = new NotificationDispatcher({
      outbox: new OutboxRepository(database),
      senders: { email: new SmtpSender(JSON.parse(process.env.EZAL_TEST_SMTP)) },
      maxAttempts: 3, retryBaseMs: 1000, log: silent, node: 'node-a', leaseMs: ${leaseMs},
    });
    process.stdout.write('ready\\n');
    await new Promise((resolve) => process.stdin.once('data', resolve));
    dispatcher.wake();
    setInterval(() => {}, 60_000);
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    env: { ...process.env, EZAL_TEST_PG_URL: url, EZAL_TEST_SMTP: JSON.stringify(smtpConfig()) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    child.once('close', () => reject(new Error(`node A exited before it was ready: ${stderr}`)));
  });
  return child;
}

/** 200 summonses, as a hearing with 200 participants would write them; returns their ids. */
async function enqueueSummonses(url: string): Promise<string[]> {
  const database = await openPostgresDb(url, { poolSize: 4 });
  try {
    const notices: NewNotice[] = Array.from({ length: SUMMONSES }, (_, i) => ({
      kind: 'hearing.scheduled',
      channel: 'email',
      recipient: `party-${i}@ezal.test`,
      locale: 'ru',
      subject: 'Вызов в судебное заседание',
      body: `Уважаемый участник № ${i}! Вы вызываетесь в судебное заседание.`,
      hearingId: null,
      summonsId: null,
    }));
    await new OutboxRepository(database).enqueue(notices, new Set(['email']), new Date());
  } finally {
    await database.close();
  }
  return (await queryOnce<{ id: string }>(url, 'select id from notification_outbox')).map((row) => row.id);
}

/** Each message reached its recipient, under its own Message-ID, and no Message-ID came with different content. */
function assertEachReceivedOnce(ids: string[]) {
  const byMessageId = Map.groupBy(sink.messages, (m) => m.headers['message-id']);
  assert.deepEqual([...byMessageId.keys()].sort(), ids.map((id) => `<${id}@ezal.notifications>`).sort(), 'every summons arrived, under its own Message-ID');
  const recipients = new Set(sink.messages.map((m) => m.to.join()));
  assert.equal(recipients.size, SUMMONSES, 'every participant got one');
  for (const copies of byMessageId.values()) assert.equal(new Set(copies.map((m) => `${m.to.join()}|${m.text}`)).size, 1, 'a resent message is the same message');
}

async function outcomes(url: string): Promise<{ statuses: Record<string, number>; byNode: Record<string, number> }> {
  const rows = await queryOnce<{ status: string; node: string | null; n: number }>(
    url,
    "select status, split_part(claimed_by, '/', 1) as node, count(*)::int as n from notification_outbox group by 1, 2",
  );
  const statuses: Record<string, number> = {};
  const byNode: Record<string, number> = {};
  for (const row of rows) {
    statuses[row.status] = (statuses[row.status] ?? 0) + row.n;
    if (row.status === 'sent' && row.node) byNode[row.node] = (byNode[row.node] ?? 0) + row.n;
  }
  return { statuses, byNode };
}

async function waitFor(done: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`not done within ${timeoutMs} ms (${sink.messages.length} e-mails received)`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function migratedDatabase(name: string): Promise<string> {
  const url = await postgres.createDatabase(name);
  // Opening it migrates it (db/database.ts).
  await (await openPostgresDb(url, { poolSize: 1 })).close();
  return url;
}

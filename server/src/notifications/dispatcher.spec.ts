/**
 * The dispatcher against a real SQLite outbox (db/database.ts), with a clock the test moves and a
 * sender that fails as told (it stands in for the mail server, which is outside the suite).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, beforeEach, test } from 'node:test';
import { sql } from 'drizzle-orm';
import { openSqliteDb, type Database } from '../../../db/database.ts';
import { NotificationDispatcher, retryDelayMs, type DispatcherOptions } from './dispatcher.ts';
import { OutboxRepository, type OutboxRow } from './outbox.repository.ts';
import { PermanentSendError, type MessageSender, type OutgoingMessage } from './sender.ts';

const silent = { info() {}, warn() {}, error() {} };
const dirs: string[] = [];
let database: Database;
let outbox: OutboxRepository;
let clock: Date;

beforeEach(() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-outbox-'));
  dirs.push(dir);
  database = openSqliteDb(dir);
  outbox = new OutboxRepository(database);
  clock = new Date('2026-11-24T05:00:00Z');
});
afterEach(async () => {
  await database.close();
});
after(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A sender that fails with the errors queued in `failures` (first first), then succeeds. */
class ScriptedSender implements MessageSender {
  sent: OutgoingMessage[] = [];
  failures: Error[] = [];
  closed = false;
  async send(message: OutgoingMessage) {
    const failure = this.failures.shift();
    if (failure) throw failure;
    this.sent.push(message);
  }
  async close() {
    this.closed = true;
  }
}

function dispatcher(senders: Partial<Record<'email' | 'sms', MessageSender>>, maxAttempts = 4, log: DispatcherOptions['log'] = silent) {
  return new NotificationDispatcher({ outbox, senders, maxAttempts, retryBaseMs: 30_000, log, now: () => clock, leaseMs: 60_000 });
}

async function enqueue(channel: 'email' | 'sms', recipient: string, enabled = new Set<'email' | 'sms'>(['email', 'sms'])) {
  await outbox.enqueue(
    [{ kind: 'hearing.scheduled', channel, recipient, locale: 'ru', subject: channel === 'email' ? 'Вызов' : null, body: 'Текст', hearingId: null, summonsId: null }],
    enabled,
    clock,
  );
}

/** The outbox as committed, in the order written (SQLite's rowid: this spec runs on SQLite). */
const rows = () =>
  database.rows<{ recipient: string; status: string; attempts: number; next: number | null; error: string | null }>(
    sql`select recipient, status, attempts, next_attempt_at as next, last_error as error from notification_outbox order by rowid`,
  );

async function pass(d: NotificationDispatcher) {
  d.wake();
  await d.idle();
}

test('waits double from the base after each failure, and never more than an hour', () => {
  assert.deepEqual(
    [1, 2, 3, 4].map((n) => retryDelayMs(n, 30_000)),
    [30_000, 60_000, 120_000, 240_000],
  );
  assert.equal(retryDelayMs(12, 30_000), 3_600_000);
});

test('a message that fails is retried when due, not before, and then recorded as sent', async () => {
  const email = new ScriptedSender();
  email.failures.push(new Error('connect ECONNREFUSED 127.0.0.1:25'));
  const d = dispatcher({ email });
  await enqueue('email', 'victim@ezal.test');

  await pass(d);
  assert.deepEqual(await rows(), [{ recipient: 'victim@ezal.test', status: 'pending', attempts: 1, next: clock.getTime() + 30_000, error: 'connect ECONNREFUSED 127.0.0.1:25' }]);

  clock = new Date(clock.getTime() + 29_000);
  await pass(d);
  assert.equal(email.sent.length, 0, 'not due yet');

  clock = new Date(clock.getTime() + 1_000);
  await pass(d);
  assert.deepEqual(
    email.sent.map((m) => [m.recipient, m.subject, m.body]),
    [['victim@ezal.test', 'Вызов', 'Текст']],
  );
  assert.deepEqual(await rows(), [{ recipient: 'victim@ezal.test', status: 'sent', attempts: 2, next: null, error: null }]);
  await d.stop();
  assert.equal(email.closed, true);
});

test('after its last attempt a message is failed; a permanent refusal fails it at once', async () => {
  const email = new ScriptedSender();
  const sms = new ScriptedSender();
  email.failures.push(...Array.from({ length: 3 }, () => new Error('timeout')));
  sms.failures.push(new PermanentSendError('SMS gateway answered 400: bad number'));
  const d = dispatcher({ email, sms }, 3);
  await enqueue('email', 'a@ezal.test');
  await enqueue('sms', '+7000');

  for (const wait of [0, 30_000, 60_000]) {
    clock = new Date(clock.getTime() + wait);
    await pass(d);
  }
  assert.deepEqual(
    (await rows()).map((r) => [r.recipient, r.status, r.attempts, r.next, r.error]),
    [
      ['a@ezal.test', 'failed', 3, null, 'timeout'],
      ['+7000', 'failed', 1, null, 'SMS gateway answered 400: bad number'],
    ],
  );
  assert.equal(await outbox.nextDueAt(), null, 'nothing left to do');
  await d.stop();
});

test('a channel this server does not send on is recorded as skipped, at once or when met later', async () => {
  await enqueue('sms', '+7001', new Set(['email']));
  assert.deepEqual(
    (await rows()).map((r) => [r.status, r.error]),
    [['skipped', 'channel_off']],
  );

  // Written while SMS was configured; the server then restarted without it.
  await enqueue('sms', '+7002');
  const d = dispatcher({ email: new ScriptedSender() });
  await pass(d);
  assert.deepEqual(
    (await rows()).map((r) => [r.recipient, r.status, r.attempts, r.error]),
    [
      ['+7001', 'skipped', 0, 'channel_off'],
      ['+7002', 'skipped', 0, 'channel_off'],
    ],
  );
  await d.stop();
});

test('a new dispatcher on the same outbox sends what the last one left, and messages added during a pass', async () => {
  const first = new ScriptedSender();
  first.failures.push(new Error('down'));
  const before = dispatcher({ email: first });
  await enqueue('email', 'left@ezal.test');
  await pass(before);
  await before.stop();

  clock = new Date(clock.getTime() + 30_000);
  const email = new ScriptedSender();
  let added = false;
  // While the first message is being sent, a change adds another and wakes the dispatcher.
  const slow: MessageSender = {
    send: async (message) => {
      if (!added) {
        added = true;
        await enqueue('email', 'added@ezal.test');
        after.wake();
      }
      await email.send(message);
    },
    close: async () => {},
  };
  const after = dispatcher({ email: slow });
  await pass(after);
  await after.idle();
  assert.deepEqual(
    email.sent.map((m) => m.recipient),
    ['left@ezal.test', 'added@ezal.test'],
  );
  await after.stop();
});

test('a stopped dispatcher takes no more messages', async () => {
  const email = new ScriptedSender();
  const d = dispatcher({ email });
  await d.stop();
  await enqueue('email', 'late@ezal.test');
  await pass(d);
  assert.equal(email.sent.length, 0);
  assert.equal((await rows())[0].status, 'pending', 'it waits for the next start');
});

test("a message another dispatcher claimed waits for that claim's lease to run out, and a late outcome is not recorded", async () => {
  await enqueue('email', 'held@ezal.test');
  // A node that claimed the message and then died (or hangs) mid-send.
  const dead = await outbox.claimNext('dead-node/1', clock, new Date(clock.getTime() + 60_000));
  assert.equal(dead?.recipient, 'held@ezal.test');

  const email = new ScriptedSender();
  const d = dispatcher({ email });
  await pass(d);
  assert.equal(email.sent.length, 0, 'held by a live lease');
  assert.equal((await outbox.nextDueAt())?.getTime(), clock.getTime() + 60_000, 'claimable again when the lease ends');

  clock = new Date(clock.getTime() + 60_000);
  await pass(d);
  assert.deepEqual(
    email.sent.map((m) => m.recipient),
    ['held@ezal.test'],
  );
  assert.deepEqual(
    (await rows()).map((r) => [r.status, r.attempts]),
    [['sent', 1]],
  );
  // The first node comes back and tries to record its own outcome: the message is no longer its.
  assert.equal(await outbox.markRetry({ id: dead!.id, node: 'dead-node/1' }, 1, clock, 'timeout'), false);
  assert.deepEqual(
    (await rows()).map((r) => [r.status, r.attempts, r.error]),
    [['sent', 1, null]],
  );
  await d.stop();
});

test('a send that outlasts its lease is said so in the log, and its outcome left to the node that took over', async () => {
  await enqueue('email', 'slow@ezal.test');
  const warnings: string[] = [];
  const log = { ...silent, warn: (_: object, msg: string) => void warnings.push(msg) };
  const taken: { row: OutboxRow | null } = { row: null };
  const slow: MessageSender = {
    send: async () => {
      // While this send hangs, the lease runs out and another node claims the message.
      clock = new Date(clock.getTime() + 60_000);
      taken.row = await outbox.claimNext('other-node/1', clock, new Date(clock.getTime() + 60_000));
    },
    close: async () => {},
  };
  const d = dispatcher({ email: slow }, 4, log);
  await pass(d);
  assert.equal(taken.row?.recipient, 'slow@ezal.test', 'the other node took the message over');
  assert.deepEqual(warnings, ['the claim on a notification ran out before its outcome was recorded']);
  assert.deepEqual(
    (await rows()).map((r) => [r.status, r.attempts]),
    [['pending', 0]],
    'nothing recorded by the node that lost its claim',
  );
  await d.stop();
});

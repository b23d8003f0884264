/**
 * The dispatcher against a real SQLite outbox, with a clock the test moves and a sender that
 * fails as told (it stands in for the mail server, which is outside the suite).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, beforeEach, test } from 'node:test';
import { openDatabase, type DbHandle } from '../../../db/client.ts';
import { NotificationDispatcher, retryDelayMs } from './dispatcher.ts';
import { OutboxRepository } from './outbox.repository.ts';
import { PermanentSendError, type MessageSender, type OutgoingMessage } from './sender.ts';

const silent = { info() {}, warn() {}, error() {} };
const dirs: string[] = [];
let database: DbHandle;
let outbox: OutboxRepository;
let clock: Date;

beforeEach(() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-outbox-'));
  dirs.push(dir);
  database = openDatabase(dir);
  outbox = new OutboxRepository(database.db);
  clock = new Date('2026-11-24T05:00:00Z');
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

function dispatcher(senders: Partial<Record<'email' | 'sms', MessageSender>>, maxAttempts = 4) {
  return new NotificationDispatcher({ outbox, senders, maxAttempts, retryBaseMs: 30_000, log: silent, now: () => clock });
}

function enqueue(channel: 'email' | 'sms', recipient: string, enabled = new Set<'email' | 'sms'>(['email', 'sms'])) {
  outbox.enqueue([{ kind: 'hearing.scheduled', channel, recipient, locale: 'ru', subject: channel === 'email' ? 'Вызов' : null, body: 'Текст', hearingId: null, summonsId: null }], enabled, clock);
}

const rows = () =>
  database.sqlite.prepare('select recipient, status, attempts, next_attempt_at as next, last_error as error from notification_outbox order by rowid').all() as {
    recipient: string;
    status: string;
    attempts: number;
    next: number | null;
    error: string | null;
  }[];

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
  enqueue('email', 'victim@ezal.test');

  await pass(d);
  assert.deepEqual(rows(), [{ recipient: 'victim@ezal.test', status: 'pending', attempts: 1, next: clock.getTime() + 30_000, error: 'connect ECONNREFUSED 127.0.0.1:25' }]);

  clock = new Date(clock.getTime() + 29_000);
  await pass(d);
  assert.equal(email.sent.length, 0, 'not due yet');

  clock = new Date(clock.getTime() + 1_000);
  await pass(d);
  assert.deepEqual(
    email.sent.map((m) => [m.recipient, m.subject, m.body]),
    [['victim@ezal.test', 'Вызов', 'Текст']],
  );
  assert.deepEqual(rows(), [{ recipient: 'victim@ezal.test', status: 'sent', attempts: 2, next: null, error: null }]);
  await d.stop();
  assert.equal(email.closed, true);
});

test('after its last attempt a message is failed; a permanent refusal fails it at once', async () => {
  const email = new ScriptedSender();
  const sms = new ScriptedSender();
  email.failures.push(...Array.from({ length: 3 }, () => new Error('timeout')));
  sms.failures.push(new PermanentSendError('SMS gateway answered 400: bad number'));
  const d = dispatcher({ email, sms }, 3);
  enqueue('email', 'a@ezal.test');
  enqueue('sms', '+7000');

  for (const wait of [0, 30_000, 60_000]) {
    clock = new Date(clock.getTime() + wait);
    await pass(d);
  }
  assert.deepEqual(
    rows().map((r) => [r.recipient, r.status, r.attempts, r.next, r.error]),
    [
      ['a@ezal.test', 'failed', 3, null, 'timeout'],
      ['+7000', 'failed', 1, null, 'SMS gateway answered 400: bad number'],
    ],
  );
  assert.equal(outbox.nextDueAt(), null, 'nothing left to do');
  await d.stop();
});

test('a channel this server does not send on is recorded as skipped, at once or when met later', async () => {
  enqueue('sms', '+7001', new Set(['email']));
  assert.deepEqual(
    rows().map((r) => [r.status, r.error]),
    [['skipped', 'channel_off']],
  );

  // Written while SMS was configured; the server then restarted without it.
  enqueue('sms', '+7002');
  const d = dispatcher({ email: new ScriptedSender() });
  await pass(d);
  assert.deepEqual(
    rows().map((r) => [r.recipient, r.status, r.attempts, r.error]),
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
  enqueue('email', 'left@ezal.test');
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
        enqueue('email', 'added@ezal.test');
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
  enqueue('email', 'late@ezal.test');
  await pass(d);
  assert.equal(email.sent.length, 0);
  assert.equal(rows()[0].status, 'pending', 'it waits for the next start');
});

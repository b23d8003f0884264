/**
 * OutboxRepository on both dialects (issue 20): messages written in the announcing change's
 * transaction (and gone with it when it rolls back), claimed oldest first with a lease, outcomes
 * recorded only by the claim's holder, when the next one may be claimed, and a hearing's messages
 * as the scheduling page lists them — the same on SQLite and on PostgreSQL (message ids, random,
 * aside). Two nodes claiming at once on PostgreSQL: tests/integration/outbox-nodes.spec.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Database } from '../../db/database.ts';
import { OutboxRepository, type NewNotice } from '../../server/src/notifications/outbox.repository.ts';
import { onBothDialects, seedCase, seedCourt, seedUser, T0 } from '../helpers/both-dialects.ts';

const MINUTE = 60_000;
const at = (minutes: number) => new Date(T0.getTime() + minutes * MINUTE);
const BOTH = new Set(['email', 'sms'] as const);

function notice(recipient: string, hearingId: string | null, channel: 'email' | 'sms' = 'email'): NewNotice {
  return { kind: 'hearing.scheduled', channel, recipient, locale: 'ru', subject: channel === 'email' ? 'Вызов' : null, body: 'Текст', hearingId, summonsId: null };
}

async function seed(database: Database): Promise<void> {
  const { tables } = database;
  await database.transaction(async () => {
    await seedCourt(database, { id: 'court-1', code: 'C1' });
    await database.db.insert(tables.halls).values({ id: 'hall-1', courtId: 'court-1', code: 'H1', nameKk: 'Зал 1', nameRu: 'Зал 1', nameEn: 'Hall 1' });
    await seedUser(database, { id: 'judge', fullName: 'Судья', courtId: 'court-1' });
    await seedCase(database, { id: 'case-a', courtId: 'court-1' });
    for (const id of ['h-1', 'h-2'])
      await database.db.insert(tables.hearings).values({ id, caseId: 'case-a', hallId: 'hall-1', scheduledAt: at(24 * 60), durationMinutes: 60, presidingJudgeId: 'judge' });
  });
}

describe('the notification outbox on SQLite and on PostgreSQL', () => {
  const dialects = onBothDialects({ seed, make: (database) => new OutboxRepository(database) });

  /** Runs `ask` on both dialects, one after the other (each its own steps), and expects the same answer. */
  const same = async <T>(ask: (outbox: OutboxRepository, database: Database) => Promise<T>): Promise<T> => {
    const { both, repositories: outboxes } = dialects;
    const sqlite = await ask(outboxes[0], both.sqlite);
    const postgres = await ask(outboxes[1], both.postgres);
    assert.deepEqual(postgres, sqlite);
    return sqlite;
  };

  test('written with the change they announce: a rollback takes them back', async () => {
    await same(async (outbox, database) => {
      await assert.rejects(
        database.transaction(async () => {
          await outbox.enqueue([notice('rolled-back@ezal.test', 'h-1')], BOTH, at(0));
          throw new Error('the change failed');
        }),
        /the change failed/,
      );
      return outbox.forHearings(['h-1']);
    });
    assert.deepEqual(await same((outbox) => outbox.nextDueAt()), null, 'nothing pending');
  });

  test('claimed oldest due first, with a lease; an outcome only by the claim that holds it', async () => {
    const claims = await same(async (outbox, database) => {
      await database.transaction(async () => {
        await outbox.enqueue([notice('second@ezal.test', 'h-1')], BOTH, at(2));
        await outbox.enqueue([notice('first@ezal.test', 'h-1'), notice('+77010000000', 'h-1', 'sms')], new Set(['email']), at(1));
        await outbox.enqueue([notice('later@ezal.test', 'h-2')], BOTH, at(10));
      });
      const due = await outbox.nextDueAt();
      const a = await outbox.claimNext('node-a/1', at(5), at(8));
      const b = await outbox.claimNext('node-b/1', at(5), at(9));
      const none = await outbox.claimNext('node-c/1', at(5), at(9));
      // Held by live leases until 8 and 9; `later` is due at 10: the first may be claimed again at 8.
      const next = await outbox.nextDueAt();
      const wrong = await outbox.markSent({ id: a!.id, node: 'node-b/1' }, 1, at(6));
      const right = await outbox.markSent({ id: a!.id, node: 'node-a/1' }, 1, at(6));
      const twice = await outbox.markSent({ id: a!.id, node: 'node-a/1' }, 1, at(6));
      const retry = await outbox.markRetry({ id: b!.id, node: 'node-b/1' }, 1, at(7), 'timeout');
      return { due, claimed: [a?.recipient, a?.claimedBy, a?.leaseUntil, b?.recipient, b?.claimedBy], none, next, recorded: [wrong, right, twice, retry], after: await outbox.nextDueAt() };
    });
    assert.deepEqual(claims, {
      due: at(1),
      claimed: ['first@ezal.test', 'node-a/1', at(8), 'second@ezal.test', 'node-b/1'],
      none: null,
      next: at(8),
      recorded: [false, true, false, true],
      after: at(7),
    });
  });

  test('a lease past its time is claimable by another node, and the first node can no longer record', async () => {
    const taken = await same(async (outbox) => {
      const held = await outbox.claimNext('node-a/1', at(7), at(20));
      const early = await outbox.claimNext('node-b/1', at(11), at(30));
      const late = await outbox.claimNext('node-b/1', at(20), at(30));
      const stale = await outbox.markDone({ id: held!.id, node: 'node-a/1' }, 'failed', 2, 'gave up');
      const done = await outbox.markDone({ id: late!.id, node: 'node-b/1' }, 'failed', 2, 'gave up');
      return { held: held?.recipient, early: early?.recipient, late: late?.recipient, stale, done, next: await outbox.nextDueAt() };
    });
    // At 11 `later` (due at 10) goes first: `second` is held until 20.
    assert.deepEqual(taken, { held: 'second@ezal.test', early: 'later@ezal.test', late: 'second@ezal.test', stale: false, done: true, next: at(30) });
  });

  test("a hearing's messages, oldest first, as the scheduling page lists them", async () => {
    // Those written together (the e-mail and the SMS at 1) come in the order of their random ids: set aside here.
    const listed = await same(async (outbox) =>
      (await outbox.forHearings(['h-1', 'no-such-hearing']))
        .map(({ id, ...rest }) => (assert.ok(id), rest))
        .map((n) => [n.recipient, n.channel, n.status, n.attempts, n.createdAt, n.sentAt, n.nextAttemptAt, n.lastError])
        .sort((x, y) => String(x[4]).localeCompare(String(y[4])) || String(x[0]).localeCompare(String(y[0]))),
    );
    assert.deepEqual(listed, [
      ['+77010000000', 'sms', 'skipped', 0, at(1).toISOString(), null, null, 'channel_off'],
      ['first@ezal.test', 'email', 'sent', 1, at(1).toISOString(), at(6).toISOString(), null, null],
      ['second@ezal.test', 'email', 'failed', 2, at(2).toISOString(), null, null, 'gave up'],
    ]);
    const order = await Promise.all(dialects.repositories.map(async (outbox) => (await outbox.forHearings(['h-1'])).map((n) => n.createdAt)));
    for (const times of order)
      assert.deepEqual(
        times,
        [at(1), at(1), at(2)].map((d) => d.toISOString()),
        'oldest first',
      );
    assert.deepEqual(await same((outbox) => outbox.forHearings([])), []);
  });
});

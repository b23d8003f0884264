/**
 * SchedulingRepository and ScheduleViewRepository on both dialects (issue 20): the facts the
 * scheduling rules read, a hearing booked with its summonses and log in one transaction (under the
 * schedule's lock), the bookings it collides with, and the case page's list of hearings — the same
 * on SQLite and on PostgreSQL (hearing and summons ids, random, aside).
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { eq } from 'drizzle-orm';
import type { Database } from '../../db/database.ts';
import { ScheduleViewRepository } from '../../server/src/hearings/schedule-view.repository.ts';
import { SchedulingRepository } from '../../server/src/hearings/scheduling.repository.ts';
import { slotOf } from '../../server/src/hearings/scheduling.rules.ts';
import { hoursAfterT0, onBothDialects, seedCase, seedCourt, seedUser, T0 } from '../helpers/both-dialects.ts';

const at = hoursAfterT0;

async function seed(database: Database): Promise<void> {
  const { tables } = database;
  await database.transaction(async () => {
    await seedCourt(database, { id: 'court-1', code: 'C1' });
    await database.db.insert(tables.halls).values([
      { id: 'hall-2', courtId: 'court-1', code: 'H2', nameKk: 'Зал 2', nameRu: 'Зал 2', nameEn: 'Hall 2' },
      { id: 'hall-1', courtId: 'court-1', code: 'H1', nameKk: 'Зал 1', nameRu: 'Зал 1', nameEn: 'Hall 1', addressKk: 'Қабат 2', addressRu: 'Этаж 2' },
    ]);
    for (const [id, role] of [
      ['judge-b', 'judge'],
      ['judge-a', 'judge'],
      ['secretary', 'secretary'],
    ] as const) {
      await seedUser(database, { id, fullName: `Name ${id}`, courtId: 'court-1' });
      await database.db.insert(tables.userRoles).values({ userId: id, role });
    }
    await seedUser(database, { id: 'lawyer', fullName: 'Адвокат' });
    await database.db.update(tables.users).set({ email: 'lawyer@example.kz', locale: 'kk' }).where(eq(tables.users.id, 'lawyer'));
    await seedCase(database, { id: 'case-a', courtId: 'court-1', judgeId: 'judge-a' });
    // Two recorded together (the same time): the case file keeps them in the order written.
    await database.db.insert(tables.caseParticipants).values([
      { id: 'p-a', caseId: 'case-a', role: 'defendant', fullName: 'Подсудимый', phone: '+77010000000', language: 'kk', createdAt: T0 },
      { id: 'p-b', caseId: 'case-a', role: 'defender', fullName: 'Адвокат', userId: 'lawyer', createdAt: T0 },
      { id: 'p-c', caseId: 'case-a', role: 'victim', fullName: 'Потерпевший', createdAt: at(1) },
    ]);
    await database.db.insert(tables.hearings).values({ id: 'h-old', caseId: 'case-a', hallId: 'hall-1', scheduledAt: at(20), durationMinutes: 60, presidingJudgeId: 'judge-b' });
  });
}

/** A hearing booked as the service books one: in one transaction, the schedule locked. */
async function book(database: Database, scheduling: SchedulingRepository): Promise<{ hearingId: string; summonsIds: string[]; assigned: boolean[] }> {
  return database.transaction(async () => {
    await scheduling.lockSchedule('court-1');
    const values = { hallId: 'hall-1', scheduledAt: at(24), durationMinutes: 90, presidingJudgeId: 'judge-a', secretaryId: 'secretary', closed: false };
    const hearingId = await scheduling.insertHearing('case-a', values, at(0));
    const assigned = [await scheduling.assignToCase('case-a', 'judge-a', 'judge', at(0)), await scheduling.assignToCase('case-a', 'secretary', 'secretary', at(0))];
    const summonsIds = [await scheduling.summon(hearingId, 'p-a', at(0)), await scheduling.summon(hearingId, 'p-b', at(0)), await scheduling.summon(hearingId, 'p-c', at(0))];
    await scheduling.log({ hearingId, userId: 'judge-a', action: 'scheduled', at: at(0) });
    await scheduling.withdraw(summonsIds[2]!, at(1));
    assert.equal((await scheduling.hearingForUpdate(hearingId))?.id, hearingId);
    await scheduling.updateHearing(hearingId, { ...values, durationMinutes: 120, closed: true });
    await scheduling.log({ hearingId, userId: 'judge-a', action: 'rescheduled', at: at(1), changes: { durationMinutes: { from: 90, to: 120 } } });
    return { hearingId, summonsIds, assigned };
  });
}

describe('scheduling on SQLite and on PostgreSQL', () => {
  const dialects = onBothDialects({ seed, make: (database) => new SchedulingRepository(database) });
  const { same } = dialects;
  let views: [ScheduleViewRepository, ScheduleViewRepository];
  let booked: { hearingId: string; summonsIds: string[]; assigned: boolean[] }[];

  before(async () => {
    const { both, repositories } = dialects;
    views = [new ScheduleViewRepository(both.sqlite), new ScheduleViewRepository(both.postgres)];
    booked = [];
    for (const [i, database] of both.all.entries()) booked.push(await book(database, repositories[i]!));
  });

  test('the facts the rules read', async () => {
    assert.deepEqual(await same((s) => s.caseFacts('case-a')), {
      id: 'case-a',
      courtId: 'court-1',
      caseNumber: '№ case-a',
      language: 'ru',
      status: 'received',
      court: { kk: 'C1 соты', ru: 'Суд C1', timeZone: 'Asia/Almaty' },
    });
    assert.equal(await same((s) => s.caseFacts('nope')), undefined);
    assert.deepEqual(
      (await same((s) => s.hallsOfCourt('court-1'))).map((h) => h.code),
      ['H1', 'H2'],
    );
    assert.deepEqual((await same((s) => s.hall('hall-1')))?.address, { kk: 'Қабат 2', ru: 'Этаж 2' });
    assert.deepEqual(await same((s) => s.staffFacts('judge-a')), { id: 'judge-a', fullName: 'Name judge-a', courtId: 'court-1', active: true, roles: ['judge'] });
    assert.deepEqual(await same((s) => s.staffOfCourt('court-1', 'judge')), [
      { id: 'judge-a', fullName: 'Name judge-a' },
      { id: 'judge-b', fullName: 'Name judge-b' },
    ]);
    assert.deepEqual(await same((s) => s.caseStaff('case-a')), [
      { userId: 'judge-a', role: 'judge' },
      { userId: 'secretary', role: 'secretary' },
    ]);
    const participants = await same((s) => s.participants('case-a'));
    assert.deepEqual(
      participants.map((p) => [p.id, p.email, p.phone, p.language, p.accountLocale]),
      [
        ['p-a', null, '+77010000000', 'kk', null],
        ['p-b', 'lawyer@example.kz', null, null, 'kk'],
        ['p-c', null, null, null, null],
      ],
    );
  });

  test('a booking: staff assigned once, summonses in force, conflicts', async () => {
    for (const b of booked) assert.deepEqual(b.assigned, [false, true], 'the judge was staff already');
    const summoned = await Promise.all(dialects.repositories.map((s, i) => s.activeSummons(booked[i]!.hearingId)));
    for (const [i, map] of summoned.entries()) {
      assert.deepEqual([...map.entries()].sort(), [
        ['p-a', booked[i]!.summonsIds[0]],
        ['p-b', booked[i]!.summonsIds[1]],
      ]);
    }
    // Summoned again after the withdrawal: the same summons, back in force.
    const again = await Promise.all(dialects.repositories.map((s, i) => dialects.both.all[i]!.transaction(() => s.summon(booked[i]!.hearingId, 'p-c', at(2)))));
    assert.deepEqual(
      again,
      booked.map((b) => b.summonsIds[2]),
    );
    const slot = slotOf(at(20.5), 60);
    const conflicts = await same((s) => s.conflicts(slot, { hallId: 'hall-2', judgeId: 'judge-b', secretaryId: 'nobody' }, null));
    assert.deepEqual(conflicts, { judge: slotOf(at(20), 60) });
    assert.deepEqual(await same((s) => s.conflicts(slotOf(at(24.5), 30), { hallId: 'hall-1', judgeId: 'x', secretaryId: 'secretary' }, null)), {
      hall: slotOf(at(24), 120),
      secretary: slotOf(at(24), 120),
    });
    assert.deepEqual(await same((s, i) => s.conflicts(slotOf(at(24.5), 30), { hallId: 'hall-1', judgeId: 'x', secretaryId: 'secretary' }, booked[i]!.hearingId)), {});
    for (const [i, s] of dialects.repositories.entries()) await dialects.both.all[i]!.transaction(() => s.cancelHearing('h-old'));
    assert.deepEqual(await same((s) => s.conflicts(slot, { hallId: 'hall-2', judgeId: 'judge-b', secretaryId: 'nobody' }, null)), {}, 'a cancelled hearing books nothing');
  });

  test("the case page's list of hearings", async () => {
    const lists = await Promise.all(views.map((v) => v.list({ caseId: 'case-a' })));
    const anonymous = lists.map((list, i) =>
      JSON.parse(
        JSON.stringify(list)
          .replaceAll(booked[i]!.hearingId, 'HEARING')
          .replace(/"id":"[0-9a-f-]{36}"/g, '"id":"SUMMONS"'),
      ),
    );
    assert.deepEqual(anonymous[1], anonymous[0]);
    const [old, booking] = anonymous[0] as {
      id: string;
      status: string;
      closed: boolean;
      durationMinutes: number;
      endsAt: string;
      secretary: unknown;
      summons: { participantId: string; withdrawnAt: string | null }[];
      history: { action: string; changes: unknown }[];
    }[];
    assert.deepEqual([old!.id, old!.status, old!.secretary, old!.summons, old!.history], ['h-old', 'cancelled', null, [], []]);
    assert.deepEqual([booking!.id, booking!.closed, booking!.durationMinutes, booking!.endsAt], ['HEARING', true, 120, at(26).toISOString()]);
    assert.deepEqual(booking!.secretary, { id: 'secretary', fullName: 'Name secretary' });
    assert.deepEqual(
      booking!.summons.map((s) => [s.participantId, s.withdrawnAt]),
      [
        ['p-a', null],
        ['p-b', null],
        ['p-c', null],
      ],
    );
    assert.deepEqual(
      booking!.history.map((h) => [h.action, h.changes]),
      [
        ['scheduled', null],
        ['rescheduled', { durationMinutes: { from: 90, to: 120 } }],
      ],
    );
    const one = await Promise.all(views.map((v, i) => v.list({ hearingId: booked[i]!.hearingId })));
    assert.deepEqual(
      one.map((list) => list.length),
      [1, 1],
    );
  });
});

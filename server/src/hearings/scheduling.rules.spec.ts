import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../shared/errors.ts';
import {
  assertHallOfCourt,
  assertNoConflicts,
  assertNotInPast,
  assertParticipantsOfCase,
  assertStaffOfCourt,
  assertStillScheduled,
  canSchedule,
  changedFields,
  noticeLocale,
  noticesFor,
  overlaps,
  parseLocalDateTime,
  planSummons,
  slotOf,
} from './scheduling.rules.ts';

/** The error code `fn` throws, or null when it does not. */
function codeOf(fn: () => void): string | null {
  try {
    fn();
    return null;
  } catch (error) {
    assert.ok(error instanceof AppError, `not an AppError: ${error}`);
    return error.code;
  }
}

test('the court office and the judges of the case schedule; parties, the secretary and the chair as such do not', () => {
  assert.equal(canSchedule([{ kind: 'court', role: 'office' }]), true);
  assert.equal(canSchedule([{ kind: 'staff', role: 'judge' }]), true);
  assert.equal(canSchedule([{ kind: 'staff', role: 'secretary' }]), false);
  assert.equal(canSchedule([{ kind: 'court', role: 'chair' }]), false);
  assert.equal(canSchedule([{ kind: 'participant', role: 'defender', participantId: 'p' }]), false);
  assert.equal(canSchedule([]), false);
});

test('only real dates and times of day are accepted', () => {
  assert.deepEqual(parseLocalDateTime('2026-11-24', '10:00'), { year: 2026, month: 11, day: 24, hour: 10, minute: 0 });
  assert.deepEqual(parseLocalDateTime('2028-02-29', '23:59'), { year: 2028, month: 2, day: 29, hour: 23, minute: 59 });
  for (const [date, time] of [
    ['2027-02-29', '10:00'],
    ['2026-04-31', '10:00'],
    ['2026-13-01', '10:00'],
    ['2026-00-10', '10:00'],
    ['2026-11-24', '24:00'],
    ['2026-11-24', '10:60'],
    ['24.11.2026', '10:00'],
    ['2026-11-24', '10.00'],
  ]) {
    assert.equal(parseLocalDateTime(date, time), null, `${date} ${time}`);
  }
});

test('bookings overlap when each starts before the other ends; back to back is fine', () => {
  const at = (hour: number, minutes = 120) => slotOf(new Date(Date.UTC(2026, 10, 24, hour)), minutes);
  assert.equal(overlaps(at(10), at(11)), true);
  assert.equal(overlaps(at(11), at(10)), true);
  assert.equal(overlaps(at(10), at(12)), false, 'one ends at 12:00, the other starts then');
  assert.equal(overlaps(at(12), at(10)), false);
  assert.equal(overlaps(at(9, 300), at(10, 30)), true, 'one inside the other');
});

test('a time that has come is in the past', () => {
  const now = new Date('2026-11-24T05:00:00Z');
  assert.equal(
    codeOf(() => assertNotInPast(new Date('2026-11-24T05:00:00Z'), now)),
    'hearing_in_past',
  );
  assert.equal(
    codeOf(() => assertNotInPast(new Date('2026-11-24T04:59:00Z'), now)),
    'hearing_in_past',
  );
  assert.equal(
    codeOf(() => assertNotInPast(new Date('2026-11-24T05:01:00Z'), now)),
    null,
  );
});

test('judges and secretaries must be active staff of the case’s court in that role', () => {
  const judge = { id: 'j', courtId: 'c1', active: true, roles: ['judge'] as const };
  assert.equal(
    codeOf(() => assertStaffOfCourt(judge, 'judge', 'c1')),
    null,
  );
  assert.equal(
    codeOf(() => assertStaffOfCourt(judge, 'judge', 'c2')),
    'judge_not_in_court',
  );
  assert.equal(
    codeOf(() => assertStaffOfCourt({ ...judge, active: false }, 'judge', 'c1')),
    'judge_not_in_court',
  );
  assert.equal(
    codeOf(() => assertStaffOfCourt(undefined, 'judge', 'c1')),
    'judge_not_in_court',
  );
  assert.equal(
    codeOf(() => assertStaffOfCourt(judge, 'secretary', 'c1')),
    'secretary_not_in_court',
  );
  assert.equal(
    codeOf(() => assertStaffOfCourt({ ...judge, roles: ['chair', 'judge'] }, 'judge', 'c1')),
    null,
  );
});

test('halls and participants must belong to the court and the case', () => {
  assert.equal(
    codeOf(() => assertHallOfCourt({ courtId: 'c1' }, 'c1')),
    null,
  );
  assert.equal(
    codeOf(() => assertHallOfCourt({ courtId: 'c2' }, 'c1')),
    'hall_not_in_court',
  );
  assert.equal(
    codeOf(() => assertHallOfCourt(undefined, 'c1')),
    'hall_not_in_court',
  );
  assert.equal(
    codeOf(() => assertParticipantsOfCase(['a', 'b'], new Set(['a', 'b', 'c']))),
    null,
  );
  assert.equal(
    codeOf(() => assertParticipantsOfCase([], new Set())),
    null,
  );
  assert.throws(
    () => assertParticipantsOfCase(['a', 'x', 'y'], new Set(['a'])),
    (error: AppError) => error.code === 'participant_not_in_case' && JSON.stringify(error.details) === '{"participantIds":["x","y"]}',
  );
});

test('a conflict names the resource first taken and the slot that takes it', () => {
  const slot = slotOf(new Date('2026-11-24T05:00:00Z'), 120);
  assert.equal(
    codeOf(() => assertNoConflicts({})),
    null,
  );
  assert.equal(
    codeOf(() => assertNoConflicts({ judge: slot, secretary: slot })),
    'judge_busy',
  );
  assert.equal(
    codeOf(() => assertNoConflicts({ secretary: slot })),
    'secretary_busy',
  );
  assert.throws(
    () => assertNoConflicts({ hall: slot, judge: slot }),
    (error: AppError) => error.code === 'hall_busy' && JSON.stringify(error.details) === '{"from":"2026-11-24T05:00:00.000Z","to":"2026-11-24T07:00:00.000Z"}',
  );
});

test('only a hearing that has not begun can be changed', () => {
  assert.equal(
    codeOf(() => assertStillScheduled('scheduled')),
    null,
  );
  for (const status of ['in_progress', 'break', 'adjourned', 'suspended', 'finished', 'cancelled'] as const) {
    assert.equal(
      codeOf(() => assertStillScheduled(status)),
      'hearing_not_scheduled',
      status,
    );
  }
});

test('a change of the list summons the added, withdraws the dropped, and tells the kept only of a move', () => {
  const plan = planSummons(['victim', 'witness'], ['victim', 'defendant']);
  assert.deepEqual(plan, { summon: ['defendant'], keep: ['victim'], withdraw: ['witness'] });
  assert.deepEqual(noticesFor(plan, true), [
    { participantId: 'defendant', kind: 'hearing.scheduled' },
    { participantId: 'victim', kind: 'hearing.rescheduled' },
    { participantId: 'witness', kind: 'summons.withdrawn' },
  ]);
  assert.deepEqual(
    noticesFor(plan, false).map((n) => n.kind),
    ['hearing.scheduled', 'summons.withdrawn'],
  );
  assert.deepEqual(noticesFor(planSummons(['a'], ['a']), false), []);
});

test('notices speak the participant’s language, else their account’s, else the case’s', () => {
  assert.equal(noticeLocale('kk', 'ru', 'ru'), 'kk');
  assert.equal(noticeLocale('kaz', null, 'ru'), 'kk');
  assert.equal(noticeLocale('RU', null, 'kk'), 'ru');
  assert.equal(noticeLocale('uz', 'en', 'kk'), 'kk', 'an Uzbek speaker with an English account: the case language (and an interpreter)');
  assert.equal(noticeLocale(null, 'ru', 'kk'), 'ru');
  assert.equal(noticeLocale('constructor', 'toString', 'ru'), 'ru');
});

test('the schedule log records only what changed', () => {
  const at = new Date('2026-11-24T05:00:00Z');
  assert.deepEqual(changedFields({ at, hallId: 'h1', closed: false, ids: ['a'] }, { at: new Date(at), hallId: 'h2', closed: false, ids: ['a'] }), {
    hallId: { from: 'h1', to: 'h2' },
  });
  assert.deepEqual(changedFields({ at }, { at: new Date('2026-11-24T06:00:00Z') }), { at: { from: '2026-11-24T05:00:00.000Z', to: '2026-11-24T06:00:00.000Z' } });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextCourtTime } from './court-time.ts';

test('a break "until 11:30" is 11:30 court time today, or tomorrow once that has passed', () => {
  // 10:00 in Almaty (UTC+5) is 05:00 UTC.
  const morning = new Date('2026-11-24T05:00:00Z');
  assert.equal(new Date(nextCourtTime('11:30', 'Asia/Almaty', morning)!).toISOString(), '2026-11-24T06:30:00.000Z');
  const afternoon = new Date('2026-11-24T09:00:00Z'); // 14:00 in Almaty
  assert.equal(new Date(nextCourtTime('11:30', 'Asia/Almaty', afternoon)!).toISOString(), '2026-11-25T06:30:00.000Z');
  // Just after midnight in Almaty it is still the previous day in UTC: Almaty's calendar decides.
  const night = new Date('2026-11-24T19:30:00Z'); // 00:30 on the 25th in Almaty
  assert.equal(new Date(nextCourtTime('09:00', 'Asia/Almaty', night)!).toISOString(), '2026-11-25T04:00:00.000Z');
  // A zone with summer time.
  assert.equal(new Date(nextCourtTime('12:00', 'Europe/Berlin', new Date('2026-07-01T06:00:00Z'))!).toISOString(), '2026-07-01T10:00:00.000Z');
});

test('what is not a time of day is refused', () => {
  assert.equal(nextCourtTime('', 'Asia/Almaty'), null);
  assert.equal(nextCourtTime('25:00', 'Asia/Almaty'), null);
  assert.equal(nextCourtTime('9:5', 'Asia/Almaty'), null);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { courtClock, courtDate, courtDateFromToday, courtDateTime, courtTime, fromZonedTime, nextCourtTime, startOfDay, toZonedTime, zoneOffsetMs } from './court-time.ts';

test('Almaty is five hours ahead of UTC', () => {
  assert.equal(zoneOffsetMs('Asia/Almaty', new Date('2026-11-23T12:00:00Z')), 5 * 3600_000);
});

test('an instant just before midnight UTC is already the next day in a UTC+5 court', () => {
  const at = Date.parse('2026-11-23T23:30:15Z');
  assert.equal(courtDate('Asia/Almaty', at), '24.11.2026');
  assert.equal(courtTime('Asia/Almaty', at), '04:30:15');
  assert.equal(courtDateTime('Asia/Almaty', new Date(at)), '24.11.2026 04:30:15');
  assert.deepEqual(courtClock('Asia/Almaty', '2026-11-23T23:30:15Z'), { date: '2026-11-24', time: '04:30' });
});

test('a court in another zone keeps its own wall clock', () => {
  const at = Date.parse('2026-11-24T05:00:00Z');
  assert.equal(courtTime('Asia/Almaty', at), '10:00:00');
  assert.equal(courtTime('Europe/Moscow', at), '08:00:00');
  assert.equal(courtTime('UTC', at), '05:00:00');
  // 20:30 UTC is the next day in Almaty, the same day in Moscow.
  assert.equal(courtDate('Asia/Almaty', Date.parse('2026-11-24T20:30:00Z')), '25.11.2026');
  assert.equal(courtDate('Europe/Moscow', Date.parse('2026-11-24T20:30:00Z')), '24.11.2026');
});

test('the Almaty day starts at 19:00 UTC the evening before', () => {
  // 02:30 local on 24 November is still 23 November in UTC: the local day must win.
  assert.equal(startOfDay('Asia/Almaty', new Date('2026-11-23T21:30:00Z')).toISOString(), '2026-11-23T19:00:00.000Z');
  assert.equal(startOfDay('Asia/Almaty', new Date('2026-11-23T18:59:59Z')).toISOString(), '2026-11-22T19:00:00.000Z');
});

test('days in a zone with daylight saving start at local midnight', () => {
  // Berlin switched to summer time on 29 March 2026; that day began at 23:00 UTC the day before.
  assert.equal(startOfDay('Europe/Berlin', new Date('2026-03-29T12:00:00Z')).toISOString(), '2026-03-28T23:00:00.000Z');
  assert.equal(startOfDay('Europe/Berlin', new Date('2026-03-30T12:00:00Z')).toISOString(), '2026-03-29T22:00:00.000Z');
});

test('10:00 in an Almaty court is 05:00 UTC today, and was 04:00 UTC before Kazakhstan moved to UTC+5', () => {
  const at10 = (year: number, month: number, day: number) => fromZonedTime('Asia/Almaty', { year, month, day, hour: 10, minute: 0 }).toISOString();
  assert.equal(at10(2026, 11, 24), '2026-11-24T05:00:00.000Z');
  // Almaty kept UTC+6 until 1 March 2024.
  assert.equal(at10(2024, 1, 15), '2024-01-15T04:00:00.000Z');
  assert.equal(at10(2024, 3, 4), '2024-03-04T05:00:00.000Z');
  // So a protocol of January 2024 reads the clock of then.
  assert.equal(courtTime('Asia/Almaty', Date.parse('2024-01-15T04:00:00Z')), '10:00:00');
});

test('wall-clock times convert both ways, across a daylight-saving change too', () => {
  const local = { year: 2026, month: 3, day: 29, hour: 14, minute: 30 };
  const instant = fromZonedTime('Europe/Berlin', local);
  assert.equal(instant.toISOString(), '2026-03-29T12:30:00.000Z');
  assert.deepEqual(toZonedTime('Europe/Berlin', instant), { ...local, weekday: 0 });
  // 00:30 on 25 November in Almaty is still the 24th in UTC.
  assert.deepEqual(toZonedTime('Asia/Almaty', new Date('2026-11-24T19:30:00Z')), { year: 2026, month: 11, day: 25, hour: 0, minute: 30, weekday: 3 });
});

test('the court date some days from now counts the court calendar', () => {
  // 00:30 on 1 December in Almaty (still 30 November in UTC): tomorrow is 2 December.
  assert.equal(courtDateFromToday('Asia/Almaty', 1, new Date('2026-11-30T19:30:00Z')), '2026-12-02');
  assert.equal(courtDateFromToday('Asia/Almaty', 0, new Date('2026-12-31T20:00:00Z')), '2027-01-01');
});

test('a break "until 11:30" is 11:30 court time today, or tomorrow once that has passed', () => {
  // 10:00 in Almaty (UTC+5) is 05:00 UTC.
  const morning = new Date('2026-11-24T05:00:00Z');
  assert.equal(new Date(nextCourtTime('Asia/Almaty', '11:30', morning)!).toISOString(), '2026-11-24T06:30:00.000Z');
  const afternoon = new Date('2026-11-24T09:00:00Z'); // 14:00 in Almaty
  assert.equal(new Date(nextCourtTime('Asia/Almaty', '11:30', afternoon)!).toISOString(), '2026-11-25T06:30:00.000Z');
  // Just after midnight in Almaty it is still the previous day in UTC: Almaty's calendar decides.
  const night = new Date('2026-11-24T19:30:00Z'); // 00:30 on the 25th in Almaty
  assert.equal(new Date(nextCourtTime('Asia/Almaty', '09:00', night)!).toISOString(), '2026-11-25T04:00:00.000Z');
  // The last day of a month rolls over into the next.
  assert.equal(new Date(nextCourtTime('Asia/Almaty', '09:00', new Date('2026-11-30T10:00:00Z'))!).toISOString(), '2026-12-01T04:00:00.000Z');
  // A zone with summer time.
  assert.equal(new Date(nextCourtTime('Europe/Berlin', '12:00', new Date('2026-07-01T06:00:00Z'))!).toISOString(), '2026-07-01T10:00:00.000Z');
});

test('what is not a time of day is refused', () => {
  assert.equal(nextCourtTime('Asia/Almaty', ''), null);
  assert.equal(nextCourtTime('Asia/Almaty', '25:00'), null);
  assert.equal(nextCourtTime('Asia/Almaty', '9:5'), null);
});

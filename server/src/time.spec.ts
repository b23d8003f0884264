import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromZonedTime, startOfDay, toZonedTime, zoneOffsetMs } from './time.ts';

test('Almaty is five hours ahead of UTC', () => {
  assert.equal(zoneOffsetMs('Asia/Almaty', new Date('2026-11-23T12:00:00Z')), 5 * 3600_000);
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
});

test('wall-clock times convert both ways, across a daylight-saving change too', () => {
  const local = { year: 2026, month: 3, day: 29, hour: 14, minute: 30 };
  const instant = fromZonedTime('Europe/Berlin', local);
  assert.equal(instant.toISOString(), '2026-03-29T12:30:00.000Z');
  assert.deepEqual(toZonedTime('Europe/Berlin', instant), { ...local, weekday: 0 });
  // 00:30 on 25 November in Almaty is still the 24th in UTC.
  assert.deepEqual(toZonedTime('Asia/Almaty', new Date('2026-11-24T19:30:00Z')), { year: 2026, month: 11, day: 25, hour: 0, minute: 30, weekday: 3 });
});

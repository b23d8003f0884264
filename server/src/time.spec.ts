import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startOfDay, zoneOffsetMs } from './time.ts';

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

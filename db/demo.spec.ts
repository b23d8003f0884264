import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextWorkingDayAt10 } from './demo.ts';

test('the demo hearing is at 10:00 Almaty on the next working day', () => {
  // Monday 23 November 2026, 15:00 in Almaty → Tuesday 24 November, 10:00 Almaty = 05:00 UTC.
  assert.equal(nextWorkingDayAt10(new Date('2026-11-23T10:00:00Z')).toISOString(), '2026-11-24T05:00:00.000Z');
  // Friday evening → Monday.
  assert.equal(nextWorkingDayAt10(new Date('2026-11-27T15:00:00Z')).toISOString(), '2026-11-30T05:00:00.000Z');
  // 01:00 Saturday in Almaty is still Friday in UTC: the Almaty calendar decides → Monday.
  assert.equal(nextWorkingDayAt10(new Date('2026-11-27T20:00:00Z')).toISOString(), '2026-11-30T05:00:00.000Z');
});

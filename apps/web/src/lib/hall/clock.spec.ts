import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatClock } from './clock.ts';

test('the running clock counts hours, minutes and seconds since the opening', () => {
  assert.equal(formatClock(0), '00:00:00');
  assert.equal(formatClock(999), '00:00:00', 'a second is shown once it has passed');
  assert.equal(formatClock(61_000), '00:01:01');
  assert.equal(formatClock(3_723_000), '01:02:03');
  assert.equal(formatClock(25 * 3_600_000 + 600_000), '25:10:00', 'no wrap at midnight');
  assert.equal(formatClock(-5_000), '00:00:00', 'a device clock slightly ahead never shows a negative time');
});

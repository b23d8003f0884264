import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatRecordingTime, recordingSpans, recordingTimeAt, recordingTimeFrom, wallTimeAt } from './recording-clock.ts';

const events = [
  { type: 'hearing.opened', at: 500 },
  { type: 'recording.started', at: 1_000 },
  { type: 'recording.paused', at: 5_000 },
  { type: 'recording.resumed', at: 9_000 },
  { type: 'recording.stopped', at: 12_000 },
  { type: 'recording.started', at: 20_000 },
];

test('the recorded spans follow start, pause, resume and stop', () => {
  assert.deepEqual(recordingSpans(events), [
    { from: 1_000, to: 5_000 },
    { from: 9_000, to: 12_000 },
    { from: 20_000, to: null },
  ]);
});

test('recording time is wall time minus the start and every span not recorded', () => {
  const spans = recordingSpans(events);
  assert.equal(recordingTimeAt(spans, 1_000), 0);
  assert.equal(recordingTimeAt(spans, 3_000), 2_000);
  assert.equal(recordingTimeAt(spans, 10_000), 5_000); // 4 s before the pause + 1 s after resuming
  assert.equal(recordingTimeAt(spans, 25_000), 12_000); // 4 + 3 + 5
});

test('moments before the start, in a pause or after a stop have no recording time', () => {
  const spans = recordingSpans(events);
  assert.equal(recordingTimeAt(spans, 500), null);
  assert.equal(recordingTimeAt(spans, 7_000), null);
  assert.equal(recordingTimeAt(spans, 15_000), null);
  assert.equal(recordingTimeAt(recordingSpans([]), 15_000), null);
});

test('a second start while recording does not open a second span', () => {
  assert.deepEqual(
    recordingSpans([
      { type: 'recording.started', at: 1 },
      { type: 'recording.started', at: 2 },
      { type: 'recording.paused', at: 3 },
      { type: 'recording.paused', at: 4 },
    ]),
    [{ from: 1, to: 3 }],
  );
});

test('recording times are written h:mm:ss', () => {
  assert.equal(formatRecordingTime(65_400), '01:05');
  assert.equal(formatRecordingTime(3_723_000), '1:02:03');
});

test('a moment of a break plays from where recording resumed; recording time maps back to the wall clock', () => {
  const spans = [
    { from: 1000, to: 5000 },
    { from: 9000, to: 12_000 },
  ];
  assert.equal(recordingTimeFrom(spans, 3000), 2000);
  assert.equal(recordingTimeFrom(spans, 7000), 4000, 'in the break: where it resumed');
  assert.equal(recordingTimeFrom(spans, 500), 0, 'before the start: the start');
  assert.equal(recordingTimeFrom(spans, 13_000), null, 'after the stop: nothing');
  assert.equal(wallTimeAt(spans, 2000), 3000);
  assert.equal(wallTimeAt(spans, 4000), 5000);
  assert.equal(wallTimeAt(spans, 4500), 9500);
  assert.equal(wallTimeAt(spans, 60_000), 12_000, 'past the end: the end');
});

/**
 * Where each segment goes in the hall mix: the recording's time line, pauses left out, media
 * outside the recorded spans cut (audio at either end; video, which needs its key frame, only at its end).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { placeSegments } from './hall-mix.ts';
import type { SegmentRecord } from './recording-ports.ts';

const segment = (seq: number, startedAt: number, durationMs: number): SegmentRecord => ({ trackId: 't', seq, file: `${seq}.webm`, bytes: 1, sha256: '', chain: '', startedAt, durationMs });
// Recorded 10:00:00–10:00:10, a break, then 10:05:00–10:05:08 (wall clock in ms from 0 here).
const spans = [
  { from: 0, to: 10_000 },
  { from: 300_000, to: 308_000 },
];

test('after a pause, media continues where the recording time left off: the break is not in the mix', () => {
  const placed = placeSegments([segment(0, 0, 4000), segment(1, 4000, 4000), segment(2, 8000, 2000), segment(3, 300_000, 4000), segment(4, 304_000, 4000)], spans, 'audio');
  assert.deepEqual(
    placed.map((p) => [p.segment.seq, p.at]),
    [
      [0, 0],
      [1, 4000],
      [2, 8000],
      [3, 10_000],
      [4, 14_000],
    ],
  );
});

test('media a recorder kept after a pause is cut at the pause; media before a start is cut from audio, kept by video', () => {
  // The last segment before the break runs 300 ms past the pause; the first after it began 150 ms early.
  const audio = placeSegments([segment(0, 6000, 4300), segment(1, 299_850, 4000)], spans, 'audio');
  assert.deepEqual(
    audio.map((p) => ({ seq: p.segment.seq, at: p.at, inpoint: p.inpoint, outpoint: p.outpoint })),
    [
      { seq: 0, at: 6000, inpoint: 0, outpoint: 4000 },
      { seq: 1, at: 10_000, inpoint: 150, outpoint: 4000 },
    ],
  );
  const video = placeSegments([segment(0, 6000, 4300), segment(1, 299_850, 4000)], spans, 'video');
  assert.deepEqual(
    video.map((p) => ({ seq: p.segment.seq, at: p.at, inpoint: p.inpoint, outpoint: p.outpoint })),
    [
      { seq: 0, at: 6000, inpoint: 0, outpoint: 4000 },
      { seq: 1, at: 10_000, inpoint: 0, outpoint: 4000 },
    ],
  );
});

test('a segment wholly outside the recorded time is left out; one that would overlap the next is shortened', () => {
  const placed = placeSegments([segment(0, 100_000, 4000), segment(1, 0, 5000), segment(2, 4000, 4000)], spans, 'audio');
  assert.deepEqual(
    placed.map((p) => ({ seq: p.segment.seq, at: p.at, outpoint: p.outpoint })),
    [
      { seq: 1, at: 0, outpoint: 4000 },
      { seq: 2, at: 4000, outpoint: 4000 },
    ],
  );
});

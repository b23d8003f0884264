import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HearingEvent } from '../../../../../server/src/shared/hearing/state.ts';
import type { RecordedTrack } from '../../../../../server/src/shared/api/recording-view.ts';
import { recordedSpan, segmentAt, shownAt, timelineEvents } from './playback.ts';

const track: RecordedTrack = {
  trackId: 't',
  sourceId: 's',
  kind: 'audio',
  role: 'hall_microphone',
  label: 'Mic',
  segments: [
    { seq: 0, startedAt: 1000, durationMs: 4000, bytes: 1 },
    { seq: 1, startedAt: 5000, durationMs: 4000, bytes: 1 },
    // a gap from 9000 to 12000
    { seq: 2, startedAt: 12000, durationMs: 2000, bytes: 1 },
  ],
};

test('the segment at a moment, the next one across a gap, the end for the stop just after it, none later', () => {
  assert.deepEqual(segmentAt(track, 6500), { segment: track.segments[1], offsetMs: 1500 });
  assert.deepEqual(segmentAt(track, 10000), { segment: track.segments[2], offsetMs: 0 });
  assert.deepEqual(segmentAt(track, 500), { segment: track.segments[0], offsetMs: 0 });
  // The stop was committed 20 ms after the last media: the jump lands on the end of the last segment.
  assert.deepEqual(segmentAt(track, 14020), { segment: track.segments[2], offsetMs: 2000 });
  assert.equal(segmentAt(track, 16000), null);
  assert.deepEqual(recordedSpan([track]), { from: 1000, to: 14000 });
});

const actor = { userId: 'u', fullName: 'U', role: 'presiding_judge' } as const;
const ev = (version: number, at: number, body: Pick<HearingEvent, 'type' | 'payload'>) => ({ ...body, hearingId: 'h', version, at, actor }) as HearingEvent;
const position = (sheet: number) => ({ documentId: 'd', page: sheet, volume: 1, sheet, zoom: 1, region: null });
const presenter = { userId: 'p', fullName: 'P', role: 'prosecutor' as const, participantId: 'x' };

test('the page shown at a moment follows the presentation, and nothing after it ended', () => {
  const events = [
    ev(1, 1000, { type: 'floor.given', payload: { presenter, presentationId: 'pr' } }),
    ev(2, 2000, { type: 'position.shown', payload: { presentationId: 'pr', position: position(3) } }),
    ev(3, 4000, { type: 'position.shown', payload: { presentationId: 'pr', position: position(7) } }),
    ev(4, 6000, { type: 'presentation.ended', payload: { presentationId: 'pr', presenter, startedAt: 1000, reason: 'ended', shown: [] } }),
    ev(5, 6500, { type: 'recording.chain_heads', payload: { heads: [] } }),
  ];
  assert.equal(shownAt(events, 1500), null);
  assert.equal(shownAt(events, 3000)?.sheet, 3);
  assert.equal(shownAt(events, 5999)?.sheet, 7);
  assert.equal(shownAt(events, 7000), null);
  assert.deepEqual(
    timelineEvents(events).map((e) => e.type),
    ['floor.given', 'presentation.ended'],
  );
});

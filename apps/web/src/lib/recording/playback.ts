/**
 * The arithmetic of the playback page, on the hearing's wall clock (UTC ms): which segment of a
 * track plays at a moment, what the presenter showed at that moment, and which events belong on
 * the timeline. Pure, so it is tested without a browser.
 */
import type { ShownPosition } from '$server/shared/hearing/floor/floor.ts';
import type { HearingEvent } from '$server/shared/hearing/state.ts';
import type { RecordedSegment, RecordedTrack } from '$server/shared/api/recording-view.ts';

/**
 * How far after a track's last media a moment still counts as its end: a recording stops taking
 * media at the moment its stop is committed, so its last segment ends a few milliseconds either side of it.
 */
export const END_TOLERANCE_MS = 1000;

/**
 * The segment playing at `at` and the offset into it, or the next segment after `at` (a gap); the
 * last segment's end for a moment just after it (the stop); null later than that.
 */
export function segmentAt(track: RecordedTrack, at: number): { segment: RecordedSegment; offsetMs: number } | null {
  for (const segment of track.segments) {
    if (at < segment.startedAt) return { segment, offsetMs: 0 };
    if (at < segment.startedAt + segment.durationMs) return { segment, offsetMs: at - segment.startedAt };
  }
  const last = track.segments.at(-1);
  if (last && at <= last.startedAt + last.durationMs + END_TOLERANCE_MS) return { segment: last, offsetMs: last.durationMs };
  return null;
}

/** The recording's span on the wall clock: from the first segment of any track to the last end. */
export function recordedSpan(tracks: RecordedTrack[]): { from: number; to: number } | null {
  const all = tracks.flatMap((t) => t.segments);
  if (all.length === 0) return null;
  return { from: Math.min(...all.map((s) => s.startedAt)), to: Math.max(...all.map((s) => s.startedAt + s.durationMs)) };
}

/** What the presenter showed to the hall at `at`: the last page shown, unless the presentation ended since. */
export function shownAt(events: readonly HearingEvent[], at: number): ShownPosition | null {
  let shown: ShownPosition | null = null;
  for (const event of events) {
    if (event.at > at) break;
    if (event.type === 'position.shown') shown = event.payload.position;
    else if (event.type === 'floor.given' || event.type === 'presentation.ended' || event.type === 'hearing.adjourned' || event.type === 'hearing.suspended' || event.type === 'hearing.ended')
      shown = null;
  }
  return shown;
}

/** The events worth a place on the timeline: not each page turn, nor the verifier's checkpoints. */
export function timelineEvents(events: readonly HearingEvent[]): HearingEvent[] {
  return events.filter((e) => e.type !== 'position.shown' && e.type !== 'recording.chain_heads' && e.type !== 'attendance.recorded');
}

/** The gaps of a track, as [from, to) spans on the wall clock, for marking them on the timeline. */
export function gapsOf(events: readonly HearingEvent[], trackId: string): { from: number; to: number }[] {
  return events.flatMap((e) => (e.type === 'recording.gap_ended' && e.payload.trackId === trackId ? [{ from: e.payload.from, to: e.payload.to }] : []));
}

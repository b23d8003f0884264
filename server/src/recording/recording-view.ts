/**
 * What the playback page receives from GET /api/hearings/:id/recording (types only, shared with
 * the web app): the tracks with their segments' place on the wall clock, the hearing's timeline,
 * and the hall mix when one has been made.
 */
import type { HearingEvent, HearingInfo } from '../hearings/hearing-state.ts';

export type RecordedSegment = { seq: number; startedAt: number; durationMs: number; bytes: number };

export type RecordedTrack = { trackId: string; sourceId: string; kind: 'audio' | 'video'; role: string; label: string; segments: RecordedSegment[] };

/**
 * The hall mix runs on the recording's time line: `spans` are the recorded stretches of wall time,
 * pauses left out (a moment at wall time `at` is `recordingTimeAt(spans, at)` into the mix).
 */
export type RecordingView = { hearing: HearingInfo; tracks: RecordedTrack[]; events: HearingEvent[]; mix: { startedAt: number; spans: { from: number; to: number | null }[] } | null };

export type { RecordingVerdict, BadSegment, SegmentProblem } from '../../../media/src/recording/verify-recording.ts';

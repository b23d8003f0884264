/**
 * What the playback page receives from GET /api/hearings/:id/recording: the tracks with their
 * segments' place on the wall clock, the hearing's timeline, and the hall mix when one has been
 * made; and the verdict of a check of the recording's files and hash chain
 * (media/src/recording/verify-recording.ts).
 */
import type { HearingEvent, HearingInfo } from '../hearing/state.ts';

export type RecordedSegment = { seq: number; startedAt: number; durationMs: number; bytes: number };

export type RecordedTrack = { trackId: string; sourceId: string; kind: 'audio' | 'video'; role: string; label: string; segments: RecordedSegment[] };

/**
 * The hall mix runs on the recording's time line: `spans` are the recorded stretches of wall time,
 * pauses left out (a moment at wall time `at` is `recordingTimeAt(spans, at)` into the mix).
 */
export type RecordingView = { hearing: HearingInfo; tracks: RecordedTrack[]; events: HearingEvent[]; mix: { startedAt: number; spans: { from: number; to: number | null }[] } | null };

export type SegmentProblem = 'missing_segment' | 'missing_file' | 'size_changed' | 'hash_mismatch' | 'chain_broken' | 'anchor_mismatch';

export type BadSegment = { trackId: string; label: string; seq: number; file: string | null; startedAt: number | null; problem: SegmentProblem };

export type TrackVerdict = { trackId: string; label: string; kind: 'audio' | 'video'; segments: number; bytes: number; durationMs: number; head: string | null; ok: boolean };

export type RecordingVerdict = {
  ok: boolean;
  tracks: TrackVerdict[];
  /** The earliest bad segment in recording time, across all tracks; null when all is well. */
  firstBad: BadSegment | null;
  /** The first bad segment of each bad track (later ones depend on it through the chain). */
  bad: BadSegment[];
  /** How many chain heads from the event log were checked. */
  anchorsChecked: number;
};

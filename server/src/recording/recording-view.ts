/**
 * What the playback page receives from GET /api/hearings/:id/recording (types only, shared with
 * the web app): the tracks with their segments' place on the wall clock, the hearing's timeline,
 * and the hall mix when one has been made.
 */
import type { HearingEvent, HearingInfo } from '../hearings/hearing-state.ts';

export type RecordedSegment = { seq: number; startedAt: number; durationMs: number; bytes: number };

export type RecordedTrack = { trackId: string; sourceId: string; kind: 'audio' | 'video'; role: string; label: string; segments: RecordedSegment[] };

export type RecordingView = { hearing: HearingInfo; tracks: RecordedTrack[]; events: HearingEvent[]; mix: { startedAt: number } | null };

export type { RecordingVerdict, BadSegment, SegmentProblem } from '../../../media/src/recording/verify-recording.ts';

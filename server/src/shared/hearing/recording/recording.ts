/**
 * Whether the hearing is being recorded, as every screen and the hall's wall screen show it
 * (the recording itself: media/src/recording/, docs/recording.md). The secretary or the presiding
 * judge starts, pauses, resumes and stops it; it runs only while the hearing sits: a break and the
 * deliberation room pause it and resume it when they end; the end of the hearing stops it. The
 * server itself logs the gaps it notices and the heads of the recording's hash chains.
 */
import { AppError } from '../../errors.ts';
import { requireCourtStaff, requireStatus, transition, type DecisionContext, type FeatureRules } from '../core.ts';
import type { HearingEventBody, HearingLiveState } from '../state.ts';

/** `off` before the first start; `stopped` after a stop (it may start again). */
export type RecordingStatus = 'off' | 'recording' | 'paused' | 'stopped';
/** Why recording is paused: by hand, or by the rules (a break; the deliberation room is never recorded). */
export type RecordingPauseReason = 'manual' | 'break' | 'deliberation';
export type RecordingStopReason = 'manual' | 'hearing_ended';
export type RecordingGapReason = 'recorder_died' | 'no_media' | 'source_lost' | 'late_start';
export type RecordingGap = { gapId: string; trackId: string; sourceId: string; label: string; reason: RecordingGapReason; from: number };

export type RecordingLiveState = {
  status: RecordingStatus;
  since: number | null;
  pauseReason: RecordingPauseReason | null;
  /** Sources live in the hall's media room when recording (re)started; 0 when there is no media room yet. */
  sources: number;
  /** Tracks that miss media right now (a recorder restarting, a participant who dropped out). */
  openGaps: RecordingGap[];
};

export const RECORDING_OFF: RecordingLiveState = { status: 'off', since: null, pauseReason: null, sources: 0, openGaps: [] };

export type RecordingState = { recording: RecordingLiveState };

export type RecordingCommand = { type: 'start_recording' } | { type: 'pause_recording' } | { type: 'resume_recording' } | { type: 'stop_recording' };

export type RecordingEvent =
  | { type: 'recording.started'; payload: { sources: number } }
  | { type: 'recording.paused'; payload: { reason: RecordingPauseReason } }
  | { type: 'recording.resumed'; payload: { sources: number } }
  | { type: 'recording.stopped'; payload: { reason: RecordingStopReason } }
  /** The number of sources being recorded changed (a room plugged in, a participant joined or left). */
  | { type: 'recording.sources_changed'; payload: { sources: number } }
  | { type: 'recording.gap_started'; payload: RecordingGap }
  | { type: 'recording.gap_ended'; payload: RecordingGap & { to: number } }
  /** The hash chain's head of each track that moved (docs/recording.md): what the verifier checks the manifest against. */
  | { type: 'recording.chain_heads'; payload: { heads: { trackId: string; seq: number; chain: string }[] } };

export const recording: FeatureRules<RecordingCommand, RecordingEvent> = {
  decide: {
    start_recording: (_command, ctx) => {
      const { status } = controlled(ctx);
      if (status === 'recording' || status === 'paused') throw transition('The recording is already running; resume it if paused');
      requireRecordable(ctx.state);
      return [{ type: 'recording.started', payload: { sources: ctx.recordingSources() } }];
    },
    pause_recording: (_command, ctx) => {
      if (controlled(ctx).status !== 'recording') throw transition('The recording is not running');
      return [{ type: 'recording.paused', payload: { reason: 'manual' } }];
    },
    resume_recording: (_command, ctx) => {
      if (controlled(ctx).status !== 'paused') throw transition('The recording is not paused');
      requireRecordable(ctx.state);
      return [{ type: 'recording.resumed', payload: { sources: ctx.recordingSources() } }];
    },
    stop_recording: (_command, ctx) => {
      const { status } = controlled(ctx);
      if (status !== 'recording' && status !== 'paused') throw transition('The recording is not running');
      return [{ type: 'recording.stopped', payload: { reason: 'manual' } }];
    },
  },

  apply: {
    'recording.started': (state, event) => withRecording(state, { status: 'recording', since: event.at, pauseReason: null, sources: event.payload.sources }),
    'recording.resumed': (state, event) => withRecording(state, { status: 'recording', since: event.at, pauseReason: null, sources: event.payload.sources }),
    'recording.paused': (state, event) => withRecording(state, { status: 'paused', since: event.at, pauseReason: event.payload.reason }),
    'recording.stopped': (state, event) => withRecording(state, { status: 'stopped', since: event.at, pauseReason: null }),
    'recording.sources_changed': (state, event) => withRecording(state, { sources: event.payload.sources }),
    'recording.gap_started': (state, event) => withRecording(state, { openGaps: [...state.recording.openGaps.filter((g) => g.gapId !== event.payload.gapId), event.payload] }),
    'recording.gap_ended': (state, event) => withRecording(state, { openGaps: state.recording.openGaps.filter((g) => g.gapId !== event.payload.gapId) }),
    'recording.chain_heads': (state) => state,
  },

  // The wall screen shows that the hearing is recorded, and from how many sources; the chain is the verifier's.
  display: {
    'recording.started': 'shown',
    'recording.paused': 'shown',
    'recording.resumed': 'shown',
    'recording.stopped': 'shown',
    'recording.sources_changed': 'shown',
    'recording.gap_started': 'shown',
    'recording.gap_ended': 'shown',
    'recording.chain_heads': 'withheld',
  },
};

/** The secretary or the presiding judge controls the recording. */
function controlled(ctx: DecisionContext): RecordingLiveState {
  requireCourtStaff(ctx, 'controls the recording');
  return ctx.state.recording;
}

/** Recording runs while the hearing is in session, never in the deliberation room. */
function requireRecordable(state: HearingLiveState): void {
  requireStatus(state, 'in_progress');
  if (state.stage === 'deliberation') throw new AppError('recording_not_allowed', 'The deliberation room is never recorded');
}

function withRecording(state: HearingLiveState, change: Partial<RecordingLiveState>): HearingLiveState {
  return { ...state, recording: { ...state.recording, ...change } };
}

/** Pauses a running recording for a break or the deliberation (the rules of the course of the hearing). */
export function pauseRecording(ctx: DecisionContext, reason: 'break' | 'deliberation'): HearingEventBody[] {
  return ctx.state.recording.status === 'recording' ? [{ type: 'recording.paused', payload: { reason } }] : [];
}

/** Resumes a recording the rules paused for `reason` (a manual pause stays until someone resumes). */
export function resumeRecording(ctx: DecisionContext, reason: 'break' | 'deliberation'): HearingEventBody[] {
  const { recording } = ctx.state;
  return recording.status === 'paused' && recording.pauseReason === reason ? [{ type: 'recording.resumed', payload: { sources: ctx.recordingSources() } }] : [];
}

export function stopRecording(ctx: DecisionContext): HearingEventBody[] {
  const { status } = ctx.state.recording;
  return status === 'recording' || status === 'paused' ? [{ type: 'recording.stopped', payload: { reason: 'hearing_ended' } }] : [];
}

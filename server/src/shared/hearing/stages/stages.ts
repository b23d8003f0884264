/**
 * The hearing's course: opened, moved through the stages of the main trial, broken off for a break,
 * and ended — adjourned, suspended or finished.
 *
 * The order of the main trial (../shared/docs/domain.md): preparatory part → judicial
 * investigation → pleadings → last word → deliberation → announcement. The court may resume the
 * judicial investigation from the pleadings, the last word or the deliberation room (new evidence),
 * and nothing else goes backwards. Breaks, adjournment and suspension may come at any stage.
 */
import type { HearingStatus, TrialStage } from '../../domain.ts';
import { AppError } from '../../errors.ts';
import { requireJudge, requireSitting, requireStatus, transition, type FeatureRules } from '../core.ts';
import type { HearingEventBody, HearingLiveState } from '../state.ts';
import { endPresentation } from '../floor/floor.ts';
import { requireNoRecusalPending } from '../motions/motions.ts';
import { pauseRecording, resumeRecording, stopRecording } from '../recording/recording.ts';

export type StagesState = {
  status: HearingStatus;
  stage: TrialStage | null;
  /** When the judge opened the hearing; the secretary's running clock counts from here. */
  openedAt: number | null;
  break: { since: number; until: number | null; reason: string | null } | null;
  /** When and why the hearing ended (adjourned, suspended or finished). */
  endedAt: number | null;
  endReason: string | null;
  /** The date an adjourned hearing is to continue, when the judge named one (YYYY-MM-DD). */
  nextDate: string | null;
};

export type StagesCommand =
  | { type: 'open' }
  | { type: 'move_stage'; to: TrialStage }
  | { type: 'start_break'; until: number | null; reason: string | null }
  | { type: 'end_break' }
  | { type: 'adjourn'; reason: string; nextDate: string | null }
  | { type: 'suspend'; reason: string }
  | { type: 'end' };

export type StagesEvent =
  | { type: 'hearing.opened'; payload: Record<string, never> }
  | { type: 'stage.changed'; payload: { from: TrialStage; to: TrialStage } }
  | { type: 'break.started'; payload: { until: number | null; reason: string | null } }
  | { type: 'break.ended'; payload: Record<string, never> }
  | { type: 'hearing.adjourned'; payload: { reason: string; nextDate: string | null } }
  | { type: 'hearing.suspended'; payload: { reason: string } }
  | { type: 'hearing.ended'; payload: Record<string, never> };

/** The stages the presiding judge may move to from each stage. */
export const STAGE_TRANSITIONS: Record<TrialStage, readonly TrialStage[]> = {
  preparatory: ['investigation'],
  investigation: ['pleadings'],
  pleadings: ['last_word', 'investigation'],
  last_word: ['deliberation', 'investigation'],
  deliberation: ['announcement', 'investigation'],
  announcement: [],
};

/** Statuses after which nothing more happens in this hearing. */
export const ENDED_STATUSES: readonly HearingStatus[] = ['adjourned', 'suspended', 'finished'];

export function isEnded(status: HearingStatus): boolean {
  return ENDED_STATUSES.includes(status);
}

/** The events that change a hearing's status (opened, broken off, resumed, ended): what the situation centre counts. */
export const STATUS_EVENTS: ReadonlySet<HearingEventBody['type']> = new Set([
  'hearing.opened',
  'break.started',
  'break.ended',
  'hearing.adjourned',
  'hearing.suspended',
  'hearing.ended',
] satisfies StagesEvent['type'][]);

/** The furthest ahead a break may be announced to last (a break may run to another day). */
const MAX_BREAK_MS = 31 * 86_400_000;

export function initialStages(hearing: { status: HearingStatus; stage: TrialStage | null }): StagesState {
  return { status: hearing.status, stage: hearing.stage, openedAt: null, break: null, endedAt: null, endReason: null, nextDate: null };
}

export const stages: FeatureRules<StagesCommand, StagesEvent> = {
  decide: {
    open: (_command, ctx) => {
      requireJudge(ctx);
      if (ctx.state.status !== 'scheduled') throw transition('The hearing has already been opened');
      return [{ type: 'hearing.opened', payload: {} }];
    },

    move_stage: async (command, ctx) => {
      const { state } = ctx;
      requireJudge(ctx);
      requireStatus(state, 'in_progress');
      requireNoRecusalPending(state);
      const from = state.stage!;
      if (!STAGE_TRANSITIONS[from].includes(command.to)) throw transition(`The hearing cannot move from ${from} to ${command.to}`);
      const changed: HearingEventBody = { type: 'stage.changed', payload: { from, to: command.to } };
      // The hall waits while the court deliberates: nobody presents, and the deliberation room is
      // never recorded. Leaving it, recording picks up where it was.
      if (command.to === 'deliberation') return [...(await endPresentation(ctx, 'deliberation')), ...pauseRecording(ctx, 'deliberation'), changed];
      return [changed, ...resumeRecording(ctx, 'deliberation')];
    },

    start_break: async (command, ctx) => {
      requireJudge(ctx);
      requireStatus(ctx.state, 'in_progress');
      if (command.until !== null && (command.until <= ctx.now || command.until > ctx.now + MAX_BREAK_MS)) {
        throw new AppError('invalid_request', 'A break ends in the future, within 31 days');
      }
      return [...(await endPresentation(ctx, 'break')), ...pauseRecording(ctx, 'break'), { type: 'break.started', payload: { until: command.until, reason: command.reason } }];
    },

    end_break: (_command, ctx) => {
      requireJudge(ctx);
      requireStatus(ctx.state, 'break');
      return [{ type: 'break.ended', payload: {} }, ...resumeRecording(ctx, 'break')];
    },

    adjourn: async (command, ctx) => {
      requireJudge(ctx);
      requireSitting(ctx.state);
      return [...(await endPresentation(ctx, 'hearing_ended')), ...stopRecording(ctx), { type: 'hearing.adjourned', payload: { reason: command.reason, nextDate: command.nextDate } }];
    },

    suspend: async (command, ctx) => {
      requireJudge(ctx);
      requireSitting(ctx.state);
      return [...(await endPresentation(ctx, 'hearing_ended')), ...stopRecording(ctx), { type: 'hearing.suspended', payload: { reason: command.reason } }];
    },

    end: async (_command, ctx) => {
      requireJudge(ctx);
      requireStatus(ctx.state, 'in_progress');
      if (ctx.state.stage !== 'announcement') throw transition('A hearing ends after the decision is announced; otherwise adjourn or suspend it');
      return [...(await endPresentation(ctx, 'hearing_ended')), ...stopRecording(ctx), { type: 'hearing.ended', payload: {} }];
    },
  },

  apply: {
    'hearing.opened': (state, event) => ({ ...state, status: 'in_progress', stage: 'preparatory', openedAt: event.at }),
    'stage.changed': (state, event) => ({ ...state, stage: event.payload.to }),
    'break.started': (state, event) => ({ ...state, status: 'break', break: { since: event.at, until: event.payload.until, reason: event.payload.reason } }),
    'break.ended': (state) => ({ ...state, status: 'in_progress', break: null }),
    'hearing.adjourned': (state, event) => ({ ...ended(state, 'adjourned', event.at, event.payload.reason), nextDate: event.payload.nextDate }),
    'hearing.suspended': (state, event) => ended(state, 'suspended', event.at, event.payload.reason),
    'hearing.ended': (state, event) => ended(state, 'finished', event.at, null),
  },

  // The screen shows that the hearing broke off or ended, not the reasons given.
  display: {
    'hearing.opened': 'shown',
    'stage.changed': 'shown',
    'break.started': (event) => ({ ...event, payload: { until: event.payload.until, reason: null } }),
    'break.ended': 'shown',
    'hearing.adjourned': (event) => ({ ...event, payload: { reason: '', nextDate: event.payload.nextDate } }),
    'hearing.suspended': (event) => ({ ...event, payload: { reason: '' } }),
    'hearing.ended': 'shown',
  },
  screen: (state) => ({ break: state.break && { ...state.break, reason: null }, endReason: state.endReason === null ? null : '' }),
};

function ended(state: HearingLiveState, status: HearingStatus, at: number, reason: string | null): HearingLiveState {
  return { ...state, status, break: null, endedAt: at, endReason: reason, floor: null, shown: null };
}

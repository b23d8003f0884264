/**
 * The interpreter (CPC RK art. 30, 81): the presiding judge appoints a case participant with the
 * role `interpreter` for another participant and a pair of languages, having warned them of criminal
 * liability for knowingly wrong interpretation (Criminal Code RK art. 420), and releases them. The
 * appointment is an entry of the short protocol. In `simultaneous` mode the interpreter speaks into
 * a channel only the participant hears (docs/media.md, "The interpreter's channel"); in
 * `consecutive` mode they take the floor in the hall like anyone else.
 */
import { AppError } from '../../errors.ts';
import { requireJudge, requireSitting, type FeatureRules } from '../core.ts';
import type { HearingLiveState } from '../state.ts';
import type { InterpretationLanguage } from './languages.ts';

export const INTERPRETATION_MODES = ['simultaneous', 'consecutive'] as const;
export type InterpretationMode = (typeof INTERPRETATION_MODES)[number];

export type InterpreterAppointment = {
  interpreterId: string;
  fullName: string;
  forParticipantId: string;
  forFullName: string;
  languages: { from: InterpretationLanguage; to: InterpretationLanguage };
  mode: InterpretationMode;
  /** Warned of liability under art. 420 of the Criminal Code: an appointment is never made without it. */
  warned: true;
};

export type InterpreterState = {
  /** Interpreter's participant id → their appointment in this hearing, while it stands. */
  interpreters: Record<string, InterpreterAppointment>;
};

export const NO_INTERPRETERS: InterpreterState = { interpreters: {} };

export type InterpreterCommand =
  | {
      type: 'appoint_interpreter';
      interpreterId: string;
      forParticipantId: string;
      languages: { from: InterpretationLanguage; to: InterpretationLanguage };
      mode: InterpretationMode;
      warned: boolean;
    }
  | { type: 'release_interpreter'; interpreterId: string };

export type InterpreterEvent = { type: 'interpreter.appointed'; payload: InterpreterAppointment } | { type: 'interpreter.released'; payload: { interpreterId: string; fullName: string } };

/** Whom an interpreter's channel is for now: the participant of a simultaneous appointment, or nobody. */
export function interpretationListeners(state: HearingLiveState, interpreterId: string | null): string[] {
  const appointment = interpreterId ? state.interpreters?.[interpreterId] : undefined;
  return appointment && appointment.mode === 'simultaneous' ? [appointment.forParticipantId] : [];
}

/** The standing appointments for a participant (who interprets for them). */
export function interpretersFor(state: HearingLiveState, participantId: string): InterpreterAppointment[] {
  return Object.values(state.interpreters ?? {}).filter((a) => a.forParticipantId === participantId);
}

export const interpreter: FeatureRules<InterpreterCommand, InterpreterEvent> = {
  decide: {
    appoint_interpreter: async (command, ctx) => {
      requireJudge(ctx);
      requireSitting(ctx.state);
      if (!command.warned) throw new AppError('invalid_request', 'Warn the interpreter of liability for knowingly wrong interpretation first');
      if (command.languages.from === command.languages.to) throw new AppError('invalid_request', 'An interpreter interprets between two different languages');
      const appointed = await ctx.participant(command.interpreterId);
      if (!appointed) throw new AppError('not_found', 'No such participant in this case');
      if (appointed.role !== 'interpreter') throw new AppError('invalid_request', 'Only a participant in the role of interpreter is appointed as one');
      const listener = await ctx.participant(command.forParticipantId);
      if (!listener) throw new AppError('not_found', 'No such participant in this case');
      if (listener.role === 'interpreter') throw new AppError('invalid_request', 'An interpreter interprets for a participant, not for another interpreter');
      if (ctx.state.interpreters[appointed.id]) throw new AppError('invalid_transition', 'This interpreter is already appointed: release them first');
      const appointment: InterpreterAppointment = {
        interpreterId: appointed.id,
        fullName: appointed.fullName,
        forParticipantId: listener.id,
        forFullName: listener.fullName,
        languages: { from: command.languages.from, to: command.languages.to },
        mode: command.mode,
        warned: true,
      };
      return [{ type: 'interpreter.appointed', payload: appointment }];
    },

    release_interpreter: ({ interpreterId }, ctx) => {
      requireJudge(ctx);
      requireSitting(ctx.state);
      const appointment = ctx.state.interpreters[interpreterId];
      if (!appointment) throw new AppError('invalid_transition', 'This interpreter is not appointed');
      return [{ type: 'interpreter.released', payload: { interpreterId, fullName: appointment.fullName } }];
    },
  },

  apply: {
    'interpreter.appointed': (state, event) => ({ ...state, interpreters: { ...state.interpreters, [event.payload.interpreterId]: event.payload } }),
    'interpreter.released': (state, event) => {
      const rest = { ...state.interpreters };
      delete rest[event.payload.interpreterId];
      return { ...state, interpreters: rest };
    },
  },

  // Announced in open court: the wall screen may know who interprets for whom.
  display: {
    'interpreter.appointed': 'shown',
    'interpreter.released': 'shown',
  },
};

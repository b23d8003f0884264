/**
 * Motions in the hearing (server/src/motions/, docs/motions.md): a party files a motion as a signed
 * electronic document (the motions service has checked the signature before the command comes
 * here), or the presiding judge takes up one filed outside the hall; the other parties state their
 * positions; the court rules. A recusal waiting for its ruling stops the hearing's procedural steps.
 */
import type { MotionKind, MotionPosition, MotionStatus, MotionSubtype, ParticipantRole } from '../../domain.ts';
import { AppError } from '../../errors.ts';
import { requireJudge, requireSitting, transition, type FeatureRules } from '../core.ts';
import type { HearingLiveState } from '../state.ts';

/** A motion as the hall sees it: what was filed and signed, the parties' positions, the ruling. */
export type HearingMotion = {
  id: string;
  number: number;
  kind: MotionKind;
  subtype: MotionSubtype | null;
  text: string;
  refs: { documentId: string; sheet: number | null }[];
  attachments: { position: number; fileName: string; sha256: string; size: number; pages: number }[];
  filer: { userId: string; fullName: string; role: ParticipantRole; participantId: string };
  filedAt: number;
  /** The receipt the filer got: its number and the SHA-256 of the canonical bytes received. */
  receipt: { number: string; sha256: string };
  /** The signature as the server checked it at filing. */
  signature: { signerName: string; signerIin: string; issuer: string; serialNumber: string; validTo: string };
  status: MotionStatus;
  positions: { participantId: string; fullName: string; role: ParticipantRole; position: MotionPosition; text: string | null; at: number }[];
  ruling: { status: Exclude<MotionStatus, 'filed'>; reasons: string; at: number } | null;
};

export type MotionRuling = Exclude<MotionStatus, 'filed'>;
/** A ruling that leaves nothing more to decide (`deferred` leaves the motion open). */
export const FINAL_RULINGS: readonly MotionRuling[] = ['granted', 'denied', 'granted_in_part'];

/** Who may file motions and state positions on them: the parties. */
export const PARTY_ROLES: readonly ParticipantRole[] = ['prosecutor', 'defender', 'defendant', 'victim', 'victim_representative', 'civil_plaintiff', 'civil_defendant', 'legal_representative'];

/** The motions filed in this hearing, oldest first, as they stand now. */
export type MotionsState = { motions: HearingMotion[] };

export type MotionsCommand =
  | { type: 'file_motion'; motion: HearingMotion }
  | { type: 'take_up_motion'; motion: HearingMotion }
  | { type: 'state_position'; motionId: string; position: MotionPosition; text: string | null }
  | { type: 'rule_motion'; motionId: string; ruling: MotionRuling; reasons: string };

export type MotionsEvent =
  | { type: 'motion.filed'; payload: { motion: HearingMotion } }
  /** A motion filed outside the hall (from the case page), brought before the court by the presiding judge. */
  | { type: 'motion.taken_up'; payload: { motion: HearingMotion } }
  | {
      type: 'motion.position_stated';
      payload: { motionId: string; participantId: string; fullName: string; role: ParticipantRole; position: MotionPosition; text: string | null };
    }
  | { type: 'motion.ruled'; payload: { motionId: string; ruling: MotionRuling; reasons: string } };

export function isOpenMotion(motion: HearingMotion): boolean {
  return motion.status === 'filed' || motion.status === 'deferred';
}

/** The recusal still waiting for a final ruling, if any: nothing else proceeds until it is decided. */
export function pendingRecusal(state: HearingLiveState): HearingMotion | undefined {
  return state.motions.find((m) => m.kind === 'recusal' && isOpenMotion(m));
}

/** A recusal waiting for its ruling stops the hearing's procedural steps (stage, presentation, other rulings). */
export function requireNoRecusalPending(state: HearingLiveState): void {
  const recusal = pendingRecusal(state);
  if (recusal) throw new AppError('recusal_pending', `Recusal no. ${recusal.number} must be decided first`);
}

export const motions: FeatureRules<MotionsCommand, MotionsEvent> = {
  decide: {
    file_motion: async ({ motion }, ctx) => {
      const { state } = ctx;
      const filer = await ctx.participant(motion.filer.participantId);
      // A remote party files as themself, once admitted.
      const remote = ctx.remoteParticipantId ?? null;
      const self = remote ? filer?.id === remote : filer?.userId === ctx.actor.userId;
      if (!filer || !self || !PARTY_ROLES.includes(filer.role)) throw new AppError('not_a_party', 'Only a party of the case files motions');
      if (remote && state.remote[remote]?.status !== 'live') throw new AppError('not_admitted', 'Only a participant the court has admitted files a motion in the hearing');
      requireSitting(state);
      return [{ type: 'motion.filed', payload: { motion } }];
    },

    take_up_motion: ({ motion }, ctx) => {
      // The motions service found it in this hearing's case, filed outside any hearing.
      requireJudge(ctx);
      requireSitting(ctx.state);
      if (ctx.state.motions.some((m) => m.id === motion.id)) throw transition('The motion is already before the court');
      if (!isOpenMotion(motion)) throw new AppError('motion_already_ruled', `The motion was already ruled on (${motion.status})`);
      return [{ type: 'motion.taken_up', payload: { motion } }];
    },

    state_position: async (command, ctx) => {
      const motion = openMotion(ctx.state, command.motionId);
      const participant = ctx.actor.participantId ? await ctx.participant(ctx.actor.participantId) : undefined;
      if (!participant || participant.userId !== ctx.actor.userId || !PARTY_ROLES.includes(participant.role)) {
        throw new AppError('not_a_party', 'Only a party of the case states a position on a motion');
      }
      requireSitting(ctx.state);
      if (motion.filer.participantId === participant.id) throw new AppError('invalid_request', 'The filer does not state a position on their own motion');
      if (motion.positions.some((p) => p.participantId === participant.id)) throw new AppError('position_already_stated', 'This party has already stated its position');
      const { id: participantId, fullName, role } = participant;
      return [{ type: 'motion.position_stated', payload: { motionId: motion.id, participantId, fullName, role, position: command.position, text: command.text } }];
    },

    rule_motion: (command, ctx) => {
      requireJudge(ctx);
      const motion = openMotion(ctx.state, command.motionId);
      requireSitting(ctx.state);
      const recusal = pendingRecusal(ctx.state);
      if (recusal && recusal.id !== motion.id) throw new AppError('recusal_pending', `Recusal no. ${recusal.number} is decided first`);
      return [{ type: 'motion.ruled', payload: { motionId: motion.id, ruling: command.ruling, reasons: command.reasons } }];
    },
  },

  apply: {
    'motion.filed': (state, event) => ({ ...state, motions: [...state.motions, event.payload.motion] }),
    'motion.taken_up': (state, event) => ({ ...state, motions: [...state.motions, event.payload.motion] }),
    'motion.position_stated': (state, event) => {
      const { motionId, ...position } = event.payload;
      return updateMotion(state, motionId, (m) => ({ ...m, positions: [...m.positions, { ...position, at: event.at }] }));
    },
    'motion.ruled': (state, event) =>
      updateMotion(state, event.payload.motionId, (m) => ({ ...m, status: event.payload.ruling, ruling: { status: event.payload.ruling, reasons: event.payload.reasons, at: event.at } })),
  },

  // The parties' papers, not the screen's.
  display: { 'motion.filed': 'withheld', 'motion.taken_up': 'withheld', 'motion.position_stated': 'withheld', 'motion.ruled': 'withheld' },
  screen: () => ({ motions: [] }),
};

/** The motion, still to be decided; `not_found`, or `motion_already_ruled` after a final ruling. */
function openMotion(state: HearingLiveState, motionId: string): HearingMotion {
  const motion = state.motions.find((m) => m.id === motionId);
  if (!motion) throw new AppError('not_found', 'No such motion in this hearing');
  if (!isOpenMotion(motion)) throw new AppError('motion_already_ruled', `The motion was already ruled on (${motion.status})`);
  return motion;
}

function updateMotion(state: HearingLiveState, id: string, change: (m: HearingMotion) => HearingMotion): HearingLiveState {
  return { ...state, motions: state.motions.map((m) => (m.id === id ? change(m) : m)) };
}

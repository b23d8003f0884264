/**
 * Private consultations (docs/media.md, "Consultation rooms"): a defence lawyer with the defendant
 * they represent, or a victim's representative with the victim, talk in a media room of their own
 * that nobody else joins and nothing records. The hearing's log keeps only that a consultation was
 * asked for, opened and closed, between whom and when — never what was said.
 *
 * When: before the hearing is opened and on a break the lawyer opens one at once; while the court
 * sits the lawyer asks and the presiding judge grants (or refuses). Who: the lawyer (from the hall
 * workstation or as a remote participant) with their own client; representation comes from the
 * case (`representedBy`); a client whose representation the case does not record may consult
 * with any lawyer of that side. Each person is in at most one consultation at a time. A member
 * closes it ("Back to the hall") and so may the presiding judge; ending the hearing closes it too.
 */
import type { ParticipantRole } from '../../domain.ts';
import { AppError } from '../../errors.ts';
import { isPresidingJudge, requireJudge, transition, type CaseParticipant, type DecisionContext, type FeatureRules } from '../core.ts';
import type { HearingLiveState } from '../state.ts';
import { isEnded } from '../stages/stages.ts';

/** A lawyer's role → the role of the client they may consult with. */
export const CONSULTS_WITH: Partial<Record<ParticipantRole, ParticipantRole>> = { defender: 'defendant', victim_representative: 'victim' };

export type ConsultationMember = { participantId: string; fullName: string; role: ParticipantRole; userId: string | null };
/** `requested`: asked for while the court sits, waiting for the presiding judge; `open`: under way. */
export type Consultation = { id: string; members: ConsultationMember[]; status: 'requested' | 'open'; requestedAt: number; openedAt: number | null };
export type ConsultationCloseReason = 'returned' | 'closed_by_court' | 'refused' | 'hearing_ended';

export type ConsultationState = {
  /** Consultations asked for or under way, by id; a closed one leaves the state (the log keeps it). */
  consultations: Record<string, Consultation>;
};

export const NO_CONSULTATIONS: ConsultationState = { consultations: {} };

export type ConsultationCommand =
  | { type: 'open_consultation'; withParticipantId: string }
  | { type: 'grant_consultation'; consultationId: string }
  | { type: 'close_consultation'; consultationId: string; reason?: ConsultationCloseReason };

export type ConsultationEvent =
  | { type: 'consultation.requested'; payload: { id: string; members: ConsultationMember[] } }
  | { type: 'consultation.opened'; payload: { id: string; members: ConsultationMember[]; granted: boolean } }
  | { type: 'consultation.closed'; payload: { id: string; reason: ConsultationCloseReason } };

/** The consultation a participant is in (asked for or under way), if any. */
export function consultationOf(state: Pick<HearingLiveState, 'consultations'>, participantId: string): Consultation | undefined {
  return Object.values(state.consultations ?? {}).find((c) => c.members.some((m) => m.participantId === participantId));
}

/** Whether `lawyer` may consult with `client`: the right pair of roles, and the lawyer represents the client (or the case does not say who does). */
export function mayConsult(lawyer: CaseParticipant, client: CaseParticipant): boolean {
  if (CONSULTS_WITH[lawyer.role] !== client.role) return false;
  const representedBy = client.representedBy ?? [];
  if (representedBy.length === 0) return true;
  return representedBy.includes(lawyer.id) || (lawyer.sourceId != null && representedBy.includes(lawyer.sourceId));
}

/** The case participants `lawyer` may consult with (none for anyone who is not a defence lawyer or a victim's representative). */
export function consultableClients(lawyer: CaseParticipant, participants: readonly CaseParticipant[]): CaseParticipant[] {
  return participants.filter((p) => p.id !== lawyer.id && mayConsult(lawyer, p));
}

const memberOf = (p: CaseParticipant): ConsultationMember => ({ participantId: p.id, fullName: p.fullName, role: p.role, userId: p.userId });

/** The case participant the actor is, in the hall (a lawyer's seat) or remotely. */
function actorParticipantId(ctx: DecisionContext): string | null {
  return ctx.remoteParticipantId ?? ctx.actor.participantId ?? null;
}

function requireNotEnded(state: HearingLiveState): void {
  if (isEnded(state.status) || state.status === 'cancelled') throw transition('The hearing has ended');
}

function find(state: HearingLiveState, id: string): Consultation {
  const consultation = state.consultations[id];
  if (!consultation) throw new AppError('not_found', 'No such consultation');
  return consultation;
}

export const consultation: FeatureRules<ConsultationCommand, ConsultationEvent> = {
  decide: {
    open_consultation: async ({ withParticipantId }, ctx) => {
      requireNotEnded(ctx.state);
      const selfId = actorParticipantId(ctx);
      const lawyer = selfId ? await ctx.participant(selfId) : undefined;
      if (!lawyer || !CONSULTS_WITH[lawyer.role]) throw new AppError('forbidden_action', 'Only a defence lawyer or a victim’s representative opens a consultation');
      const client = await ctx.participant(withParticipantId);
      if (!client) throw new AppError('not_found', 'No such participant in this case');
      if (!mayConsult(lawyer, client)) throw new AppError('forbidden_action', 'A consultation is only with one’s own client');
      if (consultationOf(ctx.state, lawyer.id) || consultationOf(ctx.state, client.id)) throw transition('One of them is already in a consultation');
      const remoteStatus = ctx.state.remote[client.id]?.status;
      if (remoteStatus && remoteStatus !== 'lobby' && remoteStatus !== 'live') throw new AppError('not_admitted', 'The participant is not connected');
      const id = ctx.newId();
      const members = [memberOf(lawyer), memberOf(client)];
      // While the court sits, only the presiding judge lets them step out.
      if (ctx.state.status === 'in_progress') return [{ type: 'consultation.requested', payload: { id, members } }];
      return [{ type: 'consultation.opened', payload: { id, members, granted: false } }];
    },

    grant_consultation: ({ consultationId }, ctx) => {
      requireNotEnded(ctx.state);
      requireJudge(ctx);
      const c = find(ctx.state, consultationId);
      if (c.status !== 'requested') return [];
      return [{ type: 'consultation.opened', payload: { id: c.id, members: c.members, granted: true } }];
    },

    close_consultation: ({ consultationId, reason }, ctx) => {
      const c = ctx.state.consultations[consultationId];
      if (!c) return [];
      if (ctx.system) return [{ type: 'consultation.closed', payload: { id: c.id, reason: reason ?? 'hearing_ended' } }];
      const selfId = actorParticipantId(ctx);
      if (selfId && c.members.some((m) => m.participantId === selfId)) return [{ type: 'consultation.closed', payload: { id: c.id, reason: 'returned' } }];
      if (isPresidingJudge(ctx) && !ctx.remoteParticipantId) {
        return [{ type: 'consultation.closed', payload: { id: c.id, reason: c.status === 'requested' ? 'refused' : 'closed_by_court' } }];
      }
      throw new AppError('forbidden_action', 'Only its members or the presiding judge close a consultation');
    },
  },

  apply: {
    'consultation.requested': (state, event) => ({
      ...state,
      consultations: { ...state.consultations, [event.payload.id]: { id: event.payload.id, members: event.payload.members, status: 'requested', requestedAt: event.at, openedAt: null } },
    }),
    'consultation.opened': (state, event) => {
      const earlier = state.consultations[event.payload.id];
      return {
        ...state,
        consultations: {
          ...state.consultations,
          [event.payload.id]: { id: event.payload.id, members: event.payload.members, status: 'open', requestedAt: earlier?.requestedAt ?? event.at, openedAt: event.at },
        },
      };
    },
    'consultation.closed': (state, event) => {
      const rest = { ...state.consultations };
      delete rest[event.payload.id];
      return { ...state, consultations: rest };
    },
  },

  // The hall's wall screen shows nothing of who consults.
  display: {
    'consultation.requested': 'withheld',
    'consultation.opened': 'withheld',
    'consultation.closed': 'withheld',
  },
  screen: () => ({ consultations: {} }),
};

/**
 * Who is there, and who they are: the secretary records each participant's attendance; the court
 * establishes each participant's identity (by an identity document) and explains their rights in
 * the preparatory part; the secretary marks events on the running clock. Each becomes an entry of
 * the protocol.
 */
import type { ParticipantRole } from '../../domain.ts';
import { AppError } from '../../errors.ts';
import { requireCourtStaff, requireSecretary, requireSitting, transition, type DecisionContext, type FeatureRules } from '../core.ts';
import type { HearingLiveState } from '../state.ts';
import { isEnded } from '../stages/stages.ts';

export const ATTENDANCE = ['present', 'absent', 'remote'] as const;
/** How a case participant takes part in this hearing, as the secretary records it. */
export type Attendance = (typeof ATTENDANCE)[number];

/** Whether the court has established a participant's identity and explained their rights; each happens once per hearing. */
export type Identification = { identified: boolean; rightsExplained: boolean };
export const NOT_IDENTIFIED: Identification = { identified: false, rightsExplained: false };

export type AttendanceState = {
  /** Case participant id → attendance. A participant not in the map has not been checked yet. */
  attendance: Record<string, Attendance>;
  /** Participant id → identity established and rights explained. A participant not in the map has neither. */
  identification: Record<string, Identification>;
};

export const NO_ATTENDANCE: AttendanceState = { attendance: {}, identification: {} };

export type AttendanceCommand =
  | { type: 'record_attendance'; participantId: string; attendance: Attendance }
  | { type: 'add_mark'; text: string }
  | { type: 'establish_identity'; participantId: string; document: string | null }
  | { type: 'explain_rights'; participantId: string };

export type AttendanceEvent =
  | { type: 'attendance.recorded'; payload: { participantId: string; attendance: Attendance; previous: Attendance | null } }
  /** `clock` is the time since the hearing opened, in milliseconds: the running clock of the secretary. */
  | { type: 'mark.added'; payload: { text: string; clock: number } }
  /** `document`: how identity was established, as typed ("удостоверение личности № …"), or null. */
  | { type: 'identity.established'; payload: { participantId: string; fullName: string; role: ParticipantRole; document: string | null } }
  | { type: 'rights.explained'; payload: { participantId: string; fullName: string; role: ParticipantRole } };

export function identificationOf(state: HearingLiveState, participantId: string): Identification {
  return state.identification[participantId] ?? NOT_IDENTIFIED;
}

/**
 * The presiding judge or the secretary records that the court established a participant's identity
 * or explained their rights, while the hearing sits, for a participant who is there: present in the
 * hall, or taking part by video and admitted. Each is recorded once per hearing; a second time is
 * `invalid_transition` (a mistaken entry is corrected by a secretary's note, as the law's protocol is).
 */
async function participantThere(ctx: DecisionContext, participantId: string) {
  const { state } = ctx;
  requireCourtStaff(ctx, 'records identities and rights');
  requireSitting(state);
  const participant = await ctx.participant(participantId);
  if (!participant) throw new AppError('not_found', 'No such participant in this case');
  const attendance = state.attendance[participant.id];
  const admitted = state.remote[participant.id]?.status === 'live';
  if (attendance !== 'present' && attendance !== 'remote' && !admitted) {
    throw new AppError('participant_not_present', `${participant.fullName} is not present: record their attendance first`);
  }
  return participant;
}

export const attendance: FeatureRules<AttendanceCommand, AttendanceEvent> = {
  decide: {
    record_attendance: async (command, ctx) => {
      requireSecretary(ctx);
      if (isEnded(ctx.state.status)) throw transition('The hearing has ended');
      if (!(await ctx.participant(command.participantId))) throw new AppError('not_found', 'No such participant in this case');
      const previous = ctx.state.attendance[command.participantId] ?? null;
      if (previous === command.attendance) return [];
      return [{ type: 'attendance.recorded', payload: { participantId: command.participantId, attendance: command.attendance, previous } }];
    },

    add_mark: (command, ctx) => {
      requireSecretary(ctx);
      requireSitting(ctx.state);
      return [{ type: 'mark.added', payload: { text: command.text, clock: ctx.now - ctx.state.openedAt! } }];
    },

    establish_identity: async (command, ctx) => {
      const { id: participantId, fullName, role } = await participantThere(ctx, command.participantId);
      if (identificationOf(ctx.state, participantId).identified) throw transition("This participant's identity has already been established");
      return [{ type: 'identity.established', payload: { participantId, fullName, role, document: command.document } }];
    },

    explain_rights: async (command, ctx) => {
      const { id: participantId, fullName, role } = await participantThere(ctx, command.participantId);
      if (identificationOf(ctx.state, participantId).rightsExplained) throw transition("This participant's rights have already been explained");
      return [{ type: 'rights.explained', payload: { participantId, fullName, role } }];
    },
  },

  apply: {
    'attendance.recorded': (state, event) => ({ ...state, attendance: { ...state.attendance, [event.payload.participantId]: event.payload.attendance } }),
    'mark.added': (state) => state,
    'identity.established': (state, event) => identify(state, event.payload.participantId, { identified: true }),
    'rights.explained': (state, event) => identify(state, event.payload.participantId, { rightsExplained: true }),
  },

  // The hall's record, not the screen's.
  display: {
    'attendance.recorded': 'withheld',
    'mark.added': 'withheld',
    'identity.established': 'withheld',
    'rights.explained': 'withheld',
  },
  screen: () => NO_ATTENDANCE,
};

function identify(state: HearingLiveState, participantId: string, change: Partial<Identification>): HearingLiveState {
  return { ...state, identification: { ...state.identification, [participantId]: { ...identificationOf(state, participantId), ...change } } };
}

/**
 * Remote participation (server/src/remote/, docs/media.md): the secretary or the presiding judge
 * invites a participant; the participant arrives in the lobby; the presiding judge or the secretary
 * admits or refuses them; the presiding judge sends them back to the lobby (a witness between
 * questionings) and admits them again; the participant leaves. The presiding judge and the
 * secretary mute anyone. The server itself records a participant whose connection was lost (or
 * who was connected when it restarted) as disconnected; they may then be invited again. Being
 * admitted is appearing by video: the admission records the attendance `remote` unless the
 * secretary has recorded one already.
 */
import type { ParticipantRole } from '../../domain.ts';
import { AppError } from '../../errors.ts';
import { isPresidingJudge, requireCourtStaff, type DecisionContext, type FeatureRules } from '../core.ts';
import type { HearingEventBody, HearingLiveState } from '../state.ts';
import { isEnded } from '../stages/stages.ts';
import type { SelfTestChecks, SelfTestResult, SelfTestVerdict } from '../../socket/self-test.ts';

/**
 * invited (link sent) → lobby (waiting to be admitted) → live (in the hearing); refused; left (said
 * so); disconnected (their last connection went and did not come back within the grace period, or
 * the server restarted): the court sees them gone and may invite them again.
 */
export const REMOTE_STATUSES = ['invited', 'lobby', 'live', 'refused', 'left', 'disconnected'] as const;
export type RemoteStatus = (typeof REMOTE_STATUSES)[number];
/** Why the server recorded a remote participant as gone: their connection was lost, or the server restarted. */
export type RemoteDisconnectReason = 'connection_lost' | 'server_restarted';
export type RemoteAttendee = {
  participantId: string;
  fullName: string;
  role: ParticipantRole;
  status: RemoteStatus;
  /** The last self-test of their phone (shared/socket/self-test.ts), kept across invitations. */
  selfTest?: SelfTestResult;
};
/** Whom the court mutes: a hall user or a remote participant. */
export type MuteTarget = { userId: string | null; participantId: string | null; fullName: string };

/** The key the court's muting is kept under: `user:<id>` or `participant:<id>`. */
export const muteKey = (t: { userId: string | null; participantId: string | null }): string => (t.participantId ? `participant:${t.participantId}` : `user:${t.userId}`);

export type RemoteState = {
  /** Participant id → the remote participant's standing. */
  remote: Record<string, RemoteAttendee>;
  /** Who the court has muted (`muteKey`). */
  mutedByCourt: string[];
};

export const NO_REMOTE: RemoteState = { remote: {}, mutedByCourt: [] };

export type RemoteCommand =
  | { type: 'invite_remote'; participantId: string; expiresAt: number; channels: string[] }
  | { type: 'remote_arrive'; participantId: string }
  | { type: 'remote_leave'; participantId: string }
  | { type: 'admit_remote'; participantId: string }
  | { type: 'refuse_remote'; participantId: string }
  | { type: 'send_remote_to_lobby'; participantId: string }
  | { type: 'mute'; target: MuteTarget; muted: boolean }
  /** The server itself (HearingsService.executeAsSystem): the participant's connections are gone. */
  | { type: 'remote_disconnect'; participantId: string; reason: RemoteDisconnectReason }
  /** The participant's page: its self-test ended (the network part as the server measured it). */
  | { type: 'remote_self_test'; participantId: string; verdict: SelfTestVerdict; checks: SelfTestChecks };

export type RemoteEvent =
  | { type: 'remote.invited'; payload: { participantId: string; fullName: string; role: ParticipantRole; expiresAt: number; channels: string[] } }
  | { type: 'remote.arrived'; payload: { participantId: string } }
  | { type: 'remote.admitted'; payload: { participantId: string } }
  | { type: 'remote.refused'; payload: { participantId: string } }
  | { type: 'remote.sent_to_lobby'; payload: { participantId: string } }
  | { type: 'remote.left'; payload: { participantId: string } }
  /** Observed by the server (actor `system`): the participant's pages all went and none came back in time. */
  | { type: 'remote.disconnected'; payload: { participantId: string; reason: RemoteDisconnectReason } }
  /** What the phone's self-test found: devices and network, no personal media. */
  | { type: 'remote.self_tested'; payload: { participantId: string; verdict: SelfTestVerdict; checks: SelfTestChecks } }
  | { type: 'media.muted'; payload: { target: MuteTarget; muted: boolean } };

/** Only these stand in the way of a new invitation: someone waiting in the lobby or in the hearing now. */
const PRESENT: readonly (RemoteStatus | null)[] = ['lobby', 'live'];

const statusOf = (state: HearingLiveState, participantId: string): RemoteStatus | null => state.remote[participantId]?.status ?? null;

export const remote: FeatureRules<RemoteCommand, RemoteEvent> = {
  decide: {
    invite_remote: async (command, ctx) => {
      requireNotEnded(ctx);
      requireCourtStaff(ctx);
      const participant = await ctx.participant(command.participantId);
      if (!participant) throw new AppError('not_found', 'No such participant in this case');
      if (PRESENT.includes(statusOf(ctx.state, participant.id))) throw new AppError('invalid_transition', 'The participant is already in the lobby or the hearing');
      const { id: participantId, fullName, role } = participant;
      return [{ type: 'remote.invited', payload: { participantId, fullName, role, expiresAt: command.expiresAt, channels: command.channels } }];
    },

    remote_arrive: ({ participantId }, ctx) => {
      requireNotEnded(ctx);
      requireSelf(ctx, participantId);
      const status = statusOf(ctx.state, participantId);
      if (status === 'refused') throw new AppError('forbidden', 'The court has refused this participant');
      if (status === 'lobby' || status === 'live') return [];
      return [{ type: 'remote.arrived', payload: { participantId } }];
    },

    remote_leave: ({ participantId }, ctx) => {
      requireNotEnded(ctx);
      requireSelf(ctx, participantId);
      if (!PRESENT.includes(statusOf(ctx.state, participantId))) return [];
      return [{ type: 'remote.left', payload: { participantId } }];
    },

    admit_remote: ({ participantId }, ctx) => {
      requireNotEnded(ctx);
      requireCourtStaff(ctx);
      requireRemoteStatus(ctx.state, participantId, 'lobby');
      const admitted: HearingEventBody = { type: 'remote.admitted', payload: { participantId } };
      // Admitted by the court over video, the participant has appeared; what the secretary recorded stands.
      if (ctx.state.attendance[participantId] !== undefined) return [admitted];
      return [admitted, { type: 'attendance.recorded', payload: { participantId, attendance: 'remote', previous: null } }];
    },

    refuse_remote: ({ participantId }, ctx) => {
      requireNotEnded(ctx);
      requireCourtStaff(ctx);
      requireRemoteStatus(ctx.state, participantId, 'lobby');
      return [{ type: 'remote.refused', payload: { participantId } }];
    },

    send_remote_to_lobby: ({ participantId }, ctx) => {
      requireNotEnded(ctx);
      if (!isPresidingJudge(ctx)) throw new AppError('forbidden_action', 'Only the presiding judge sends a participant back to the lobby');
      requireRemoteStatus(ctx.state, participantId, 'live');
      return [{ type: 'remote.sent_to_lobby', payload: { participantId } }];
    },

    mute: (command, ctx) => {
      requireNotEnded(ctx);
      requireCourtStaff(ctx);
      const muted = ctx.state.mutedByCourt.includes(muteKey(command.target));
      if (muted === command.muted) return [];
      return [{ type: 'media.muted', payload: { target: command.target, muted: command.muted } }];
    },

    remote_disconnect: (command, ctx) => {
      if (!ctx.system) throw new AppError('forbidden_action', 'Only the server records a lost connection');
      // After the end nobody stands anywhere any more; refused and left people are already gone.
      if (hasEnded(ctx) || !PRESENT.includes(statusOf(ctx.state, command.participantId))) return [];
      return [{ type: 'remote.disconnected', payload: { participantId: command.participantId, reason: command.reason } }];
    },

    remote_self_test: ({ participantId, verdict, checks }, ctx) => {
      requireNotEnded(ctx);
      requireSelf(ctx, participantId);
      if (statusOf(ctx.state, participantId) === 'refused') throw new AppError('forbidden', 'The court has refused this participant');
      return [{ type: 'remote.self_tested', payload: { participantId, verdict, checks } }];
    },
  },

  apply: {
    'remote.invited': (state, event) => {
      const { participantId, fullName, role } = event.payload;
      // A self-test made on an earlier link still tells the court about the person's phone.
      const selfTest = state.remote[participantId]?.selfTest;
      return { ...state, remote: { ...state.remote, [participantId]: { participantId, fullName, role, status: 'invited', ...(selfTest ? { selfTest } : {}) } } };
    },
    'remote.arrived': (state, event) => withRemoteStatus(state, event.payload.participantId, 'lobby'),
    'remote.admitted': (state, event) => withRemoteStatus(state, event.payload.participantId, 'live'),
    'remote.refused': (state, event) => withRemoteStatus(state, event.payload.participantId, 'refused'),
    'remote.sent_to_lobby': (state, event) => withRemoteStatus(state, event.payload.participantId, 'lobby'),
    'remote.left': (state, event) => withRemoteStatus(state, event.payload.participantId, 'left'),
    'remote.disconnected': (state, event) => withRemoteStatus(state, event.payload.participantId, 'disconnected'),
    'remote.self_tested': (state, event) => {
      const { participantId, verdict, checks } = event.payload;
      const attendee = state.remote[participantId];
      if (!attendee) return state;
      return { ...state, remote: { ...state.remote, [participantId]: { ...attendee, selfTest: { verdict, checks, at: event.at } } } };
    },
    'media.muted': (state, event) => {
      const key = muteKey(event.payload.target);
      const others = state.mutedByCourt.filter((k) => k !== key);
      return { ...state, mutedByCourt: event.payload.muted ? [...others, key] : others };
    },
  },

  // The screen shows the remote participants' tiles by name; how the invitation went out is the secretary's.
  display: {
    'remote.invited': (event) => ({ ...event, payload: { ...event.payload, channels: [], expiresAt: 0 } }),
    'remote.arrived': 'shown',
    'remote.admitted': 'shown',
    'remote.refused': 'shown',
    'remote.sent_to_lobby': 'shown',
    'remote.left': 'shown',
    'remote.disconnected': 'shown',
    // The court's business, not the hall's screen.
    'remote.self_tested': 'withheld',
    'media.muted': 'shown',
  },
};

function hasEnded(ctx: DecisionContext): boolean {
  return isEnded(ctx.state.status) || ctx.state.status === 'cancelled';
}

function requireNotEnded(ctx: DecisionContext): void {
  if (hasEnded(ctx)) throw new AppError('invalid_transition', 'The hearing has ended');
}

function requireSelf(ctx: DecisionContext, participantId: string): void {
  if (ctx.remoteParticipantId !== participantId) throw new AppError('forbidden_action', 'Only the participant themself does this');
}

function requireRemoteStatus(state: HearingLiveState, participantId: string, wanted: RemoteStatus): void {
  const status = statusOf(state, participantId);
  if (status !== wanted) throw new AppError('invalid_transition', `The participant is ${status ?? 'not invited'}, not ${wanted}`);
}

function withRemoteStatus(state: HearingLiveState, participantId: string, status: RemoteStatus): HearingLiveState {
  const attendee = state.remote[participantId];
  if (!attendee) return state;
  return { ...state, remote: { ...state.remote, [participantId]: { ...attendee, status } } };
}

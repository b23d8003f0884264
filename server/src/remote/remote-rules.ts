/**
 * The rules of remote participation, as hearing commands (decided like every other step of the
 * hearing, hearing-rules.ts): the secretary or the presiding judge invites a participant; the
 * participant arrives in the lobby; the presiding judge or the secretary admits or refuses them;
 * the presiding judge sends them back to the lobby (a witness between questionings) and admits
 * them again; the participant leaves. The presiding judge and the secretary mute anyone. The server
 * itself records a participant whose connection was lost (or who was connected when it restarted)
 * as disconnected; they may then be invited again. Being admitted is appearing by video: the
 * admission records the attendance `remote` unless the secretary has recorded one already.
 * Pure: the facts come through DecisionContext.
 */
import { AppError } from '../http/errors.ts';
import { isEnded, type HearingEventBody, type MuteTarget, type RemoteDisconnectReason, type RemoteStatus } from '../hearings/hearing-state.ts';
import type { DecisionContext } from '../hearings/hearing-rules.ts';

export type RemoteCommand =
  | { type: 'invite_remote'; participantId: string; expiresAt: number; channels: string[] }
  | { type: 'remote_arrive'; participantId: string }
  | { type: 'remote_leave'; participantId: string }
  | { type: 'admit_remote'; participantId: string }
  | { type: 'refuse_remote'; participantId: string }
  | { type: 'send_remote_to_lobby'; participantId: string }
  | { type: 'mute'; target: MuteTarget; muted: boolean }
  /** The server itself (HearingsService.executeAsSystem): the participant's connections are gone. */
  | { type: 'remote_disconnect'; participantId: string; reason: RemoteDisconnectReason };

/** Only these stand in the way of a new invitation: someone waiting in the lobby or in the hearing now. */
const PRESENT: readonly (RemoteStatus | null)[] = ['lobby', 'live'];

export function decideRemote(command: RemoteCommand, ctx: DecisionContext): HearingEventBody[] {
  const { state } = ctx;
  const statusOf = (participantId: string): RemoteStatus | null => state.remote?.[participantId]?.status ?? null;
  if (command.type === 'remote_disconnect') {
    if (!ctx.system) throw new AppError('forbidden_action', 'Only the server records a lost connection');
    // After the end nobody stands anywhere any more; refused and left people are already gone.
    if (isEnded(state.status) || state.status === 'cancelled' || !PRESENT.includes(statusOf(command.participantId))) return [];
    return [{ type: 'remote.disconnected', payload: { participantId: command.participantId, reason: command.reason } }];
  }
  if (isEnded(state.status) || state.status === 'cancelled') throw new AppError('invalid_transition', 'The hearing has ended');

  switch (command.type) {
    case 'invite_remote': {
      requireCourtStaff(ctx);
      const participant = ctx.participant(command.participantId);
      if (!participant) throw new AppError('not_found', 'No such participant in this case');
      if (PRESENT.includes(statusOf(participant.id))) throw new AppError('invalid_transition', 'The participant is already in the lobby or the hearing');
      const { id: participantId, fullName, role } = participant;
      return [{ type: 'remote.invited', payload: { participantId, fullName, role, expiresAt: command.expiresAt, channels: command.channels } }];
    }
    case 'remote_arrive':
      requireSelf(ctx, command.participantId);
      if (statusOf(command.participantId) === 'refused') throw new AppError('forbidden', 'The court has refused this participant');
      if (statusOf(command.participantId) === 'lobby' || statusOf(command.participantId) === 'live') return [];
      return [{ type: 'remote.arrived', payload: { participantId: command.participantId } }];

    case 'remote_leave':
      requireSelf(ctx, command.participantId);
      if (statusOf(command.participantId) !== 'lobby' && statusOf(command.participantId) !== 'live') return [];
      return [{ type: 'remote.left', payload: { participantId: command.participantId } }];

    case 'admit_remote': {
      requireCourtStaff(ctx);
      const { participantId } = command;
      requireStatus(statusOf(participantId), 'lobby');
      const admitted: HearingEventBody = { type: 'remote.admitted', payload: { participantId } };
      // Admitted by the court over video, the participant has appeared; what the secretary recorded stands.
      if (state.attendance[participantId] !== undefined) return [admitted];
      return [admitted, { type: 'attendance.recorded', payload: { participantId, attendance: 'remote', previous: null } }];
    }

    case 'refuse_remote':
      requireCourtStaff(ctx);
      requireStatus(statusOf(command.participantId), 'lobby');
      return [{ type: 'remote.refused', payload: { participantId: command.participantId } }];

    case 'send_remote_to_lobby':
      if (ctx.actor.userId !== ctx.presidingJudgeId) throw new AppError('forbidden_action', 'Only the presiding judge sends a participant back to the lobby');
      requireStatus(statusOf(command.participantId), 'live');
      return [{ type: 'remote.sent_to_lobby', payload: { participantId: command.participantId } }];

    case 'mute': {
      requireCourtStaff(ctx);
      const key = command.target.participantId ? `participant:${command.target.participantId}` : `user:${command.target.userId}`;
      const muted = (state.mutedByCourt ?? []).includes(key);
      if (muted === command.muted) return [];
      return [{ type: 'media.muted', payload: { target: command.target, muted: command.muted } }];
    }
  }
}

/** The presiding judge or the secretary of the hearing. */
function requireCourtStaff(ctx: DecisionContext): void {
  const { userId } = ctx.actor;
  if (ctx.remoteParticipantId || (userId !== ctx.presidingJudgeId && userId !== ctx.secretaryId)) {
    throw new AppError('forbidden_action', 'Only the presiding judge or the secretary does this');
  }
}

function requireSelf(ctx: DecisionContext, participantId: string): void {
  if (ctx.remoteParticipantId !== participantId) throw new AppError('forbidden_action', 'Only the participant themself does this');
}

function requireStatus(status: RemoteStatus | null, wanted: RemoteStatus): void {
  if (status !== wanted) throw new AppError('invalid_transition', `The participant is ${status ?? 'not invited'}, not ${wanted}`);
}

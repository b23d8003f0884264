/**
 * The court's commands about remote participants, over the hall's socket: admit, refuse, send back
 * to the lobby, mute. Inviting is an HTTP request; the participant's own arrival and leaving come
 * over the remote namespace (server/src/realtime/remote.socket.ts).
 */
import { Type } from 'typebox';
import { command, Id, strict, type ToCommand } from '../payload.ts';
import type { RemoteCommand } from './remote.ts';

export const remotePayloads = {
  'remote:admit': command({ participantId: Id }),
  'remote:refuse': command({ participantId: Id }),
  'remote:send-to-lobby': command({ participantId: Id }),
  /** Mutes (or lets speak again) a hall user or a remote participant: exactly one of the two ids. */
  'media:mute': command({
    target: Type.Union([Type.Object({ userId: Id }, strict), Type.Object({ participantId: Id }, strict)]),
    fullName: Type.String({ minLength: 1, maxLength: 200 }),
    muted: Type.Boolean(),
  }),
};

export const remoteToCommand: ToCommand<typeof remotePayloads, RemoteCommand> = {
  'remote:admit': (p) => ({ type: 'admit_remote', participantId: p.participantId }),
  'remote:refuse': (p) => ({ type: 'refuse_remote', participantId: p.participantId }),
  'remote:send-to-lobby': (p) => ({ type: 'send_remote_to_lobby', participantId: p.participantId }),
  'media:mute': (p) => ({
    type: 'mute',
    target: 'userId' in p.target ? { userId: p.target.userId, participantId: null, fullName: p.fullName } : { userId: null, participantId: p.target.participantId, fullName: p.fullName },
    muted: p.muted,
  }),
};

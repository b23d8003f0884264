/**
 * The /remote namespace: remote participants' pages. A connection is accepted only with a live
 * participant session (the `ezal_remote` cookie from POST /api/join) and is bound to that hearing
 * and participant: it can say it is in the lobby, leave, and use the media commands under its own
 * identity — never another's, since who it is comes from the session, not from what it sends.
 * Its connections and disconnections tell the remote service who is still there.
 */
import type { Namespace, Socket } from 'socket.io';
import type { RemoteService, RemoteSession, RemoteStanding } from '../remote/remote.service.ts';
import { REMOTE_COOKIE } from '../remote/remote.routes.ts';
import { AppError } from '../http/errors.ts';
import { registerMediaHandlers, type MediaDeps } from './media.socket.ts';
import { answer, type Log } from './socket-types.ts';
import type { GuardConnection } from './command-guard.ts';

export type RemoteSocketData = { session: RemoteSession; token: string };
type RemoteSocket = Socket<Record<string, never>, Record<string, never>, Record<string, never>, RemoteSocketData>;

export const participantRoom = (hearingId: string, participantId: string) => `remote:${hearingId}:${participantId}`;

type Deps = {
  remote: RemoteService;
  media: MediaDeps | null;
  parseCookie: (header: string) => Record<string, string | undefined>;
  log: Log;
  /** Rate limits and refusal bursts, as for a workstation (command-guard.ts). */
  guard: GuardConnection;
};

export function setUpRemoteNamespace(nsp: Namespace, deps: Deps): { changed(hearingId: string, participantId: string, disconnect: boolean): void } {
  const { remote, log } = deps;

  nsp.use((socket, next) => {
    const token = deps.parseCookie(socket.handshake.headers.cookie ?? '')[REMOTE_COOKIE];
    const session = remote.session(token);
    if (!session || !token) return next(new Error('unauthenticated'));
    (socket as RemoteSocket).data = { session, token };
    next();
  });

  nsp.on('connection', (raw) => {
    const socket = raw as RemoteSocket;
    const { session } = socket.data;
    const ip = socket.handshake.address;
    deps.guard(socket as never, { userId: null, actor: 'remote', ip, details: { participantId: session.participantId } });
    void socket.join(participantRoom(session.hearingId, session.participantId));
    // Presence: the participant's last page going starts the grace period (remote-presence.ts).
    remote.connected(session);
    socket.on('disconnect', () => remote.disconnected(session));
    const on = socket.on.bind(socket) as (event: string, handler: (payload: unknown, ack: unknown) => void) => void;
    /** The session again, each time: the court may have refused the participant meanwhile. */
    const live = (): RemoteSession => {
      const current = remote.session(socket.data.token);
      if (!current) throw new AppError('unauthenticated', 'The participant session has ended');
      return current;
    };

    on('remote:hello', (_payload, ack) => answer(log, ack, () => remote.standing(live())));
    on('remote:arrive', (_payload, ack) => answer(log, ack, () => remote.arrive(live(), ip)));
    on('remote:leave', (_payload, ack) =>
      answer(log, ack, () => {
        remote.leave(live(), ip);
        return { left: true };
      }),
    );

    if (!deps.media) {
      on('media:join', (_payload, ack) => answer(log, ack, () => unavailable()));
      return;
    }
    registerMediaHandlers(socket as never, {
      ...deps.media,
      log,
      access: (hearingId) => {
        const current = live();
        if (hearingId !== current.hearingId) throw new AppError('forbidden', 'This session is for another hearing');
        const status = remote.standing(current).status;
        if (status !== 'lobby' && status !== 'live') throw new AppError('not_admitted', 'Wait in the lobby until the court admits you');
        return {
          identity: { kind: 'remote', userId: null, participantId: current.participantId, role: 'remote_participant', fullName: current.fullName },
          standing: status,
          mayPublish: true,
        };
      },
    });
  });

  return {
    changed(hearingId, participantId, disconnect) {
      const room = nsp.to(participantRoom(hearingId, participantId));
      // The standing as the participant's own page reads it; one session is enough to compute it.
      const sockets = nsp.adapter.rooms.get(participantRoom(hearingId, participantId));
      const any = sockets && [...sockets].map((id) => nsp.sockets.get(id) as RemoteSocket | undefined).find(Boolean);
      if (any) room.emit('remote:standing', remote.standing(any.data.session) satisfies RemoteStanding);
      if (disconnect) nsp.in(participantRoom(hearingId, participantId)).disconnectSockets(true);
    },
  };
}

function unavailable(): never {
  throw new AppError('unavailable', 'Audio and video are off on this server (MEDIA_WORKERS=0)');
}

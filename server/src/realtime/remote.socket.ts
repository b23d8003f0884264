/**
 * The /remote namespace: remote participants' pages. A connection is accepted only with a live
 * participant session (the `ezal_remote` cookie from POST /api/join) and is bound to that hearing
 * and participant: it can say it is in the lobby, leave, and use the media commands under its own
 * identity — never another's, since who it is comes from the session, not from what it sends.
 * Its connections and disconnections tell the remote service who is still there.
 */
import type { Namespace, Socket } from 'socket.io';
import type { RemoteService, RemoteSession } from '../remote/remote.service.ts';
import type { RemoteClientEvents, RemoteServerEvents, RemoteStanding } from '../shared/socket/remote.ts';
import { REMOTE_COOKIE } from '../remote/remote.routes.ts';
import { AppError } from '../shared/errors.ts';
import { registerMediaHandlers, type MediaDeps } from './media.socket.ts';
import { answer, type Log, type RealtimeServer } from './socket-types.ts';
import type { GuardConnection } from './command-guard.ts';
import { registerSelfTestHandlers, type SelfTestDeps } from './self-test.socket.ts';
import { isEnded } from '../shared/hearing/stages/stages.ts';

export type RemoteSocketData = { session: RemoteSession; token: string };
type RemoteSocket = Socket<RemoteClientEvents, RemoteServerEvents, Record<string, never>, RemoteSocketData>;
type RemoteNamespace = Namespace<RemoteClientEvents, RemoteServerEvents, Record<string, never>, RemoteSocketData>;

export const participantRoom = (hearingId: string, participantId: string) => `remote:${hearingId}:${participantId}`;

type Deps = {
  remote: RemoteService;
  media: MediaDeps | null;
  parseCookie: (header: string) => Record<string, string | undefined>;
  log: Log;
  /** Rate limits and refusal bursts, as for a workstation (command-guard.ts). */
  guard: GuardConnection;
  /** The phone's self-test probe (self-test.socket.ts); null without media workers. */
  selfTest?: SelfTestDeps | null;
};

/** socket.io types every namespace with the main namespace's events; /remote has its own contract (shared/socket/remote.ts). */
export function remoteNamespaceOf(io: RealtimeServer): RemoteNamespace {
  return io.of('/remote') as unknown as RemoteNamespace;
}

/**
 * Tells a participant's pages their standing changed (admitted, refused, moved to the lobby), and
 * with `disconnect` closes them. Needs only the namespace, so the media signalling that calls it can
 * be built before the namespace's handlers, which use that signalling (socket.ts).
 */
export function remoteStandingNotifier(nsp: RemoteNamespace, remote: RemoteService): { changed(hearingId: string, participantId: string, disconnect: boolean): void } {
  return {
    changed(hearingId, participantId, disconnect) {
      const room = nsp.to(participantRoom(hearingId, participantId));
      // The standing as the participant's own page reads it; one session is enough to compute it.
      const sockets = nsp.adapter.rooms.get(participantRoom(hearingId, participantId));
      const any = sockets && [...sockets].map((id) => nsp.sockets.get(id) as RemoteSocket | undefined).find(Boolean);
      if (!any) {
        if (disconnect) nsp.in(participantRoom(hearingId, participantId)).disconnectSockets(true);
        return;
      }
      // Told first, then let go: the page learns why its connection ends.
      void remote
        .standing(any.data.session)
        .then((standing) => void room.emit('remote:standing', standing satisfies RemoteStanding))
        .catch(() => undefined)
        .finally(() => {
          if (disconnect) nsp.in(participantRoom(hearingId, participantId)).disconnectSockets(true);
        });
    },
  };
}

export function setUpRemoteNamespace(nsp: RemoteNamespace, deps: Deps): void {
  const { remote, log } = deps;

  nsp.use((socket, next) => {
    const token = deps.parseCookie(socket.handshake.headers.cookie ?? '')[REMOTE_COOKIE];
    remote.session(token).then(
      (session) => {
        if (!session || !token) return next(new Error('unauthenticated'));
        socket.data = { session, token };
        next();
      },
      (error: unknown) => {
        log.error({ err: error }, 'a participant session could not be read');
        next(new Error('unavailable'));
      },
    );
  });

  nsp.on('connection', (socket) => {
    const { session } = socket.data;
    const ip = socket.handshake.address;
    deps.guard(socket, { userId: null, actor: 'remote', ip, details: { participantId: session.participantId } });
    void socket.join(participantRoom(session.hearingId, session.participantId));
    // Presence: the participant's last page going starts the grace period (remote-presence.ts).
    remote.connected(session);
    socket.on('disconnect', () => remote.disconnected(session));
    /** The session again, each time: the court may have refused the participant meanwhile. */
    const live = async (): Promise<RemoteSession> => {
      const current = await remote.session(socket.data.token);
      if (!current) throw new AppError('unauthenticated', 'The participant session has ended');
      return current;
    };

    socket.on('remote:hello', (_payload, ack) => answer(log, ack, async () => remote.standing(await live())));
    socket.on('remote:arrive', (_payload, ack) => answer(log, ack, async () => remote.arrive(await live(), ip)));
    socket.on('remote:consultation-open', (payload, ack) =>
      answer(log, ack, async () => {
        const participantId = (payload as { participantId?: unknown } | null)?.participantId;
        if (typeof participantId !== 'string' || participantId.length === 0 || participantId.length > 64) throw new AppError('invalid_request', 'participantId is required');
        return remote.openConsultation(await live(), participantId, ip);
      }),
    );
    socket.on('remote:consultation-close', (_payload, ack) => answer(log, ack, async () => remote.closeConsultation(await live(), ip)));
    socket.on('remote:leave', (_payload, ack) =>
      answer(log, ack, async () => {
        await remote.leave(await live(), ip);
        return { left: true as const };
      }),
    );

    if (deps.selfTest) {
      registerSelfTestHandlers(socket, {
        ...deps.selfTest,
        log,
        access: async () => {
          const { status, hearingStatus } = await remote.standing(await live());
          if (status === 'refused') throw new AppError('forbidden', 'The court has refused this participant');
          if (isEnded(hearingStatus) || hearingStatus === 'cancelled') throw new AppError('invalid_transition', 'The hearing has ended');
        },
        record: async (verdict, checks) => remote.selfTested(await live(), ip, verdict, checks),
      });
    } else {
      socket.on('selftest:open', (_payload, ack) => answer(log, ack, () => unavailable()));
    }

    if (!deps.media) {
      socket.on('media:join', (_payload, ack) => answer(log, ack, () => unavailable()));
      return;
    }
    registerMediaHandlers(socket, {
      ...deps.media,
      log,
      access: async (hearingId) => {
        const current = await live();
        if (hearingId !== current.hearingId) throw new AppError('forbidden', 'This session is for another hearing');
        const { status } = await remote.standing(current);
        if (status !== 'lobby' && status !== 'live') throw new AppError('not_admitted', 'Wait in the lobby until the court admits you');
        return {
          identity: { kind: 'remote', userId: null, participantId: current.participantId, role: 'remote_participant', fullName: current.fullName },
          standing: status,
          mayPublish: true,
        };
      },
    });
  });
}

function unavailable(): never {
  throw new AppError('unavailable', 'Audio and video are off on this server (MEDIA_WORKERS=0)');
}

/**
 * socket.io on the same HTTP server as the API. A socket is accepted only with a live session
 * cookie; it joins `session:<id>` so a logout can disconnect it. The hearing commands are in
 * hearings.socket.ts; every one of them checks the user's seat in the hearing it names.
 */
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { AuthService } from '../auth/auth.service.ts';
import { SESSION_COOKIE } from '../auth/auth.plugin.ts';
import type { HearingsService } from '../hearings/hearings.service.ts';
import { broadcastCommitted, hearingRoom, registerHearingHandlers, type PrepareCommand } from './hearings.socket.ts';
import { PresenceTracker } from './presence.ts';
import { ClusterPresence } from './cluster-presence.ts';
import { pushSituationChanges, registerSituationHandlers } from '../situation/situation.socket.ts';
import type { SituationService } from '../situation/situation.service.ts';
import type { SituationSignals } from '../situation/situation-signals.ts';
import { answer, type Log, type RealtimeServer, type RealtimeSocket } from './socket-types.ts';
import type { MediaRooms } from '../../../media/src/media-rooms.ts';
import type { HearingsRepository } from '../hearings/hearings.repository.ts';
import type { RemoteService } from '../remote/remote.service.ts';
import { AppError } from '../shared/errors.ts';
import { registerMediaHandlers, type MediaDeps } from './media.socket.ts';
import type { IceServer } from '../shared/socket/media.ts';
import { MediaSignalling } from './media-signalling.ts';
import { participantRoom, remoteNamespaceOf, remoteStandingNotifier, setUpRemoteNamespace } from './remote.socket.ts';
import type { SelfTestDeps } from './self-test.socket.ts';
import type { MotionFiledNotice } from '../shared/socket/events.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { Config } from '../config.ts';
import { guardCommands, type GuardConnection } from './command-guard.ts';
import { watchStalls } from './stall-watchdog.ts';
import { redisAdapter } from './redis-adapter.ts';

export type { RealtimeServer };

type Deps = {
  httpServer: HttpServer;
  auth: AuthService;
  hearings: HearingsService;
  log: Log;
  parseCookie: (header: string) => Record<string, string | undefined>;
  /** The situation centre's room and pushes. */
  situation: { service: SituationService; signals: SituationSignals };
  /** Headers every answer carries (the Content-Security-Policy…), added to socket.io's own HTTP answers too. */
  responseHeaders?: () => Record<string, string>;
  /** Work before a command is committed (the recorders before a start of the recording). */
  prepareCommand?: PrepareCommand;
  /** Refusals of flooding connections are audited once per burst (command-guard.ts). */
  audit: AuditRepository;
  /** Command rate, muting, stalled connections, heartbeat. */
  sockets: Config['sockets'];
  hearingsRepository: HearingsRepository;
  remote: RemoteService;
  /** null: MEDIA_WORKERS=0, media commands answer `unavailable`. */
  media: { rooms: MediaRooms; iceServers: (label: string) => IceServer[]; audioOnlyBelowKbps: number; ratePerSecond: number } | null;
  /** The remote participants' self-test probe (self-test.socket.ts); null without media workers. */
  selfTest?: SelfTestDeps | null;
  /** REDIS_URL: rooms span every node of the court (redis-adapter.ts); null: this process alone. */
  redis: { url: string; log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void } } | null;
};

const userRoom = (userId: string) => `user:${userId}`;

export type Realtime = { io: RealtimeServer; close(): void; notifyUsers(userIds: string[], motion: MotionFiledNotice): void };

/** The socket.io server, and `close()` that stops what it started besides the sockets (timers, listeners). */
export function createRealtime(deps: Deps): Realtime {
  const { sockets } = deps;
  const cluster = deps.redis ? redisAdapter(deps.redis) : null;
  const io: RealtimeServer = new Server(deps.httpServer, {
    ...(cluster ? { adapter: cluster.adapter } : {}),
    serveClient: false,
    transports: ['websocket', 'polling'],
    pingInterval: sockets.pingIntervalSeconds * 1000,
    pingTimeout: sockets.pingTimeoutSeconds * 1000,
  });
  // Long-polling answers and WebSocket upgrades are written by engine.io, not fastify: the same headers.
  const responseHeaders = deps.responseHeaders;
  if (responseHeaders) io.engine.on('headers', (headers: Record<string, string>) => Object.assign(headers, responseHeaders()));
  // A client that stops reading is dropped in seconds, not held with its backlog (stall-watchdog.ts).
  const stopWatching = watchStalls(io.engine, {
    stallMs: sockets.stallSeconds * 1000,
    maxPackets: sockets.maxBufferedPackets,
    maxBytes: sockets.maxBufferedBytes,
    onDrop: (drop) => deps.log.warn?.(drop, 'dropped a connection that stopped reading'),
  });
  const guard: GuardConnection = (socket, who) =>
    guardCommands(socket, {
      ratePerSecond: sockets.commandRatePerSecond,
      refusalsBeforeMuting: sockets.refusalsBeforeMuting,
      refusalWindowMs: sockets.refusalWindowSeconds * 1000,
      exempt: (event) => event.startsWith('media:'),
      record: (entry) => void deps.audit.record(entry).catch((error: unknown) => deps.log.error({ err: error }, 'a refusal could not be audited')),
      who,
    });
  // Across nodes, each node's own list is only a part: ClusterPresence sends the sum.
  const presence = new PresenceTracker((p) => (clusterPresence ? clusterPresence.changed(p.hearingId) : io.to(hearingRoom(p.hearingId)).volatile.emit('hearing:presence', p)));
  const clusterPresence = cluster ? new ClusterPresence(io, presence) : null;
  const stopBroadcasting = broadcastCommitted(io, deps.hearings, { acrossNodes: cluster !== null });
  const stopSituation = pushSituationChanges(io, deps.situation.signals);

  io.use(async (socket, next) => {
    const cookies = deps.parseCookie(socket.handshake.headers.cookie ?? '');
    let user;
    try {
      user = await deps.auth.authenticate(cookies[SESSION_COOKIE]);
    } catch (error) {
      return next(error as Error);
    }
    if (!user) return next(new Error('unauthenticated'));
    socket.data.user = user;
    next();
  });

  // Signalling tells remote pages of their changed standing; the /remote namespace serves media
  // through that signalling. The notifier needs only the namespace, so it is made first.
  const remoteNamespace = remoteNamespaceOf(io);
  const remoteStanding = remoteStandingNotifier(remoteNamespace, deps.remote);
  const signalling = deps.media
    ? new MediaSignalling({
        rooms: deps.media.rooms,
        hearings: deps.hearings,
        hearingsRepository: deps.hearingsRepository,
        log: deps.log,
        revokeRemote: (hearingId, participantId) => deps.remote.revoke(hearingId, participantId),
        remoteChanged: remoteStanding.changed,
      })
    : null;
  const mediaDeps: MediaDeps | null =
    deps.media && signalling ? { signalling, iceServers: deps.media.iceServers, audioOnlyBelowKbps: deps.media.audioOnlyBelowKbps, ratePerSecond: deps.media.ratePerSecond } : null;
  setUpRemoteNamespace(remoteNamespace, { remote: deps.remote, media: mediaDeps, parseCookie: deps.parseCookie, log: deps.log, guard, selfTest: deps.selfTest ?? null });
  // Across nodes (the Redis adapter asks every node): whether a participant still has a page anywhere.
  deps.remote.countConnectionsWith(async (hearingId, participantId) => (await remoteNamespace.in(participantRoom(hearingId, participantId)).fetchSockets()).length);

  io.on('connection', (socket: RealtimeSocket) => {
    // First: every command below goes through it.
    guard(socket, { userId: socket.data.user.id, actor: socket.data.user.username, ip: socket.handshake.address });
    void socket.join(`session:${socket.data.user.sessionId}`);
    // Personal notices (a motion filed outside the hall in one of the user's cases).
    void socket.join(userRoom(socket.data.user.id));
    registerHearingHandlers(socket, { hearings: deps.hearings, presence, log: deps.log, prepareCommand: deps.prepareCommand });
    registerSituationHandlers(socket, { situation: deps.situation.service, log: deps.log });
    registerHallMedia(socket, deps, mediaDeps);
  });

  return {
    io,
    notifyUsers(userIds, motion) {
      if (userIds.length > 0) io.to(userIds.map(userRoom)).emit('motion:filed', motion);
    },
    close() {
      stopWatching();
      stopBroadcasting();
      stopSituation();
      presence.close();
      clusterPresence?.close();
      signalling?.close();
      cluster?.close();
    },
  };
}

/**
 * Media for a workstation: who it is comes from the hearing's access rules (the same seat as for
 * following the hearing, refusals audited). The court office and the chair (`court`) follow without
 * publishing, and get no media at all in a closed hearing.
 */
function registerHallMedia(socket: RealtimeSocket, deps: Deps, media: MediaDeps | null): void {
  const user = socket.data.user;
  if (!media) {
    socket.on('media:join', (_payload, ack) =>
      answer(deps.log, ack, () => {
        throw new AppError('unavailable', 'Audio and video are off on this server (MEDIA_WORKERS=0)');
      }),
    );
    return;
  }
  registerMediaHandlers(socket, {
    ...media,
    log: deps.log,
    access: async (hearingId) => {
      const { seat, hearing } = await deps.hearings.seatOf(user, hearingId, socket.handshake.address);
      if (seat.role === 'court' && hearing.closed) throw new AppError('forbidden', 'A closed hearing is seen and heard only by those taking part');
      return {
        identity: { kind: 'hall', userId: user.id, participantId: seat.participantId, role: seat.role, fullName: user.fullName },
        standing: 'live',
        mayPublish: seat.role !== 'court',
      };
    },
  });
}

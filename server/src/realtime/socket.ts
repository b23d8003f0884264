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
import { broadcastCommitted, hearingRoom, registerHearingHandlers } from './hearings.socket.ts';
import { PresenceTracker } from './presence.ts';
import { pushSituationChanges, registerSituationHandlers } from '../situation/situation.socket.ts';
import type { SituationService } from '../situation/situation.service.ts';
import type { SituationSignals } from '../situation/situation-signals.ts';
import type { Log, RealtimeServer, RealtimeSocket } from './socket-types.ts';
import type { MotionFiledNotice } from './events.ts';

export type { RealtimeServer };

type Deps = {
  httpServer: HttpServer;
  auth: AuthService;
  hearings: HearingsService;
  log: Log;
  parseCookie: (header: string) => Record<string, string | undefined>;
  /** The situation centre's room and pushes (issue 9). */
  situation: { service: SituationService; signals: SituationSignals };
};

const userRoom = (userId: string) => `user:${userId}`;

export type Realtime = { io: RealtimeServer; close(): void; notifyUsers(userIds: string[], motion: MotionFiledNotice): void };

/** The socket.io server, and `close()` that stops what it started besides the sockets (timers, listeners). */
export function createRealtime(deps: Deps): Realtime {
  const io: RealtimeServer = new Server(deps.httpServer, { serveClient: false, transports: ['websocket', 'polling'] });
  const presence = new PresenceTracker((p) => io.to(hearingRoom(p.hearingId)).volatile.emit('hearing:presence', p));
  const stopBroadcasting = broadcastCommitted(io, deps.hearings);
  const stopSituation = pushSituationChanges(io, deps.situation.signals);

  io.use((socket, next) => {
    const cookies = deps.parseCookie(socket.handshake.headers.cookie ?? '');
    const user = deps.auth.authenticate(cookies[SESSION_COOKIE]);
    if (!user) return next(new Error('unauthenticated'));
    socket.data.user = user;
    next();
  });

  io.on('connection', (socket: RealtimeSocket) => {
    void socket.join(`session:${socket.data.user.sessionId}`);
    // Personal notices (a motion filed outside the hall in one of the user's cases).
    void socket.join(userRoom(socket.data.user.id));
    registerHearingHandlers(socket, { hearings: deps.hearings, presence, log: deps.log });
    registerSituationHandlers(socket, { situation: deps.situation.service, log: deps.log });
  });

  return {
    io,
    notifyUsers(userIds, motion) {
      if (userIds.length > 0) io.to(userIds.map(userRoom)).emit('motion:filed', motion);
    },
    close() {
      stopBroadcasting();
      stopSituation();
      presence.close();
    },
  };
}

/**
 * socket.io on the same HTTP server as the API. A socket is accepted only with a live session
 * cookie, and every command checks the user's access to the case it names. Sockets join
 * `session:<id>` so a logout can disconnect them, and `hearing:<id>` for hearing broadcasts.
 */
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import type { AuthService, SessionUser } from '../auth/auth.service.ts';
import { SESSION_COOKIE } from '../auth/auth.plugin.ts';
import type { CasesService } from '../cases/cases.service.ts';
import type { HearingsRepository } from '../hearings/hearings.repository.ts';
import { AppError } from '../http/errors.ts';
import type { Ack, ClientToServerEvents, HearingSnapshot, ServerToClientEvents } from './events.ts';

type SocketData = { user: SessionUser };
export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

type Deps = {
  httpServer: HttpServer;
  auth: AuthService;
  cases: CasesService;
  hearings: HearingsRepository;
  log: { error(obj: object, msg: string): void };
  parseCookie: (header: string) => Record<string, string | undefined>;
};

export function createRealtime(deps: Deps): RealtimeServer {
  const io: RealtimeServer = new Server(deps.httpServer, { serveClient: false, transports: ['websocket', 'polling'] });

  io.use((socket, next) => {
    const cookies = deps.parseCookie(socket.handshake.headers.cookie ?? '');
    const user = deps.auth.authenticate(cookies[SESSION_COOKIE]);
    if (!user) return next(new Error('unauthenticated'));
    socket.data.user = user;
    next();
  });

  io.on('connection', (socket: RealtimeSocket) => {
    void socket.join(`session:${socket.data.user.sessionId}`);

    socket.on('hearing:join', (payload, ack) =>
      answer(deps.log, ack, () => {
        const hearingId = requireString(payload?.hearingId, 'hearingId');
        const hearing = deps.hearings.find(hearingId);
        if (!hearing) throw new AppError('not_found', 'No such hearing');
        deps.cases.requireAccess(socket.data.user, hearing.caseId, 'hearing.join', socket.handshake.address);
        void socket.join(`hearing:${hearing.id}`);
        const snapshot: HearingSnapshot = { hearingId: hearing.id, caseId: hearing.caseId, status: hearing.status, stage: hearing.stage, version: hearing.version };
        return snapshot;
      }),
    );

    socket.on('hearing:leave', (payload, ack) =>
      answer(deps.log, ack, () => {
        void socket.leave(`hearing:${requireString(payload?.hearingId, 'hearingId')}`);
        return { left: true as const };
      }),
    );
  });

  return io;
}

/** Runs a command and acknowledges it: data, a whitelisted error, or `internal` for anything unexpected. */
function answer<T>(log: Deps['log'], ack: unknown, run: () => T): void {
  if (typeof ack !== 'function') return;
  const reply = ack as (answer: Ack<T>) => void;
  try {
    reply({ data: run() });
  } catch (error) {
    if (error instanceof AppError) reply({ error: { code: error.code, message: error.message } });
    else {
      log.error({ err: error }, 'socket command failed');
      reply({ error: { code: 'internal', message: 'Internal error' } });
    }
  }
}

function requireString(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) {
    throw new AppError('invalid_request', `${name} must be a non-empty string`);
  }
  return value;
}

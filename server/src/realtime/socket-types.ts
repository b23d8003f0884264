/** The typed socket.io server and socket, and how every command is acknowledged. */
import type { Server, Socket } from 'socket.io';
import type { SessionUser } from '../auth/auth.service.ts';
import { AppError } from '../http/errors.ts';
import type { Ack, ClientToServerEvents, ServerToClientEvents } from './events.ts';

export type SocketData = { user: SessionUser };
export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type Log = { error(obj: object, msg: string): void };

/** Runs a command and acknowledges it: data, a whitelisted error, or `internal` for anything unexpected. */
export function answer<T>(log: Log, ack: unknown, run: () => T): void {
  if (typeof ack !== 'function') return;
  const reply = ack as (answer: Ack<T>) => void;
  let result: T;
  try {
    result = run();
  } catch (error) {
    if (error instanceof AppError) reply({ error: { code: error.code, message: error.message } });
    else {
      log.error({ err: error }, 'socket command failed');
      reply({ error: { code: 'internal', message: 'Internal error' } });
    }
    return;
  }
  reply({ data: result });
}

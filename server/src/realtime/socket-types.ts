/** The typed socket.io server and socket, and how every command is acknowledged. */
import type { Server, Socket } from 'socket.io';
import type { SessionUser } from '../auth/auth.service.ts';
import { AppError } from '../shared/errors.ts';
import { storageUnavailable } from '../storage/storage-failure.ts';
import type { Ack, ClientToServerEvents, HearingPresence, ServerToClientEvents } from '../shared/socket/events.ts';

export type SocketData = { user: SessionUser };
/** What nodes tell each other through the adapter (cluster-presence.ts); unused on one node. */
export type NodeEvents = {
  'presence:changed': (hearingId: string) => void;
  'presence:of': (hearingId: string, answer: (online: HearingPresence['online']) => void) => void;
};
export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, NodeEvents, SocketData>;
export type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents, NodeEvents, SocketData>;
export type Log = { error(obj: object, msg: string): void; warn?(obj: object, msg: string): void };

/**
 * Runs a command and acknowledges it: data, a whitelisted error, `storage_unavailable` when the
 * disk refused a write, or `internal` for anything else unexpected. A command that has to wait
 * (for its preparation) returns a promise, answered when it settles.
 */
export function answer<T>(log: Log, ack: ((answer: Ack<T>) => void) | undefined, run: () => T | Promise<T>): void {
  // The contract types the acknowledgement, but a client may send a command without one.
  if (typeof ack !== 'function') return;
  const reply = ack;
  const fail = (error: unknown): void => {
    if (error instanceof AppError) reply({ error: { code: error.code, message: error.message } });
    else {
      log.error({ err: error }, 'socket command failed');
      // A write the disk refused is said as such: the hall must know nothing is being recorded.
      const refusal = storageUnavailable(error) ?? new AppError('internal', 'Internal error');
      reply({ error: { code: refusal.code, message: refusal.message } });
    }
  };
  let result: T | Promise<T>;
  try {
    result = run();
  } catch (error) {
    fail(error);
    return;
  }
  if (result instanceof Promise) result.then((data) => reply({ data }), fail);
  else reply({ data: result });
}

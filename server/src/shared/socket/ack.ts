/**
 * How every socket command of either namespace is answered: `{ data }` or a whitelisted error
 * (shared/errors.ts). `Command` is the shape socket.io types a command with an acknowledgement by.
 */
import type { ErrorCode } from '../errors.ts';

/** `details`: more for the client to act on, e.g. `{ node }` with `media_elsewhere` (the node holding the hearing's media). */
export type AckError = { code: ErrorCode; message: string; details?: unknown };
export type Ack<T> = { data: T } | { error: AckError };

export type Command<P, R> = (payload: P, ack: (answer: Ack<R>) => void) => void;

/**
 * How every socket command of either namespace is answered: `{ data }` or a whitelisted error
 * (shared/errors.ts). `Command` is the shape socket.io types a command with an acknowledgement by.
 */
import type { ErrorCode } from '../errors.ts';

export type AckError = { code: ErrorCode; message: string };
export type Ack<T> = { data: T } | { error: AckError };

export type Command<P, R> = (payload: P, ack: (answer: Ack<R>) => void) => void;

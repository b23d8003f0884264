/**
 * The socket.io contract, shared by the server and the web app. Commands are acknowledged with
 * `{ data }` or `{ error: { code, message } }`; broadcasts are named in the past tense.
 */
import type { ErrorCode } from '../http/errors.ts';

export type Ack<T> = { data: T } | { error: { code: ErrorCode; message: string } };

export type HearingSnapshot = {
  hearingId: string;
  caseId: string;
  status: string;
  stage: string | null;
  version: number;
};

export type ClientToServerEvents = {
  'hearing:join': (payload: { hearingId: string }, ack: (answer: Ack<HearingSnapshot>) => void) => void;
  'hearing:leave': (payload: { hearingId: string }, ack: (answer: Ack<{ left: true }>) => void) => void;
};

export type ServerToClientEvents = {
  /** The session behind this socket ended (logout or expiry); the client should show the login page. */
  'session:ended': () => void;
};

/**
 * The socket.io contract, shared by the server and the web app (types only). Commands are
 * acknowledged with `{ data }` or `{ error: { code, message } }`; broadcasts are named in the past
 * tense. The hearing protocol — versions, snapshot, patches, resync — is docs/realtime-protocol.md.
 */
import type { Static } from 'typebox';
import type { ErrorCode } from '../http/errors.ts';
import type { HearingSync } from '../hearings/hearings.service.ts';
import type { HearingEvent, HearingRole, HearingSnapshot } from '../hearings/hearing-state.ts';
import type { CommandName, CommandPayload, HistoryPayload, JoinPayload, LeavePayload, ResyncPayload } from './hearing-schemas.ts';

export type { HearingEvent, HearingSnapshot, HearingSync, CommandName, CommandPayload };

export type AckError = { code: ErrorCode; message: string };
export type Ack<T> = { data: T } | { error: AckError };

/** What every hearing command answers: the hearing's version once the command is done. */
export type CommandResult = { version: number };

export type HistoryPage = { events: HearingEvent[]; more: boolean };

/**
 * Who is connected to a hearing right now (volatile: never stored, may be dropped under load).
 * One entry per user, however many tabs they have open.
 */
export type HearingPresence = { hearingId: string; online: { userId: string; fullName: string; role: HearingRole; connections: number }[] };

type Command<P, R> = (payload: P, ack: (answer: Ack<R>) => void) => void;

export type ClientToServerEvents = {
  'hearing:join': Command<Static<typeof JoinPayload>, HearingSync>;
  'hearing:resync': Command<Static<typeof ResyncPayload>, HearingSync>;
  'hearing:history': Command<Static<typeof HistoryPayload>, HistoryPage>;
  'hearing:leave': Command<Static<typeof LeavePayload>, { left: true }>;
  // ---- situation centre (issue 9, server/src/situation/situation.socket.ts) ----
  'situation:watch': Command<{ courtId?: string }, { courtId: string | null }>;
} & { [K in CommandName]: Command<CommandPayload<K>, CommandResult> };

export type ServerToClientEvents = {
  /** The session behind this socket ended (logout or expiry); the client should show the login page. */
  'session:ended': () => void;
  /** One committed event of a hearing the socket has joined, in version order. */
  'hearing:changed': (event: HearingEvent) => void;
  'hearing:presence': (presence: HearingPresence) => void;
  /** A motion was filed outside a hearing in one of the user's cases (to its judge and parties). */
  'motion:filed': (notice: MotionFiledNotice) => void;
  /** The situation centre's figures of this court changed (debounced); reload the dashboard. */
  'situation:changed': (change: { courtId: string }) => void;
};

export type MotionFiledNotice = { caseId: string; motionId: string; number: number; kind: 'motion' | 'recusal' | 'objection' | 'statement'; filerName: string };

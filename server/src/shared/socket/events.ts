/**
 * The socket.io contract of the main namespace, shared by the server and the web app (types only).
 * Commands are acknowledged with `{ data }` or `{ error: { code, message } }` (ack.ts); broadcasts
 * are named in the past tense. The hearing protocol — versions, snapshot, patches, resync — is
 * docs/realtime-protocol.md; the media commands are the same on the /remote namespace (media.ts,
 * remote.ts).
 */
import type { Static } from 'typebox';
import type { HearingRole } from '../hearing/core.ts';
import type { HearingEvent, HearingSnapshot } from '../hearing/state.ts';
import type { FollowedEvent } from '../hearing/display-view.ts';
import type { CommandName, CommandPayload, HistoryPayload, JoinPayload, LeavePayload, ResyncPayload } from '../hearing/schemas.ts';
import type { Ack, AckError, Command } from './ack.ts';
import type { MediaClientEvents, MediaServerEvents } from './media.ts';

export type { Ack, AckError, FollowedEvent, HearingEvent, HearingSnapshot, CommandName, CommandPayload };

/** The answer to a join or a resync: the whole picture, or just the events the client missed. */
export type HearingSync = { kind: 'snapshot'; snapshot: HearingSnapshot } | { kind: 'events'; hearingId: string; events: FollowedEvent[]; serverTime: number };

/** What every hearing command answers: the hearing's version once the command is done. */
export type CommandResult = { version: number };

/** Events of the log, oldest first; the wall screen's page leaves out what it may not read. */
export type HistoryPage = { events: HearingEvent[]; more: boolean };

/**
 * Who is connected to a hearing right now (volatile: never stored, may be dropped under load).
 * One entry per user, however many tabs they have open.
 */
export type HearingPresence = { hearingId: string; online: { userId: string; fullName: string; role: HearingRole; connections: number }[] };

export type ClientToServerEvents = {
  'hearing:join': Command<Static<typeof JoinPayload>, HearingSync>;
  'hearing:resync': Command<Static<typeof ResyncPayload>, HearingSync>;
  'hearing:history': Command<Static<typeof HistoryPayload>, HistoryPage>;
  'hearing:leave': Command<Static<typeof LeavePayload>, { left: true }>;
  'situation:watch': Command<{ courtId?: string }, { courtId: string | null }>;
} & { [K in CommandName]: Command<CommandPayload<K>, CommandResult> } & MediaClientEvents;

export type ServerToClientEvents = {
  /** The session behind this socket ended (logout or expiry); the client should show the login page. */
  'session:ended': () => void;
  /** One committed event of a hearing the socket has joined, in version order (withheld ones: the wall screen only). */
  'hearing:changed': (event: FollowedEvent) => void;
  'hearing:presence': (presence: HearingPresence) => void;
  /** A motion was filed outside a hearing in one of the user's cases (to its judge and parties). */
  'motion:filed': (notice: MotionFiledNotice) => void;
  /** The situation centre's figures of this court changed (debounced); reload the dashboard. */
  'situation:changed': (change: { courtId: string }) => void;
} & MediaServerEvents;

export type MotionFiledNotice = { caseId: string; motionId: string; number: number; kind: 'motion' | 'recusal' | 'objection' | 'statement'; filerName: string };

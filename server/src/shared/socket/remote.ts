/**
 * The /remote namespace's contract: a remote participant's page says it is there, arrives in the
 * lobby and leaves, and hears its own standing whenever the court changes it; the media commands
 * are the same as a workstation's (media.ts). Who the connection is comes from its participant
 * session, never from a payload, so the commands carry none. The server's side is
 * server/src/realtime/remote.socket.ts, the browser's apps/web/src/lib/state/remote-join.svelte.ts.
 */
import type { HearingStatus, ParticipantRole } from '../domain.ts';
import type { ShownPosition } from '../hearing/floor/floor.ts';
import type { InterpreterAppointment } from '../hearing/interpreter/interpreter.ts';
import type { RemoteStatus } from '../hearing/remote/remote.ts';
import type { Consultation } from '../hearing/consultation/consultation.ts';
import type { Command } from './ack.ts';
import type { MediaClientEvents, MediaServerEvents } from './media.ts';
import type { SelfTestClientEvents } from './self-test.ts';

/** What the remote page shows about itself (also the answer of POST /api/join and GET /api/join/session). */
export type RemoteStanding = {
  hearingId: string;
  caseNumber: string;
  participant: { id: string; fullName: string; role: ParticipantRole };
  status: RemoteStatus | null;
  hearingStatus: HearingStatus;
  mutedByCourt: boolean;
  /** The page of the case file presented in the hall now; only for an admitted participant. */
  shown: ShownPosition | null;
  /** A party (not a witness, expert or interpreter): once admitted, files motions from the page (docs/motions.md). */
  party: boolean;
  /** The court's appointment of this participant as an interpreter, while it stands (docs/media.md, "The interpreter's channel"). */
  interpreting: InterpreterAppointment | null;
  /** The interpreters appointed for this participant. */
  interpretedBy: InterpreterAppointment[];
  /** The private consultation this participant is in (asked for or under way), if any (docs/media.md, "Consultation rooms"). */
  consultation: Consultation | null;
  /** Whom this participant may open a private consultation with (a lawyer's clients, by the consultation rules); empty for anyone else. */
  mayConsultWith: { participantId: string; fullName: string; role: ParticipantRole }[];
};

type NoPayload = Record<string, never>;

export type RemoteClientEvents = {
  /** The standing now, changing nothing. */
  'remote:hello': Command<NoPayload, RemoteStanding>;
  /** Into the lobby (or back into the hearing after a reload): the court sees the participant waiting. */
  'remote:arrive': Command<NoPayload, RemoteStanding>;
  'remote:leave': Command<NoPayload, { left: true }>;
  /** A lawyer on the phone opens a private consultation with their client (`participantId`). */
  'remote:consultation-open': Command<{ participantId: string }, RemoteStanding>;
  /** Back to the hall: the participant's consultation closes (for both members). */
  'remote:consultation-close': Command<NoPayload, RemoteStanding>;
} & MediaClientEvents &
  /** The phone's self-test before the lobby (self-test.ts). */
  SelfTestClientEvents;

export type RemoteServerEvents = {
  /** The participant's standing changed (admitted, sent to the lobby, muted, refused, the hearing ended…). */
  'remote:standing': (standing: RemoteStanding) => void;
} & MediaServerEvents;

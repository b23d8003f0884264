/**
 * The short protocol as GET /api/hearings/:id/protocol answers it: the protocol built from the
 * hearing's log (server/src/protocol/protocol-build.ts), its signatures and what the user may do.
 */
import type { ProtocolLiveState, ProtocolSignature } from '../hearing/protocol/protocol.ts';
import type { RecordingSpan } from '../recording-clock.ts';

export type ProtocolLocale = 'kk' | 'ru';

/**
 * Events that never make or change an entry: the presenter's page turns and zooms (the sheets shown
 * enter the protocol once, when the presentation ends) and the court muting a microphone. They are
 * the hall's most frequent events, so the live protocol panel does not ask again for them.
 */
export const EVENTS_OUTSIDE_PROTOCOL: ReadonlySet<string> = new Set(['position.shown', 'media.muted']);

export type ProtocolEntry = {
  /** `e<version>` for an entry from the log, `n<noteId>` for a secretary's note. */
  key: string;
  source: 'event' | 'note';
  /** The event's type (`protocol.note_added` for a note). */
  type: string;
  version: number;
  at: number;
  /** Milliseconds into the recording; null when nothing was being recorded at that moment. */
  recordingMs: number | null;
  /** Court time of day, "hh:mm:ss". */
  time: string;
  text: string;
  /** Who was speaking (a note's speaker), "role Full Name". */
  speaker: string | null;
  speakerParticipantId: string | null;
  noteId: string | null;
  /** How many times the note was edited (its wordings are all in the log). */
  edits: number;
};

export type ProtocolMotion = { number: number; kind: string; filer: string; text: string; positions: string[]; ruling: string | null };

export type Protocol = {
  hearingId: string;
  locale: ProtocolLocale;
  /** The last version of the log it covers. */
  version: number;
  court: string;
  timeZone: string;
  hall: string;
  caseNumber: string;
  charge: string;
  date: string | null;
  openedAt: number | null;
  endedAt: number | null;
  presidingJudge: string;
  secretary: string | null;
  interpreters: string[];
  /** Those who appeared: in the hall, then by video (marked so). */
  present: string[];
  absent: string[];
  /** Those who appeared by video (also in `present`). */
  remote: string[];
  recording: { recorded: boolean; spans: RecordingSpan[]; chainHeads: { trackId: string; seq: number; chain: string }[] };
  entries: ProtocolEntry[];
  motions: ProtocolMotion[];
  outcome: string;
};

export type ProtocolView = {
  caseId: string;
  protocol: Protocol;
  status: ProtocolLiveState['status'];
  frozenVersion: number | null;
  signatures: ProtocolSignature[];
  documentId: string | null;
  /** The recording filed with the signed protocol (null: not signed yet, or nothing was recorded). */
  recording: { documentId: string; title: string; sha256: string; durationSec: number | null } | null;
  /** Signed corrections, each a case-file document attached to the protocol's. */
  addenda: { number: number; documentId: string; title: string }[];
  /** What this user may do with it now. */
  you: { canEdit: boolean; signAs: 'secretary' | 'judge' | null; canAddAddendum: boolean };
};

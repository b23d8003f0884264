/**
 * The short protocol of a hearing, computed from its event log (never copied out of it): the
 * automatic entries — opening and closing, stages, attendance, identities established and rights explained, presentations, motions, breaks,
 * recording — and the secretary's notes as they stand after their last edit, each with its wall
 * time and its time in the recording; with the header facts (composition, parties present and
 * absent, recording) and the outcome. The PDF, the JSON sidecar, the WebVTT chapters and the live
 * view on the workstations are all drawn from what this returns.
 *
 * Pure and deterministic: the same log up to the same version gives the same protocol. Imports
 * nothing at run time (the web app may use it too).
 */
import type { ParticipantRole, TrialStage } from '../../../db/schema.ts';
import { recordingSpans, recordingTimeAt, type RecordingSpan } from './recording-clock.ts';
import { courtDate, courtTime, WORDS, type ProtocolLocale } from './protocol-texts.ts';

/** An event of the log as stored: its type a string, so events of other features (recording, media) pass through. */
export type LogEvent = { version: number; at: number; type: string; payload: Record<string, unknown>; actor: { userId: string; fullName: string; role: string } };

export type ProtocolParticipant = { id: string; role: ParticipantRole; fullName: string };

export type ProtocolInput = {
  locale: ProtocolLocale;
  hearingId: string;
  court: string;
  hall: string;
  caseNumber: string;
  charge: string;
  presidingJudge: string;
  secretary: string | null;
  participants: ProtocolParticipant[];
  /** Case-file document id → its title, for the presentations. */
  documents: Record<string, string>;
  /** The log, in version order, up to the version the protocol covers. */
  events: LogEvent[];
};

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

type Payload = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- the log's payloads, by type below

/**
 * Events that never make or change an entry: the presenter's page turns and zooms (the sheets shown
 * enter the protocol once, when the presentation ends) and the court muting a microphone. They are
 * the hall's most frequent events, so the live protocol panel does not ask again for them.
 */
export const EVENTS_OUTSIDE_PROTOCOL: ReadonlySet<string> = new Set(['position.shown', 'media.muted']);

export function buildProtocol(input: ProtocolInput): Protocol {
  const w = WORDS[input.locale];
  const participants = new Map(input.participants.map((p) => [p.id, p]));
  const who = (id: string | null | undefined, fallback = '') => {
    const p = id ? participants.get(id) : undefined;
    return p ? `${w.roles[p.role]} ${p.fullName}` : fallback;
  };
  const spans = recordingSpans(input.events);
  const entries: ProtocolEntry[] = [];
  const notes = new Map<string, ProtocolEntry>();
  const motions = new Map<string, ProtocolMotion>();
  const attendance = new Map<string, string>();
  let chainHeads = new Map<string, { trackId: string; seq: number; chain: string }>();
  let openedAt: number | null = null;
  let endedAt: number | null = null;
  let outcome = w.outcomes.open;
  let version = 0;

  /** An entry at the moment it happened: the event's time, or, for what is logged after the fact (a presentation, a gap), the moment it began. */
  const add = (event: LogEvent, text: string, at = event.at) =>
    entries.push({
      key: `e${event.version}`,
      source: 'event',
      type: event.type,
      version: event.version,
      at,
      recordingMs: recordingTimeAt(spans, at),
      time: courtTime(at),
      text,
      speaker: null,
      speakerParticipantId: null,
      noteId: null,
      edits: 0,
    });
  const motionNumber = (id: string) => motions.get(id)?.number ?? '?';
  /** Remote participants by the name they were invited under (issue 6), for those not (yet) case participants. */
  const invited = new Map<string, string>();

  for (const event of input.events) {
    version = event.version;
    const p = event.payload as Payload;
    switch (event.type) {
      case 'hearing.opened':
        openedAt = event.at;
        add(event, w.opened_);
        break;
      case 'stage.changed':
        add(event, w.stage(w.stages[p.to as TrialStage]));
        break;
      case 'break.started':
        add(event, w.breakStarted(p.until ? courtTime(p.until).slice(0, 5) : null, p.reason ?? null));
        break;
      case 'break.ended':
        add(event, w.breakEnded);
        break;
      case 'hearing.adjourned':
        endedAt = event.at;
        outcome = w.outcomes.adjourned(p.reason, p.nextDate ? isoToCourtDate(p.nextDate) : null);
        add(event, w.adjourned(p.reason, p.nextDate ? isoToCourtDate(p.nextDate) : null));
        break;
      case 'hearing.suspended':
        endedAt = event.at;
        outcome = w.outcomes.suspended(p.reason);
        add(event, w.suspended(p.reason));
        break;
      case 'hearing.ended':
        endedAt = event.at;
        outcome = w.outcomes.finished;
        add(event, w.ended);
        break;
      case 'attendance.recorded':
        attendance.set(p.participantId, p.attendance);
        add(event, w.attendanceRecorded(who(p.participantId, p.participantId), w.attendance[p.attendance as 'present' | 'absent' | 'remote']));
        break;
      // ---- identities and rights (issue 8, item 1) ----
      case 'identity.established':
        add(event, w.identityEstablished(who(p.participantId, p.fullName), p.document ?? null));
        break;
      case 'rights.explained':
        add(event, w.rightsExplained(who(p.participantId, p.fullName)));
        break;
      case 'mark.added':
        add(event, p.text);
        break;
      case 'presentation.ended': {
        const presenter = p.presenter.participantId ? who(p.presenter.participantId, p.presenter.fullName) : `${w.presiding} ${p.presenter.fullName}`;
        const shown = (p.shown as { documentId: string; volume: number; sheets: number[] }[]).map((s) => w.sheets(input.documents[s.documentId] ?? s.documentId, s.volume, s.sheets.join(', ')));
        // Written when it ends, it stands where it began: among what was said while it ran.
        const until = courtTime(event.at);
        const began = typeof p.startedAt === 'number' ? Math.min(p.startedAt, event.at) : event.at;
        add(event, shown.length > 0 ? w.presentation(presenter, shown.join('; '), until) : w.presentationNothing(presenter, until), began);
        break;
      }
      case 'motion.filed':
      case 'motion.taken_up': {
        const m = p.motion;
        const kind = w.motionKinds[m.kind] ?? m.kind;
        const filer = who(m.filer.participantId, m.filer.fullName);
        motions.set(m.id, { number: m.number, kind, filer, text: m.text, positions: [], ruling: null });
        add(event, event.type === 'motion.filed' ? w.motionFiled(filer, kind, m.number, m.text) : w.motionTakenUp(filer, kind, m.number));
        break;
      }
      case 'motion.position_stated': {
        const line = w.motionPosition(who(p.participantId, p.fullName), motionNumber(p.motionId), w.positions[p.position] ?? p.position, p.text ?? null);
        motions.get(p.motionId)?.positions.push(line);
        add(event, line);
        break;
      }
      case 'motion.ruled': {
        const line = w.motionRuled(motionNumber(p.motionId), w.rulings[p.ruling] ?? p.ruling, p.reasons);
        const motion = motions.get(p.motionId);
        if (motion) motion.ruling = line;
        add(event, line);
        break;
      }
      case 'recording.started':
      case 'recording.paused':
      case 'recording.resumed':
      case 'recording.stopped':
        add(event, w.recordingEvents[event.type]);
        break;
      // Noticed after the fact: each at the moment media stopped and came back.
      case 'recording.gap_started':
        add(event, w.gap(String(p.label ?? p.trackId ?? '')), typeof p.from === 'number' ? Math.min(p.from, event.at) : event.at);
        break;
      case 'recording.gap_ended':
        add(event, w.gapEnded(String(p.label ?? p.trackId ?? '')), typeof p.to === 'number' ? Math.min(p.to, event.at) : event.at);
        break;
      case 'recording.chain_heads':
        chainHeads = new Map(chainHeads);
        for (const head of p.heads as { trackId: string; seq: number; chain: string }[]) chainHeads.set(head.trackId, head);
        break;
      // Remote participants (issue 6): invited, then admitted from the lobby, sent back, refused, gone.
      case 'remote.invited':
        invited.set(p.participantId, p.role && w.roles[p.role as ParticipantRole] ? `${w.roles[p.role as ParticipantRole]} ${p.fullName}` : p.fullName);
        break;
      case 'remote.admitted':
      case 'remote.left':
      case 'remote.sent_to_lobby':
      case 'remote.refused':
        add(event, w.remoteEvents[event.type.slice('remote.'.length) as 'admitted' | 'left' | 'sent_to_lobby' | 'refused'](who(p.participantId, invited.get(p.participantId) ?? p.participantId)));
        break;
      case 'remote.disconnected':
        add(event, w.remoteDisconnected(who(p.participantId, invited.get(p.participantId) ?? p.participantId), p.reason === 'server_restarted' ? 'server_restarted' : 'connection_lost'));
        break;
      case 'protocol.note_added': {
        const entry: ProtocolEntry = {
          key: `n${p.noteId}`,
          source: 'note',
          type: event.type,
          version: event.version,
          at: p.startedAt,
          recordingMs: recordingTimeAt(spans, p.startedAt),
          time: courtTime(p.startedAt),
          text: p.text,
          speaker: p.speakerParticipantId ? who(p.speakerParticipantId) : null,
          speakerParticipantId: p.speakerParticipantId ?? null,
          noteId: p.noteId,
          edits: 0,
        };
        notes.set(p.noteId, entry);
        entries.push(entry);
        break;
      }
      case 'protocol.note_edited': {
        const note = notes.get(p.noteId);
        if (note) {
          note.text = p.text;
          note.speakerParticipantId = p.speakerParticipantId ?? null;
          note.speaker = p.speakerParticipantId ? who(p.speakerParticipantId) : null;
          note.edits += 1;
        }
        break;
      }
      default:
      // Floor given, positions shown, signatures: the presentation's summary and the signatures say it.
    }
  }

  // A note sits at the moment it was begun; the sort is stable, so entries of one moment keep the log's order.
  entries.sort((a, b) => a.at - b.at || a.version - b.version);
  const byAttendance = (kind: string) =>
    input.participants.filter((q) => q.role !== 'interpreter' && attendance.get(q.id) === kind).map((q) => `${w.roles[q.role]} ${q.fullName}`);
  // Taking part by video is appearing: those who did are among the present, marked so. Leaving later does not undo it.
  const byVideo = byAttendance('remote');
  return {
    hearingId: input.hearingId,
    locale: input.locale,
    version,
    court: input.court,
    hall: input.hall,
    caseNumber: input.caseNumber,
    charge: input.charge,
    date: openedAt === null ? null : courtDate(openedAt),
    openedAt,
    endedAt,
    presidingJudge: input.presidingJudge,
    secretary: input.secretary,
    interpreters: input.participants.filter((q) => q.role === 'interpreter').map((q) => q.fullName),
    present: [...byAttendance('present'), ...byVideo.map(w.byVideo)],
    absent: byAttendance('absent'),
    remote: byVideo,
    recording: { recorded: spans.length > 0, spans, chainHeads: [...chainHeads.values()].sort((a, b) => a.trackId.localeCompare(b.trackId)) },
    entries,
    motions: [...motions.values()],
    outcome,
  };
}

function isoToCourtDate(iso: string): string {
  return `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
}

/** WebVTT chapters for the recording: one cue per entry that falls within it, until the next one. */
export function protocolChapters(protocol: Protocol): string {
  const recorded = protocol.entries.filter((e) => e.recordingMs !== null);
  const stamp = (ms: number) => {
    const h = Math.floor(ms / 3600_000);
    const m = Math.floor((ms % 3600_000) / 60_000);
    const s = Math.floor((ms % 60_000) / 1000);
    const two = (n: number) => String(n).padStart(2, '0');
    return `${two(h)}:${two(m)}:${two(s)}.${String(ms % 1000).padStart(3, '0')}`;
  };
  const cues = recorded.map((e, i) => {
    const from = e.recordingMs!;
    const to = Math.max(from + 1000, recorded[i + 1]?.recordingMs ?? from + 5000);
    return `${e.key}\n${stamp(from)} --> ${stamp(to)}\n${e.text.replace(/\n+/g, ' ').replaceAll('-->', '→')}`;
  });
  return `WEBVTT\n\n${cues.join('\n\n')}\n`;
}

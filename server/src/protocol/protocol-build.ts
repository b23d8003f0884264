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
import type { ParticipantRole } from '../shared/domain.ts';
import type { HearingEvent } from '../shared/hearing/state.ts';
import { recordingSpans, recordingTimeAt } from '../shared/recording-clock.ts';
import { courtDate, courtTime } from '../shared/court-time.ts';
import { WORDS } from './protocol-texts.ts';
import { LANGUAGE_NAMES } from '../shared/hearing/interpreter/languages.ts';
import type { Protocol, ProtocolEntry, ProtocolLocale, ProtocolMotion } from '../shared/api/protocol.ts';

/** What the protocol is built from: the hearing's log, read through its upcaster (shared/hearing/state.ts). */
export type LogEvent = HearingEvent;

export type ProtocolParticipant = { id: string; role: ParticipantRole; fullName: string };

export type ProtocolInput = {
  locale: ProtocolLocale;
  hearingId: string;
  court: string;
  /** The court's time zone (`courts.timezone`): every time and date in the protocol is its wall clock. */
  timeZone: string;
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

/** The remote events that make an entry, and the words each is said with. */
const REMOTE_ENTRY = { 'remote.admitted': 'admitted', 'remote.left': 'left', 'remote.sent_to_lobby': 'sent_to_lobby', 'remote.refused': 'refused' } as const;

/** Every event type is either an entry or listed as none: a new type is a type error here until the protocol says how it reads. */
function unhandled(event: never): never {
  throw new Error(`the protocol does not know the event ${(event as { type: string }).type}`);
}

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
      time: courtTime(input.timeZone, at),
      text,
      speaker: null,
      speakerParticipantId: null,
      noteId: null,
      edits: 0,
    });
  const motionNumber = (id: string) => motions.get(id)?.number ?? '?';
  /** Remote participants by the name they were invited under, for those not (yet) case participants. */
  const invited = new Map<string, string>();

  for (const event of input.events) {
    version = event.version;
    switch (event.type) {
      case 'hearing.opened':
        openedAt = event.at;
        add(event, w.opened_);
        break;
      case 'stage.changed':
        add(event, w.stage(w.stages[event.payload.to]));
        break;
      case 'break.started': {
        const { until, reason } = event.payload;
        add(event, w.breakStarted(until ? courtTime(input.timeZone, until).slice(0, 5) : null, reason));
        break;
      }
      case 'break.ended':
        add(event, w.breakEnded);
        break;
      case 'hearing.adjourned': {
        const { reason, nextDate } = event.payload;
        endedAt = event.at;
        outcome = w.outcomes.adjourned(reason, nextDate ? isoToCourtDate(nextDate) : null);
        add(event, w.adjourned(reason, nextDate ? isoToCourtDate(nextDate) : null));
        break;
      }
      case 'hearing.suspended':
        endedAt = event.at;
        outcome = w.outcomes.suspended(event.payload.reason);
        add(event, w.suspended(event.payload.reason));
        break;
      case 'hearing.ended':
        endedAt = event.at;
        outcome = w.outcomes.finished;
        add(event, w.ended);
        break;
      case 'attendance.recorded': {
        const { participantId, attendance: recorded } = event.payload;
        attendance.set(participantId, recorded);
        add(event, w.attendanceRecorded(who(participantId, participantId), w.attendance[recorded]));
        break;
      }
      case 'identity.established':
        add(event, w.identityEstablished(who(event.payload.participantId, event.payload.fullName), event.payload.document));
        break;
      case 'rights.explained':
        add(event, w.rightsExplained(who(event.payload.participantId, event.payload.fullName)));
        break;
      case 'mark.added':
        add(event, event.payload.text);
        break;
      case 'presentation.ended': {
        const { presenter, startedAt } = event.payload;
        const by = presenter.participantId ? who(presenter.participantId, presenter.fullName) : `${w.presiding} ${presenter.fullName}`;
        const shown = event.payload.shown.map((s) => w.sheets(input.documents[s.documentId] ?? s.documentId, s.volume, s.sheets.join(', ')));
        // Written when it ends, it stands where it began: among what was said while it ran.
        const until = courtTime(input.timeZone, event.at);
        add(event, shown.length > 0 ? w.presentation(by, shown.join('; '), until) : w.presentationNothing(by, until), startedAt);
        break;
      }
      case 'motion.filed':
      case 'motion.taken_up': {
        const m = event.payload.motion;
        const kind = w.motionKinds[m.kind] ?? m.kind;
        const filer = who(m.filer.participantId, m.filer.fullName);
        motions.set(m.id, { number: m.number, kind, filer, text: m.text, positions: [], ruling: null });
        add(event, event.type === 'motion.filed' ? w.motionFiled(filer, kind, m.number, m.text) : w.motionTakenUp(filer, kind, m.number));
        break;
      }
      case 'motion.position_stated': {
        const { participantId, fullName, motionId, position, text } = event.payload;
        const line = w.motionPosition(who(participantId, fullName), motionNumber(motionId), w.positions[position] ?? position, text);
        motions.get(motionId)?.positions.push(line);
        add(event, line);
        break;
      }
      case 'motion.ruled': {
        const { motionId, ruling, reasons } = event.payload;
        const line = w.motionRuled(motionNumber(motionId), w.rulings[ruling] ?? ruling, reasons);
        const motion = motions.get(motionId);
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
        add(event, w.gap(event.payload.label), event.payload.from);
        break;
      case 'recording.gap_ended':
        add(event, w.gapEnded(event.payload.label), event.payload.to);
        break;
      case 'recording.chain_heads':
        chainHeads = new Map(chainHeads);
        for (const head of event.payload.heads) chainHeads.set(head.trackId, head);
        break;
      // Remote participants: invited, then admitted from the lobby, sent back, refused, gone.
      case 'remote.invited': {
        const { participantId, role, fullName } = event.payload;
        invited.set(participantId, w.roles[role] ? `${w.roles[role]} ${fullName}` : fullName);
        break;
      }
      case 'remote.admitted':
      case 'remote.left':
      case 'remote.sent_to_lobby':
      case 'remote.refused': {
        const { participantId } = event.payload;
        add(event, w.remoteEvents[REMOTE_ENTRY[event.type]](who(participantId, invited.get(participantId) ?? participantId)));
        break;
      }
      // The interpreter (shared/hearing/interpreter): appointed with their languages, mode and warning; released.
      case 'interpreter.appointed': {
        const { interpreterId, fullName, forParticipantId, forFullName, languages, mode } = event.payload;
        const names = LANGUAGE_NAMES[input.locale];
        add(event, w.interpreterAppointed(who(interpreterId, fullName), who(forParticipantId, forFullName), `${names[languages.from]} — ${names[languages.to]}`, mode === 'simultaneous'));
        break;
      }
      case 'interpreter.released':
        add(event, w.interpreterReleased(who(event.payload.interpreterId, event.payload.fullName)));
        break;
      case 'remote.disconnected': {
        const { participantId, reason } = event.payload;
        add(event, w.remoteDisconnected(who(participantId, invited.get(participantId) ?? participantId), reason));
        break;
      }
      case 'protocol.note_added': {
        const { noteId, text, speakerParticipantId, startedAt } = event.payload;
        const entry: ProtocolEntry = {
          key: `n${noteId}`,
          source: 'note',
          type: event.type,
          version: event.version,
          at: startedAt,
          recordingMs: recordingTimeAt(spans, startedAt),
          time: courtTime(input.timeZone, startedAt),
          text,
          speaker: speakerParticipantId ? who(speakerParticipantId) : null,
          speakerParticipantId,
          noteId,
          edits: 0,
        };
        notes.set(noteId, entry);
        entries.push(entry);
        break;
      }
      case 'protocol.note_edited': {
        const { noteId, text, speakerParticipantId } = event.payload;
        const note = notes.get(noteId);
        if (note) {
          note.text = text;
          note.speakerParticipantId = speakerParticipantId;
          note.speaker = speakerParticipantId ? who(speakerParticipantId) : null;
          note.edits += 1;
        }
        break;
      }
      // Said elsewhere or not a step of the proceedings: the floor given and the pages turned (the
      // presentation's entry lists what was shown), the protocol's own signatures, a participant's
      // arrival in the lobby, the sources recorded, the court's muting, a private consultation (the
      // defence's, in the log only).
      case 'floor.given':
      case 'position.shown':
      case 'protocol.signed':
      case 'remote.arrived':
      case 'remote.self_tested':
      case 'recording.sources_changed':
      case 'media.muted':
      case 'consultation.requested':
      case 'consultation.opened':
      case 'consultation.closed':
        break;
      default:
        unhandled(event);
    }
  }

  // A note sits at the moment it was begun; the sort is stable, so entries of one moment keep the log's order.
  entries.sort((a, b) => a.at - b.at || a.version - b.version);
  const byAttendance = (kind: string) => input.participants.filter((q) => q.role !== 'interpreter' && attendance.get(q.id) === kind).map((q) => `${w.roles[q.role]} ${q.fullName}`);
  // Taking part by video is appearing: those who did are among the present, marked so. Leaving later does not undo it.
  const byVideo = byAttendance('remote');
  return {
    hearingId: input.hearingId,
    locale: input.locale,
    version,
    court: input.court,
    timeZone: input.timeZone,
    hall: input.hall,
    caseNumber: input.caseNumber,
    charge: input.charge,
    date: openedAt === null ? null : courtDate(input.timeZone, openedAt),
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

/**
 * The live state of a hearing and the events that change it, with the one function that applies
 * an event to a state. The server applies each event before it stores and broadcasts it; every
 * client applies the same events in the same order to its copy, so both hold the same state.
 *
 * Shared by the server, the web app and the tests: pure, and it imports nothing at run time, so it
 * runs in a browser as it runs in Node. Times are UTC milliseconds.
 */
import type { HearingStatus, SignatureInfo, MotionKind, MotionPosition, MotionStatus, MotionSubtype, ParticipantRole, TrialStage } from '../../../db/schema.ts';

export const ATTENDANCE = ['present', 'absent', 'remote'] as const;
/** How a case participant takes part in this hearing, as the secretary records it. */
export type Attendance = (typeof ATTENDANCE)[number];

/**
 * A person's role in one hearing; it decides what they may do (hearing-rules.ts). `court` is the
 * court office and the chair, who follow read-only; `hall_display` is the hall's wall screen.
 * `remote_participant`: someone invited to take part by video (server/src/remote/), once admitted.
 */
export const HEARING_ROLES = ['presiding_judge', 'secretary', 'prosecutor', 'defender', 'court', 'hall_display', 'remote_participant'] as const;
export type HearingRole = (typeof HEARING_ROLES)[number];

/** Who may be given the floor to present: the presiding judge, a prosecutor, a defence lawyer. */
export type PresenterRole = 'judge' | 'prosecutor' | 'defender';
export type Presenter = { userId: string; fullName: string; role: PresenterRole; participantId: string | null };

/** A rectangle on the page, in fractions of the page's width and height (0..1), from the top left. */
export type Region = { x: number; y: number; width: number; height: number };

/**
 * What the presenter shows: a page of a case-file document and, resolved by the server from the
 * inventory, the volume and the sheet of the case file that page is.
 */
export type ShownPosition = { documentId: string; page: number; volume: number; sheet: number; zoom: number; region: Region | null };

/** The floor to present: who has it, and the presentation it opened (ended by `presentation.ended`). */
export type Floor = Presenter & { presentationId: string; since: number; sinceVersion: number };

/** Which sheets of which document a presentation showed, in the order the documents were first shown. */
export type ShownSheets = { documentId: string; volume: number; sheets: number[] };

export type HearingLiveState = {
  /** The number of events applied so far; the next event has `version + 1`. */
  version: number;
  status: HearingStatus;
  stage: TrialStage | null;
  /** When the judge opened the hearing; the secretary's running clock counts from here. */
  openedAt: number | null;
  break: { since: number; until: number | null; reason: string | null } | null;
  /** When and why the hearing ended (adjourned, suspended or finished). */
  endedAt: number | null;
  endReason: string | null;
  /** The date an adjourned hearing is to continue, when the judge named one (YYYY-MM-DD). */
  nextDate: string | null;
  /** Case participant id → attendance. A participant not in the map has not been checked yet. */
  attendance: Record<string, Attendance>;
  floor: Floor | null;
  shown: ShownPosition | null;
  // ---- remote participation (issue 6) ----
  /** Participant id → the remote participant's standing. Absent in states stored before issue 6. */
  remote?: Record<string, RemoteAttendee>;
  /** Who the court has muted: `user:<id>` or `participant:<id>`. */
  mutedByCourt?: string[];
  // ---- end of remote participation ----
  /** The motions filed in this hearing, oldest first, as they stand now (issue 5). */
  motions: HearingMotion[];
  /** The short protocol's secretary notes and signing (issue 8); absent in states stored before it. */
  protocol?: ProtocolLiveState;
  // ---- recording (issue 7) ----
  recording: RecordingLiveState;
  // ---- end recording ----
  // ---- identities and rights (issue 8, item 1) ----
  /** Participant id → whether the court has established their identity and explained their rights. Absent in older states. */
  identification?: Record<string, Identification>;
  // ---- end of identities and rights ----
};

// ---- identities and rights (issue 8, item 1) -----------------------------------------------------
/**
 * In the preparatory part the court establishes who each participant is (by an identity document)
 * and explains their rights; both become entries of the protocol. Each happens once per hearing.
 */
export type Identification = { identified: boolean; rightsExplained: boolean };
export const NOT_IDENTIFIED: Identification = { identified: false, rightsExplained: false };

type IdentityEventBody =
  /** `document`: how identity was established, as typed ("удостоверение личности № …"), or null. */
  | { type: 'identity.established'; payload: { participantId: string; fullName: string; role: ParticipantRole; document: string | null } }
  | { type: 'rights.explained'; payload: { participantId: string; fullName: string; role: ParticipantRole } };

export const IDENTITY_EVENT_TYPES = ['identity.established', 'rights.explained'] as const satisfies readonly IdentityEventBody['type'][];

/** Where a participant stands: a participant not in the map has neither. */
export function identificationOf(state: HearingLiveState, participantId: string): Identification {
  return state.identification?.[participantId] ?? NOT_IDENTIFIED;
}

function applyIdentityEvent(state: HearingLiveState, event: HearingEvent & IdentityEventBody): HearingLiveState {
  const { participantId } = event.payload;
  const current = identificationOf(state, participantId);
  const updated = event.type === 'identity.established' ? { ...current, identified: true } : { ...current, rightsExplained: true };
  return { ...state, identification: { ...state.identification, [participantId]: updated } };
}
// ---- end of identities and rights ----------------------------------------------------------------

// ---- remote participation (issue 6) ---------------------------------------------------------------
/**
 * invited (link sent) → lobby (waiting to be admitted) → live (in the hearing); refused; left (said
 * so); disconnected (their last connection went and did not come back within the grace period, or
 * the server restarted): the court sees them gone and may invite them again.
 */
export const REMOTE_STATUSES = ['invited', 'lobby', 'live', 'refused', 'left', 'disconnected'] as const;
export type RemoteStatus = (typeof REMOTE_STATUSES)[number];
/** Why the server recorded a remote participant as gone: their connection was lost, or the server restarted. */
export type RemoteDisconnectReason = 'connection_lost' | 'server_restarted';
export type RemoteAttendee = { participantId: string; fullName: string; role: ParticipantRole; status: RemoteStatus };
/** Whom the court mutes: a hall user or a remote participant. */
export type MuteTarget = { userId: string | null; participantId: string | null; fullName: string };
export const muteKey = (t: { userId: string | null; participantId: string | null }): string =>
  t.participantId ? `participant:${t.participantId}` : `user:${t.userId}`;
// ---- end of remote participation ---------------------------------------------------------------------

// ---- Motions (issue 5: server/src/motions/, docs/motions.md) -------------------------------------

/** A motion as the hall sees it: what was filed and signed, the parties' positions, the ruling. */
export type HearingMotion = {
  id: string;
  number: number;
  kind: MotionKind;
  subtype: MotionSubtype | null;
  text: string;
  refs: { documentId: string; sheet: number | null }[];
  attachments: { position: number; fileName: string; sha256: string; size: number; pages: number }[];
  filer: { userId: string; fullName: string; role: ParticipantRole; participantId: string };
  filedAt: number;
  /** The receipt the filer got: its number and the SHA-256 of the canonical bytes received. */
  receipt: { number: string; sha256: string };
  /** The signature as the server checked it at filing. */
  signature: { signerName: string; signerIin: string; issuer: string; serialNumber: string; validTo: string };
  status: MotionStatus;
  positions: { participantId: string; fullName: string; role: ParticipantRole; position: MotionPosition; text: string | null; at: number }[];
  ruling: { status: Exclude<MotionStatus, 'filed'>; reasons: string; at: number } | null;
};

export type MotionRuling = Exclude<MotionStatus, 'filed'>;
/** A ruling that leaves nothing more to decide (`deferred` leaves the motion open). */
export const FINAL_RULINGS: readonly MotionRuling[] = ['granted', 'denied', 'granted_in_part'];

export function isOpenMotion(motion: HearingMotion): boolean {
  return motion.status === 'filed' || motion.status === 'deferred';
}

/** The recusal still waiting for a final ruling, if any: nothing else proceeds until it is decided. */
export function pendingRecusal(state: HearingLiveState): HearingMotion | undefined {
  return (state.motions ?? []).find((m) => m.kind === 'recusal' && isOpenMotion(m));
}

type MotionEventBody =
  | { type: 'motion.filed'; payload: { motion: HearingMotion } }
  /** A motion filed outside the hall (from the case page), brought before the court by the presiding judge. */
  | { type: 'motion.taken_up'; payload: { motion: HearingMotion } }
  | {
      type: 'motion.position_stated';
      payload: { motionId: string; participantId: string; fullName: string; role: ParticipantRole; position: MotionPosition; text: string | null };
    }
  | { type: 'motion.ruled'; payload: { motionId: string; ruling: MotionRuling; reasons: string } };

function applyMotionEvent(state: HearingLiveState, event: HearingEvent & MotionEventBody): HearingLiveState {
  const motions = state.motions ?? [];
  const update = (id: string, change: (m: HearingMotion) => HearingMotion) => ({ ...state, motions: motions.map((m) => (m.id === id ? change(m) : m)) });
  switch (event.type) {
    case 'motion.filed':
    case 'motion.taken_up':
      return { ...state, motions: [...motions, event.payload.motion] };
    case 'motion.position_stated': {
      const { motionId, ...position } = event.payload;
      return update(motionId, (m) => ({ ...m, positions: [...m.positions, { ...position, at: event.at }] }));
    }
    case 'motion.ruled':
      return update(event.payload.motionId, (m) => ({
        ...m,
        status: event.payload.ruling,
        ruling: { status: event.payload.ruling, reasons: event.payload.reasons, at: event.at },
      }));
  }
}
// ---- end of motions -------------------------------------------------------------------------------

// ---- The short protocol (issue 8: server/src/protocol/, docs/protocol.md) -------------------------

export const PROTOCOL_STATUSES = ['draft', 'signed_by_secretary', 'signed'] as const;
export type ProtocolStatus = (typeof PROTOCOL_STATUSES)[number];

/**
 * A secretary's note as it stands now. `at` is the moment the secretary began typing it (the
 * moment the note is about), not when it was sent. Earlier wordings stay in the event log.
 */
export type ProtocolNote = { id: string; at: number; text: string; speakerParticipantId: string | null; edits: number };

/**
 * Who signed the protocol, over which PDF (`sha256`, rendered from the log up to `frozenVersion`),
 * the stored CMS signature (`signatureSha256`) and what its check established.
 */
export type ProtocolSignature = { by: 'secretary' | 'judge'; userId: string; fullName: string; sha256: string; signatureSha256: string; at: number; signer: SignatureInfo };

export type ProtocolLiveState = {
  status: ProtocolStatus;
  /**
   * In the order they were added. A client's copy holds them all (its snapshot, then the events);
   * the server's stored state leaves them empty and keeps them as rows of their own
   * (hearings.repository.ts): they grow all day, and a command must not rewrite them.
   */
  notes: ProtocolNote[];
  /** The last version of the log the signed protocol covers (set by the secretary's signature). */
  frozenVersion: number | null;
  pdfSha256: string | null;
  signatures: ProtocolSignature[];
  /** The case-file document the signed protocol became. */
  documentId: string | null;
};

export const EMPTY_PROTOCOL: ProtocolLiveState = { status: 'draft', notes: [], frozenVersion: null, pdfSha256: null, signatures: [], documentId: null };

type ProtocolEventBody =
  | { type: 'protocol.note_added'; payload: { noteId: string; text: string; speakerParticipantId: string | null; startedAt: number } }
  | { type: 'protocol.note_edited'; payload: { noteId: string; text: string; speakerParticipantId: string | null } }
  | { type: 'protocol.signed'; payload: { signature: ProtocolSignature; frozenVersion: number; documentId: string | null } };

function applyProtocolEvent(state: HearingLiveState, event: HearingEvent & ProtocolEventBody): HearingLiveState {
  const protocol = state.protocol ?? EMPTY_PROTOCOL;
  switch (event.type) {
    case 'protocol.note_added': {
      const { noteId, text, speakerParticipantId, startedAt } = event.payload;
      return { ...state, protocol: { ...protocol, notes: [...protocol.notes, { id: noteId, at: startedAt, text, speakerParticipantId, edits: 0 }] } };
    }
    case 'protocol.note_edited': {
      const { noteId, text, speakerParticipantId } = event.payload;
      const notes = protocol.notes.map((n) => (n.id === noteId ? { ...n, text, speakerParticipantId, edits: n.edits + 1 } : n));
      return { ...state, protocol: { ...protocol, notes } };
    }
    case 'protocol.signed': {
      const { signature, frozenVersion, documentId } = event.payload;
      const status: ProtocolStatus = signature.by === 'secretary' ? 'signed_by_secretary' : 'signed';
      return { ...state, protocol: { ...protocol, status, frozenVersion, pdfSha256: signature.sha256, signatures: [...protocol.signatures, signature], documentId } };
    }
  }
}
// ---- end of the short protocol --------------------------------------------------------------------
// ---- recording (issue 7) -------------------------------------------------------------------------

/**
 * Whether the hearing is being recorded, as every screen and the hall display show it.
 * `off` before the first start; `stopped` after a stop (it may start again).
 */
export type RecordingStatus = 'off' | 'recording' | 'paused' | 'stopped';
/** Why recording is paused: by hand, or by the rules (a break; the deliberation room is never recorded). */
export type RecordingPauseReason = 'manual' | 'break' | 'deliberation';
export type RecordingStopReason = 'manual' | 'hearing_ended';
export type RecordingGapReason = 'recorder_died' | 'no_media' | 'source_lost' | 'late_start';
export type RecordingGap = { gapId: string; trackId: string; sourceId: string; label: string; reason: RecordingGapReason; from: number };

export type RecordingLiveState = {
  status: RecordingStatus;
  since: number | null;
  pauseReason: RecordingPauseReason | null;
  /** Sources live in the hall's media room when recording (re)started; 0 when there is no media room yet. */
  sources: number;
  /** Tracks that miss media right now (a recorder restarting, a participant who dropped out). */
  openGaps: RecordingGap[];
};

export const RECORDING_OFF: RecordingLiveState = { status: 'off', since: null, pauseReason: null, sources: 0, openGaps: [] };

export type RecordingEventBody =
  | { type: 'recording.started'; payload: { sources: number } }
  | { type: 'recording.paused'; payload: { reason: RecordingPauseReason } }
  | { type: 'recording.resumed'; payload: { sources: number } }
  | { type: 'recording.stopped'; payload: { reason: RecordingStopReason } }
  /** The number of sources being recorded changed (a room plugged in, a participant joined or left). */
  | { type: 'recording.sources_changed'; payload: { sources: number } }
  | { type: 'recording.gap_started'; payload: RecordingGap }
  | { type: 'recording.gap_ended'; payload: RecordingGap & { to: number } }
  /** The hash chain's head of each track that moved (docs/recording.md): what the verifier checks the manifest against. */
  | { type: 'recording.chain_heads'; payload: { heads: { trackId: string; seq: number; chain: string }[] } };

export const RECORDING_EVENT_TYPES = [
  'recording.started',
  'recording.paused',
  'recording.resumed',
  'recording.stopped',
  'recording.sources_changed',
  'recording.gap_started',
  'recording.gap_ended',
  'recording.chain_heads',
] as const satisfies readonly RecordingEventBody['type'][];

function applyRecordingEvent(state: HearingLiveState, event: HearingEvent & RecordingEventBody): HearingLiveState {
  const recording = state.recording ?? RECORDING_OFF;
  switch (event.type) {
    case 'recording.started':
    case 'recording.resumed':
      return { ...state, recording: { ...recording, status: 'recording', since: event.at, pauseReason: null, sources: event.payload.sources } };
    case 'recording.paused':
      return { ...state, recording: { ...recording, status: 'paused', since: event.at, pauseReason: event.payload.reason } };
    case 'recording.stopped':
      return { ...state, recording: { ...recording, status: 'stopped', since: event.at, pauseReason: null } };
    case 'recording.sources_changed':
      return { ...state, recording: { ...recording, sources: event.payload.sources } };
    case 'recording.gap_started':
      return { ...state, recording: { ...recording, openGaps: [...recording.openGaps.filter((g) => g.gapId !== event.payload.gapId), event.payload] } };
    case 'recording.gap_ended':
      return { ...state, recording: { ...recording, openGaps: recording.openGaps.filter((g) => g.gapId !== event.payload.gapId) } };
    case 'recording.chain_heads':
      return state;
  }
}

// ---- end recording -------------------------------------------------------------------------------

export type PresentationEndReason = 'ended' | 'passed' | 'break' | 'deliberation' | 'hearing_ended';

/** The events of the hearing's log, named in the past tense. */
export type HearingEventBody =
  | { type: 'hearing.opened'; payload: Record<string, never> }
  | { type: 'stage.changed'; payload: { from: TrialStage; to: TrialStage } }
  | { type: 'break.started'; payload: { until: number | null; reason: string | null } }
  | { type: 'break.ended'; payload: Record<string, never> }
  | { type: 'hearing.adjourned'; payload: { reason: string; nextDate: string | null } }
  | { type: 'hearing.suspended'; payload: { reason: string } }
  | { type: 'hearing.ended'; payload: Record<string, never> }
  | { type: 'attendance.recorded'; payload: { participantId: string; attendance: Attendance; previous: Attendance | null } }
  /** `clock` is the time since the hearing opened, in milliseconds: the running clock of the secretary. */
  | { type: 'mark.added'; payload: { text: string; clock: number } }
  | { type: 'floor.given'; payload: { presenter: Presenter; presentationId: string } }
  | { type: 'position.shown'; payload: { presentationId: string; position: ShownPosition } }
  | {
      type: 'presentation.ended';
      payload: { presentationId: string; presenter: Presenter; startedAt: number; reason: PresentationEndReason; shown: ShownSheets[] };
    }
  | MotionEventBody
  | ProtocolEventBody
  // ---- recording (issue 7) ----
  | RecordingEventBody
  // ---- identities and rights (issue 8, item 1) ----
  | IdentityEventBody
  // ---- remote participation (issue 6) ----
  | { type: 'remote.invited'; payload: { participantId: string; fullName: string; role: ParticipantRole; expiresAt: number; channels: string[] } }
  | { type: 'remote.arrived'; payload: { participantId: string } }
  | { type: 'remote.admitted'; payload: { participantId: string } }
  | { type: 'remote.refused'; payload: { participantId: string } }
  | { type: 'remote.sent_to_lobby'; payload: { participantId: string } }
  | { type: 'remote.left'; payload: { participantId: string } }
  /** Observed by the server (actor `system`): the participant's pages all went and none came back in time. */
  | { type: 'remote.disconnected'; payload: { participantId: string; reason: RemoteDisconnectReason } }
  | { type: 'media.muted'; payload: { target: MuteTarget; muted: boolean } };
  // ---- end of remote participation ----

export type HearingEventType = HearingEventBody['type'];

export const HEARING_EVENT_TYPES = [
  'hearing.opened',
  'stage.changed',
  'break.started',
  'break.ended',
  'hearing.adjourned',
  'hearing.suspended',
  'hearing.ended',
  'attendance.recorded',
  'mark.added',
  'floor.given',
  'position.shown',
  'presentation.ended',
  // ---- remote participation (issue 6) ----
  'remote.invited',
  'remote.arrived',
  'remote.admitted',
  'remote.refused',
  'remote.sent_to_lobby',
  'remote.left',
  'remote.disconnected',
  'media.muted',
  'motion.filed',
  'motion.taken_up',
  'motion.position_stated',
  'motion.ruled',
  'protocol.note_added',
  'protocol.note_edited',
  'protocol.signed',
  // ---- recording (issue 7) ----
  ...RECORDING_EVENT_TYPES,
  // ---- identities and rights (issue 8, item 1) ----
  ...IDENTITY_EVENT_TYPES,
] as const satisfies readonly HearingEventType[];

/** `system` (with an empty userId) is the server itself: recording gaps and chain heads, remote participants' lost connections. */
export type EventActor = { userId: string; fullName: string; role: HearingRole | 'system' };

/** One entry of the log, as stored and as broadcast. */
export type HearingEvent = HearingEventBody & { hearingId: string; version: number; at: number; actor: EventActor };

/** Statuses after which nothing more happens in this hearing. */
export const ENDED_STATUSES: readonly HearingStatus[] = ['adjourned', 'suspended', 'finished'];

export function isEnded(status: HearingStatus): boolean {
  return ENDED_STATUSES.includes(status);
}

/** The state of a hearing nobody has opened yet, from what its row says. */
export function initialLiveState(hearing: { version: number; status: HearingStatus; stage: TrialStage | null }): HearingLiveState {
  return {
    version: hearing.version,
    status: hearing.status,
    stage: hearing.stage,
    openedAt: null,
    break: null,
    endedAt: null,
    endReason: null,
    nextDate: null,
    attendance: {},
    floor: null,
    shown: null,
    motions: [],
    protocol: EMPTY_PROTOCOL,
    recording: RECORDING_OFF,
    identification: {},
  };
}

/**
 * The state after `event`. Assumes the event is valid for the state (the server decided it with
 * hearing-rules.ts) and is the next one (`event.version === state.version + 1`; callers check).
 * Never mutates `state`.
 */
export function applyEvent(state: HearingLiveState, event: HearingEvent): HearingLiveState {
  const next: HearingLiveState = { ...state, version: event.version };
  switch (event.type) {
    case 'hearing.opened':
      return { ...next, status: 'in_progress', stage: 'preparatory', openedAt: event.at };
    case 'stage.changed':
      return { ...next, stage: event.payload.to };
    case 'break.started':
      return { ...next, status: 'break', break: { since: event.at, until: event.payload.until, reason: event.payload.reason } };
    case 'break.ended':
      return { ...next, status: 'in_progress', break: null };
    case 'hearing.adjourned':
      return { ...ended(next, 'adjourned', event.at, event.payload.reason), nextDate: event.payload.nextDate };
    case 'hearing.suspended':
      return ended(next, 'suspended', event.at, event.payload.reason);
    case 'hearing.ended':
      return ended(next, 'finished', event.at, null);
    case 'attendance.recorded':
      return { ...next, attendance: { ...state.attendance, [event.payload.participantId]: event.payload.attendance } };
    case 'mark.added':
      return next;
    case 'floor.given':
      return {
        ...next,
        floor: { ...event.payload.presenter, presentationId: event.payload.presentationId, since: event.at, sinceVersion: event.version },
        shown: null,
      };
    case 'position.shown':
      return { ...next, shown: event.payload.position };
    case 'presentation.ended':
      return { ...next, floor: null, shown: null };
    // ---- remote participation (issue 6) ----
    case 'remote.invited': {
      const { participantId, fullName, role } = event.payload;
      return { ...next, remote: { ...state.remote, [participantId]: { participantId, fullName, role, status: 'invited' } } };
    }
    case 'remote.arrived':
      return withRemoteStatus(next, event.payload.participantId, 'lobby');
    case 'remote.admitted':
      return withRemoteStatus(next, event.payload.participantId, 'live');
    case 'remote.refused':
      return withRemoteStatus(next, event.payload.participantId, 'refused');
    case 'remote.sent_to_lobby':
      return withRemoteStatus(next, event.payload.participantId, 'lobby');
    case 'remote.left':
      return withRemoteStatus(next, event.payload.participantId, 'left');
    case 'remote.disconnected':
      return withRemoteStatus(next, event.payload.participantId, 'disconnected');
    case 'media.muted': {
      const key = muteKey(event.payload.target);
      const others = (state.mutedByCourt ?? []).filter((k) => k !== key);
      return { ...next, mutedByCourt: event.payload.muted ? [...others, key] : others };
    }
    // ---- end of remote participation ----
    case 'motion.filed':
    case 'motion.taken_up':
    case 'motion.position_stated':
    case 'motion.ruled':
      return applyMotionEvent(next, event);
    case 'protocol.note_added':
    case 'protocol.note_edited':
    case 'protocol.signed':
      return applyProtocolEvent(next, event);
    case 'recording.started':
    case 'recording.paused':
    case 'recording.resumed':
    case 'recording.stopped':
    case 'recording.sources_changed':
    case 'recording.gap_started':
    case 'recording.gap_ended':
    case 'recording.chain_heads':
      return applyRecordingEvent(next, event);
    // ---- identities and rights (issue 8, item 1) ----
    case 'identity.established':
    case 'rights.explained':
      return applyIdentityEvent(next, event);
    default:
      return unreachable(event);
  }
}

function withRemoteStatus(state: HearingLiveState, participantId: string, status: RemoteStatus): HearingLiveState {
  const attendee = state.remote?.[participantId];
  if (!attendee) return state;
  return { ...state, remote: { ...state.remote, [participantId]: { ...attendee, status } } };
}

/** The events that change a hearing's status (opened, broken off, resumed, ended): what the situation centre counts. */
export const STATUS_EVENTS: ReadonlySet<HearingEventType> = new Set(['hearing.opened', 'break.started', 'break.ended', 'hearing.adjourned', 'hearing.suspended', 'hearing.ended']);

function ended(state: HearingLiveState, status: HearingStatus, at: number, reason: string | null): HearingLiveState {
  return { ...state, status, break: null, endedAt: at, endReason: reason, floor: null, shown: null };
}

function unreachable(event: never): never {
  throw new Error(`unknown hearing event ${(event as { type: string }).type}`);
}

// ---- What a client receives when it joins --------------------------------------------------------

export type Localized = { kk: string; ru: string; en: string };

/** A case participant as the hearing shows them; `userId` is set for those who log in (prosecutor, lawyer). */
export type HearingParticipant = { id: string; role: ParticipantRole; fullName: string; userId: string | null };

/** What does not change while the hearing runs: the case, the hall, the court's composition, the participants. */
export type HearingInfo = {
  id: string;
  caseId: string;
  caseNumber: string;
  scheduledAt: number;
  /** A closed hearing (закрытое заседание): no public. */
  closed: boolean;
  hall: { id: string; name: Localized };
  presidingJudge: { id: string; fullName: string };
  secretary: { id: string; fullName: string } | null;
  participants: HearingParticipant[];
};

/** The whole picture: sent on joining, and on a resync the missing events cannot cover. */
export type HearingSnapshot = {
  hearing: HearingInfo;
  state: HearingLiveState;
  /** The last events of the log (at most RECENT_EVENTS), oldest first; older ones through `hearing:history`. */
  recentEvents: HearingEvent[];
  /** Who is asking, and as what. */
  you: { userId: string; role: HearingRole; participantId: string | null };
  /** The server's clock when the snapshot was made, so a client can run the hearing's clock in server time. */
  serverTime: number;
};

export const RECENT_EVENTS = 50;

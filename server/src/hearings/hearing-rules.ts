/**
 * What may happen next in a hearing, and who may make it happen: each command either becomes the
 * events that record it or is refused with a whitelisted code. Pure (the few facts it needs from
 * the database come through `DecisionContext`), so the rules are tested without a server, and the
 * web app can import the tables below to offer only the steps the server will accept.
 *
 * The order of the main trial (../shared/docs/domain.md): preparatory part → judicial
 * investigation → pleadings → last word → deliberation → announcement. The court may resume the
 * judicial investigation from the pleadings, the last word or the deliberation room (new evidence),
 * and nothing else goes backwards. Breaks, adjournment and suspension may come at any stage.
 */
import type { MotionPosition, ParticipantRole, TrialStage } from '../../../db/schema.ts';
import { AppError } from '../http/errors.ts';
import {
  isEnded,
  isOpenMotion,
  pendingRecusal,
  type HearingMotion,
  type MotionRuling,
  type ProtocolNote,
  type ProtocolSignature,
  EMPTY_PROTOCOL,
  type Attendance,
  type HearingEventBody,
  type HearingLiveState,
  identificationOf,
  type Presenter,
  type PresentationEndReason,
  type Region,
  type ShownPosition,
  type ShownSheets,
} from './hearing-state.ts';
import { decideRemote, type RemoteCommand } from '../remote/remote-rules.ts';

/** The stages the presiding judge may move to from each stage. */
export const STAGE_TRANSITIONS: Record<TrialStage, readonly TrialStage[]> = {
  preparatory: ['investigation'],
  investigation: ['pleadings'],
  pleadings: ['last_word', 'investigation'],
  last_word: ['deliberation', 'investigation'],
  deliberation: ['announcement', 'investigation'],
  announcement: [],
};

export type FloorTarget = { kind: 'judge' } | { kind: 'participant'; participantId: string };

export type HearingCommand =
  | { type: 'open' }
  | { type: 'move_stage'; to: TrialStage }
  | { type: 'start_break'; until: number | null; reason: string | null }
  | { type: 'end_break' }
  | { type: 'adjourn'; reason: string; nextDate: string | null }
  | { type: 'suspend'; reason: string }
  | { type: 'end' }
  | { type: 'record_attendance'; participantId: string; attendance: Attendance }
  | { type: 'add_mark'; text: string }
  | { type: 'give_floor'; to: FloorTarget }
  | { type: 'end_floor' }
  | { type: 'show'; documentId: string; page: number; zoom: number; region: Region | null }
  // ---- remote participation (issue 6): server/src/remote/remote-rules.ts ----
  | RemoteCommand
  // Motions (issue 5): filed through the motions service, which has already checked the signature.
  | { type: 'file_motion'; motion: HearingMotion }
  | { type: 'take_up_motion'; motion: HearingMotion }
  | { type: 'state_position'; motionId: string; position: MotionPosition; text: string | null }
  | { type: 'rule_motion'; motionId: string; ruling: MotionRuling; reasons: string }
  // The short protocol (issue 8). Signing comes through the protocol service, which has checked the signature.
  | { type: 'add_protocol_note'; text: string; speakerParticipantId: string | null; startedAt: number }
  | { type: 'edit_protocol_note'; noteId: string; text: string; speakerParticipantId: string | null }
  | { type: 'sign_protocol'; signature: ProtocolSignature; frozenVersion: number; documentId: string | null }
  // ---- recording (issue 7) ----
  | { type: 'start_recording' }
  | { type: 'pause_recording' }
  | { type: 'resume_recording' }
  | { type: 'stop_recording' }
  // ---- identities and rights (issue 8, item 1) ----
  | { type: 'establish_identity'; participantId: string; document: string | null }
  | { type: 'explain_rights'; participantId: string };

/**
 * Whether a command's commit is flushed to the disk (fsync) before anyone hears of it. Every
 * command is written to the database first, so a server that is killed comes back with it; all
 * but one are also flushed, so not even a power cut takes an act of the court a screen has shown.
 * The exception is the presenter's position (`show`): paging through a volume sends several a
 * second, the whole hall waits for each, and one flush on a busy disk can stall for tens of
 * milliseconds. Its commit reaches the disk with the next flushed one, or within a second through
 * the WAL checkpointer; a power cut may take that last second of pages, never anything before an
 * act that survived (docs/realtime-protocol.md, "Durability and speed").
 */
export function flushedBeforeBroadcast(command: HearingCommand): boolean {
  return command.type !== 'show';
}

/** Who may file motions and state positions on them: the parties (issue 5). */
export const PARTY_ROLES: readonly ParticipantRole[] = [
  'prosecutor',
  'defender',
  'defendant',
  'victim',
  'victim_representative',
  'civil_plaintiff',
  'civil_defendant',
  'legal_representative',
];

/** A case-file document as far as showing it goes: where its pages sit in the volumes. */
export type ShowableDocument = { id: string; kind: 'pdf' | 'electronic' | 'media'; volume: number; sheetFrom: number | null; pages: number | null };

export type DecisionContext = {
  state: HearingLiveState;
  /** `participantId`: the case participant the actor sits as (a prosecutor, a lawyer), if any. */
  actor: { userId: string; fullName: string; participantId?: string | null };
  /** Read from the hearing's row at the time of the command: assignments may change between hearings. */
  presidingJudgeId: string;
  secretaryId: string | null;
  now: number;
  participant(id: string): { id: string; role: ParticipantRole; fullName: string; userId: string | null } | undefined;
  fullNameOf(userId: string): string;
  document(id: string): ShowableDocument | undefined;
  /** A secretary's note of the protocol as it stands (`state.protocol.notes` is empty on the server: the notes are kept apart). */
  protocolNote(id: string): ProtocolNote | undefined;
  /** The sheets shown since the presentation began (read from the log when it ends). */
  shownDuring(sinceVersion: number): ShownSheets[];
  newId(): string;
  // ---- recording (issue 7) ----
  /** How many sources the hearing's media room has now (0 when it has none yet). */
  recordingSources(): number;
  /** Set when the actor is a remote participant (their case participant id); null for hall users. */
  remoteParticipantId?: string | null;
  /** The server itself acts (a remote participant's connection lost, a restart): no person, no seat. */
  system?: boolean;
};

/** The furthest ahead a break may be announced to last (a break may run to another day). */
const MAX_BREAK_MS = 31 * 86_400_000;

/**
 * The events that carry out `command`, in order; an empty list when it changes nothing (the same
 * attendance recorded twice, the same page shown again). Throws AppError:
 * `forbidden_action` (not this person's to do), `not_presenter` (showing without the floor),
 * `invalid_transition` (not at this point of the hearing), `invalid_request`, `not_found`.
 */
export function decide(command: HearingCommand, ctx: DecisionContext): HearingEventBody[] {
  const { state } = ctx;
  switch (command.type) {
    case 'open':
      requireJudge(ctx);
      if (state.status !== 'scheduled') throw transition('The hearing has already been opened');
      return [{ type: 'hearing.opened', payload: {} }];

    case 'move_stage': {
      requireJudge(ctx);
      requireStatus(state, 'in_progress');
      requireNoRecusalPending(state);
      const from = state.stage!;
      if (!STAGE_TRANSITIONS[from].includes(command.to)) throw transition(`The hearing cannot move from ${from} to ${command.to}`);
      // The hall waits while the court deliberates: nobody presents.
      const ending = command.to === 'deliberation' ? endPresentation(ctx, 'deliberation') : [];
      // The deliberation room is never recorded; leaving it, recording picks up where it was.
      const recording = command.to === 'deliberation' ? pauseRecording(ctx, 'deliberation') : resumeRecording(ctx, 'deliberation');
      const changed: HearingEventBody = { type: 'stage.changed', payload: { from, to: command.to } };
      return command.to === 'deliberation' ? [...ending, ...recording, changed] : [...ending, changed, ...recording];
    }

    case 'start_break': {
      requireJudge(ctx);
      requireStatus(state, 'in_progress');
      if (command.until !== null && (command.until <= ctx.now || command.until > ctx.now + MAX_BREAK_MS)) {
        throw new AppError('invalid_request', 'A break ends in the future, within 31 days');
      }
      return [
        ...endPresentation(ctx, 'break'),
        ...pauseRecording(ctx, 'break'),
        { type: 'break.started', payload: { until: command.until, reason: command.reason } },
      ];
    }

    case 'end_break':
      requireJudge(ctx);
      requireStatus(state, 'break');
      return [{ type: 'break.ended', payload: {} }, ...resumeRecording(ctx, 'break')];

    case 'adjourn':
      requireJudge(ctx);
      requireSitting(state);
      return [...endPresentation(ctx, 'hearing_ended'), ...stopRecording(ctx), { type: 'hearing.adjourned', payload: { reason: command.reason, nextDate: command.nextDate } }];

    case 'suspend':
      requireJudge(ctx);
      requireSitting(state);
      return [...endPresentation(ctx, 'hearing_ended'), ...stopRecording(ctx), { type: 'hearing.suspended', payload: { reason: command.reason } }];

    case 'end':
      requireJudge(ctx);
      requireStatus(state, 'in_progress');
      if (state.stage !== 'announcement') throw transition('A hearing ends after the decision is announced; otherwise adjourn or suspend it');
      return [...endPresentation(ctx, 'hearing_ended'), ...stopRecording(ctx), { type: 'hearing.ended', payload: {} }];

    case 'record_attendance': {
      requireSecretary(ctx);
      if (isEnded(state.status)) throw transition('The hearing has ended');
      if (!ctx.participant(command.participantId)) throw new AppError('not_found', 'No such participant in this case');
      const previous = state.attendance[command.participantId] ?? null;
      if (previous === command.attendance) return [];
      return [{ type: 'attendance.recorded', payload: { participantId: command.participantId, attendance: command.attendance, previous } }];
    }

    case 'add_mark':
      requireSecretary(ctx);
      requireSitting(state);
      return [{ type: 'mark.added', payload: { text: command.text, clock: ctx.now - state.openedAt! } }];

    case 'give_floor': {
      requireJudge(ctx);
      requireStatus(state, 'in_progress');
      if (state.stage === 'deliberation') throw transition('Nobody presents while the court deliberates');
      requireNoRecusalPending(state);
      const presenter = presenterOf(command.to, ctx);
      if (state.floor && samePresenter(state.floor, presenter)) return [];
      return [...endPresentation(ctx, 'passed'), { type: 'floor.given', payload: { presenter, presentationId: ctx.newId() } }];
    }

    case 'end_floor': {
      const { floor } = state;
      const isJudge = ctx.actor.userId === ctx.presidingJudgeId;
      if (!isJudge && floor?.userId !== ctx.actor.userId) throw new AppError('not_presenter', 'Only the presenter or the presiding judge ends a presentation');
      if (!floor) throw transition('Nobody has the floor');
      return endPresentation(ctx, 'ended');
    }

    case 'show': {
      if (state.floor?.userId !== ctx.actor.userId) throw new AppError('not_presenter', 'Only the person who has the floor changes what is shown');
      requireStatus(state, 'in_progress');
      requireNoRecusalPending(state);
      const position = positionOf(command, ctx);
      if (state.shown && samePosition(state.shown, position)) return [];
      return [{ type: 'position.shown', payload: { presentationId: state.floor.presentationId, position } }];
    }

    // ---- remote participation (issue 6) ----
    case 'invite_remote':
    case 'remote_arrive':
    case 'remote_leave':
    case 'admit_remote':
    case 'refuse_remote':
    case 'send_remote_to_lobby':
    case 'mute':
    case 'remote_disconnect':
      return decideRemote(command, ctx);
    case 'file_motion':
    case 'take_up_motion':
    case 'state_position':
    case 'rule_motion':
      return decideMotion(command, ctx);
    // ---- recording (issue 7) ----
    case 'start_recording':
    case 'pause_recording':
    case 'resume_recording':
    case 'stop_recording':
      return decideRecording(command.type, ctx);
    // ---- identities and rights (issue 8, item 1) ----
    case 'establish_identity':
    case 'explain_rights':
      return decideIdentity(command, ctx);

    case 'add_protocol_note':
    case 'edit_protocol_note':
    case 'sign_protocol':
      return decideProtocol(command, ctx);

    default:
      return unreachable(command);
  }
}

// ---- Motions (issue 5) ----------------------------------------------------------------------------

function decideMotion(command: Extract<HearingCommand, { type: 'file_motion' | 'take_up_motion' | 'state_position' | 'rule_motion' }>, ctx: DecisionContext): HearingEventBody[] {
  const { state } = ctx;
  switch (command.type) {
    case 'file_motion': {
      const { motion } = command;
      const filer = ctx.participant(motion.filer.participantId);
      // ---- parties file motions (branch parties): a remote party files as themself, once admitted ----
      const remote = ctx.remoteParticipantId ?? null;
      const self = remote ? filer?.id === remote : filer?.userId === ctx.actor.userId;
      if (!filer || !self || !PARTY_ROLES.includes(filer.role)) throw new AppError('not_a_party', 'Only a party of the case files motions');
      if (remote && state.remote?.[remote]?.status !== 'live') throw new AppError('not_admitted', 'Only a participant the court has admitted files a motion in the hearing');
      requireSitting(state);
      return [{ type: 'motion.filed', payload: { motion } }];
    }
    case 'take_up_motion': {
      // The motions service found it in this hearing's case, filed outside any hearing.
      requireJudge(ctx);
      requireSitting(state);
      const { motion } = command;
      if ((state.motions ?? []).some((m) => m.id === motion.id)) throw transition('The motion is already before the court');
      if (!isOpenMotion(motion)) throw new AppError('motion_already_ruled', `The motion was already ruled on (${motion.status})`);
      return [{ type: 'motion.taken_up', payload: { motion } }];
    }
    case 'state_position': {
      const motion = openMotion(state, command.motionId);
      const participant = ctx.actor.participantId ? ctx.participant(ctx.actor.participantId) : undefined;
      if (!participant || participant.userId !== ctx.actor.userId || !PARTY_ROLES.includes(participant.role)) {
        throw new AppError('not_a_party', 'Only a party of the case states a position on a motion');
      }
      requireSitting(state);
      if (motion.filer.participantId === participant.id) throw new AppError('invalid_request', 'The filer does not state a position on their own motion');
      if (motion.positions.some((p) => p.participantId === participant.id)) throw new AppError('position_already_stated', 'This party has already stated its position');
      return [
        {
          type: 'motion.position_stated',
          payload: { motionId: motion.id, participantId: participant.id, fullName: participant.fullName, role: participant.role, position: command.position, text: command.text },
        },
      ];
    }
    case 'rule_motion': {
      requireJudge(ctx);
      const motion = openMotion(state, command.motionId);
      requireSitting(state);
      const recusal = pendingRecusal(state);
      if (recusal && recusal.id !== motion.id) throw new AppError('recusal_pending', `Recusal no. ${recusal.number} is decided first`);
      return [{ type: 'motion.ruled', payload: { motionId: motion.id, ruling: command.ruling, reasons: command.reasons } }];
    }
  }
}

/** The motion, still to be decided; `not_found`, or `motion_already_ruled` after a final ruling. */
function openMotion(state: HearingLiveState, motionId: string): HearingMotion {
  const motion = (state.motions ?? []).find((m) => m.id === motionId);
  if (!motion) throw new AppError('not_found', 'No such motion in this hearing');
  if (!isOpenMotion(motion)) throw new AppError('motion_already_ruled', `The motion was already ruled on (${motion.status})`);
  return motion;
}

/** A recusal waiting for its ruling stops the hearing's procedural steps (stage, presentation, other rulings). */
function requireNoRecusalPending(state: HearingLiveState): void {
  const recusal = pendingRecusal(state);
  if (recusal) throw new AppError('recusal_pending', `Recusal no. ${recusal.number} must be decided first`);
}

// ---- end of motions -------------------------------------------------------------------------------
// ---- recording (issue 7) -------------------------------------------------------------------------

/**
 * Start, pause, resume and stop, by the secretary or the presiding judge. Recording runs only while
 * the hearing sits: never on a break and never in the deliberation room (those pause it, and
 * resume it when they end, in the commands above).
 */
function decideRecording(type: 'start_recording' | 'pause_recording' | 'resume_recording' | 'stop_recording', ctx: DecisionContext): HearingEventBody[] {
  const isClerkOrJudge = ctx.actor.userId === ctx.presidingJudgeId || (ctx.secretaryId !== null && ctx.actor.userId === ctx.secretaryId);
  if (!isClerkOrJudge) throw new AppError('forbidden_action', 'Only the secretary or the presiding judge controls the recording');
  const { state } = ctx;
  const status = state.recording.status;
  const sitting = () => {
    requireStatus(state, 'in_progress');
    if (state.stage === 'deliberation') throw new AppError('recording_not_allowed', 'The deliberation room is never recorded');
  };
  switch (type) {
    case 'start_recording':
      if (status === 'recording' || status === 'paused') throw transition('The recording is already running; resume it if paused');
      sitting();
      return [{ type: 'recording.started', payload: { sources: ctx.recordingSources() } }];
    case 'pause_recording':
      if (status !== 'recording') throw transition('The recording is not running');
      return [{ type: 'recording.paused', payload: { reason: 'manual' } }];
    case 'resume_recording':
      if (status !== 'paused') throw transition('The recording is not paused');
      sitting();
      return [{ type: 'recording.resumed', payload: { sources: ctx.recordingSources() } }];
    case 'stop_recording':
      if (status !== 'recording' && status !== 'paused') throw transition('The recording is not running');
      return [{ type: 'recording.stopped', payload: { reason: 'manual' } }];
  }
}

function pauseRecording(ctx: DecisionContext, reason: 'break' | 'deliberation'): HearingEventBody[] {
  return ctx.state.recording.status === 'recording' ? [{ type: 'recording.paused', payload: { reason } }] : [];
}

/** Resumes a recording the rules paused for `reason` (a manual pause stays until someone resumes). */
function resumeRecording(ctx: DecisionContext, reason: 'break' | 'deliberation'): HearingEventBody[] {
  const { recording } = ctx.state;
  return recording.status === 'paused' && recording.pauseReason === reason ? [{ type: 'recording.resumed', payload: { sources: ctx.recordingSources() } }] : [];
}

function stopRecording(ctx: DecisionContext): HearingEventBody[] {
  const { status } = ctx.state.recording;
  return status === 'recording' || status === 'paused' ? [{ type: 'recording.stopped', payload: { reason: 'hearing_ended' } }] : [];
}

// ---- end recording -------------------------------------------------------------------------------

// ---- The short protocol (issue 8) -----------------------------------------------------------------

/** How far before the hearing opened, or ahead of the server's clock, a note's start may claim to be (clock skew). */
const NOTE_CLOCK_SLACK_MS = 60_000;

function decideProtocol(command: Extract<HearingCommand, { type: 'add_protocol_note' | 'edit_protocol_note' | 'sign_protocol' }>, ctx: DecisionContext): HearingEventBody[] {
  const { state } = ctx;
  const protocol = state.protocol ?? EMPTY_PROTOCOL;
  switch (command.type) {
    case 'add_protocol_note': {
      requireSecretary(ctx);
      if (state.openedAt === null) throw transition('The protocol starts when the hearing is opened');
      requireDraft(protocol.status);
      requireSpeaker(ctx, command.speakerParticipantId);
      const { startedAt } = command;
      if (startedAt > ctx.now + NOTE_CLOCK_SLACK_MS || startedAt < state.openedAt - NOTE_CLOCK_SLACK_MS) {
        throw new AppError('invalid_request', 'The note must start between the opening of the hearing and now');
      }
      // Within the slack, a skewed clock is corrected rather than refused.
      const at = Math.min(ctx.now, Math.max(state.openedAt, startedAt));
      return [{ type: 'protocol.note_added', payload: { noteId: ctx.newId(), text: command.text, speakerParticipantId: command.speakerParticipantId, startedAt: at } }];
    }
    case 'edit_protocol_note': {
      requireSecretary(ctx);
      requireDraft(protocol.status);
      const note = ctx.protocolNote(command.noteId);
      if (!note) throw new AppError('not_found', 'No such note in the protocol');
      requireSpeaker(ctx, command.speakerParticipantId);
      if (note.text === command.text && note.speakerParticipantId === command.speakerParticipantId) return [];
      return [{ type: 'protocol.note_edited', payload: { noteId: note.id, text: command.text, speakerParticipantId: command.speakerParticipantId } }];
    }
    case 'sign_protocol': {
      const { signature } = command;
      if (signature.by === 'secretary') {
        requireSecretary(ctx);
        if (protocol.status !== 'draft') throw new AppError('protocol_already_signed', 'The secretary has already signed the protocol');
        if (!isEnded(state.status)) throw transition('The protocol is signed after the hearing has ended');
        if (command.frozenVersion !== state.version) throw new AppError('stale_version', 'The protocol changed since it was rendered');
      } else {
        requireJudge(ctx);
        if (protocol.status === 'signed') throw new AppError('protocol_already_signed', 'The judge has already signed the protocol');
        if (protocol.status !== 'signed_by_secretary') throw transition('The secretary signs the protocol first');
        if (command.frozenVersion !== protocol.frozenVersion || signature.sha256 !== protocol.pdfSha256) {
          throw new AppError('invalid_request', 'The judge signs the very protocol the secretary signed');
        }
      }
      return [{ type: 'protocol.signed', payload: { signature, frozenVersion: command.frozenVersion, documentId: command.documentId } }];
    }
  }
}

function requireDraft(status: string): void {
  if (status !== 'draft') throw new AppError('protocol_signed', 'The protocol is signed: a correction is a signed addendum');
}

function requireSpeaker(ctx: DecisionContext, participantId: string | null): void {
  if (participantId !== null && !ctx.participant(participantId)) throw new AppError('not_found', 'No such participant in this case');
}
// ---- end of the short protocol --------------------------------------------------------------------

// ---- identities and rights (issue 8, item 1) -----------------------------------------------------

/**
 * The presiding judge or the secretary records that the court established a participant's identity
 * or explained their rights, while the hearing sits, for a participant who is there: present in the
 * hall, or taking part by video and admitted. Each is recorded once per hearing; a second time is
 * `invalid_transition` (a mistaken entry is corrected by a secretary's note, as the law's protocol is).
 */
function decideIdentity(command: Extract<HearingCommand, { type: 'establish_identity' | 'explain_rights' }>, ctx: DecisionContext): HearingEventBody[] {
  const { state } = ctx;
  const isClerkOrJudge = ctx.actor.userId === ctx.presidingJudgeId || (ctx.secretaryId !== null && ctx.actor.userId === ctx.secretaryId);
  if (!isClerkOrJudge) throw new AppError('forbidden_action', 'Only the presiding judge or the secretary records identities and rights');
  requireSitting(state);
  const participant = ctx.participant(command.participantId);
  if (!participant) throw new AppError('not_found', 'No such participant in this case');
  const attendance = state.attendance[participant.id];
  const admitted = state.remote?.[participant.id]?.status === 'live';
  if (attendance !== 'present' && attendance !== 'remote' && !admitted) {
    throw new AppError('participant_not_present', `${participant.fullName} is not present: record their attendance first`);
  }
  const done = identificationOf(state, participant.id);
  const { id: participantId, fullName, role } = participant;
  if (command.type === 'establish_identity') {
    if (done.identified) throw transition('This participant\'s identity has already been established');
    return [{ type: 'identity.established', payload: { participantId, fullName, role, document: command.document } }];
  }
  if (done.rightsExplained) throw transition('This participant\'s rights have already been explained');
  return [{ type: 'rights.explained', payload: { participantId, fullName, role } }];
}
// ---- end of identities and rights ----------------------------------------------------------------

function requireJudge(ctx: DecisionContext): void {
  if (ctx.actor.userId !== ctx.presidingJudgeId) throw new AppError('forbidden_action', 'Only the presiding judge does this');
}

function requireSecretary(ctx: DecisionContext): void {
  if (ctx.secretaryId === null || ctx.actor.userId !== ctx.secretaryId) throw new AppError('forbidden_action', 'Only the secretary of the hearing does this');
}

function requireStatus(state: HearingLiveState, status: 'in_progress' | 'break'): void {
  if (state.status !== status) throw transition(`The hearing is ${state.status}, not ${status}`);
}

/** Opened and not ended: in session or on a break. */
function requireSitting(state: HearingLiveState): void {
  if (state.status !== 'in_progress' && state.status !== 'break') throw transition(`The hearing is ${state.status}`);
}

function transition(message: string): AppError {
  return new AppError('invalid_transition', message);
}

/** Closes the current presentation, if any, with what it showed (the log's record of it). */
function endPresentation(ctx: DecisionContext, reason: PresentationEndReason): HearingEventBody[] {
  const { floor } = ctx.state;
  if (!floor) return [];
  const { presentationId, since, sinceVersion, ...presenter } = floor;
  return [{ type: 'presentation.ended', payload: { presentationId, presenter, startedAt: since, reason, shown: ctx.shownDuring(sinceVersion) } }];
}

function presenterOf(target: FloorTarget, ctx: DecisionContext): Presenter {
  if (target.kind === 'judge') return { userId: ctx.presidingJudgeId, fullName: ctx.fullNameOf(ctx.presidingJudgeId), role: 'judge', participantId: null };
  const participant = ctx.participant(target.participantId);
  if (!participant) throw new AppError('not_found', 'No such participant in this case');
  if (participant.role !== 'prosecutor' && participant.role !== 'defender') throw new AppError('invalid_request', 'The floor to present goes to the judge, a prosecutor or a defence lawyer');
  if (!participant.userId) throw new AppError('invalid_request', 'This participant has no account to present from');
  return { userId: participant.userId, fullName: participant.fullName, role: participant.role, participantId: participant.id };
}

function samePresenter(a: Presenter, b: Presenter): boolean {
  return a.userId === b.userId && a.participantId === b.participantId;
}

function samePosition(a: ShownPosition, b: ShownPosition): boolean {
  const r = a.region;
  const q = b.region;
  const sameRegion = r === q || (r !== null && q !== null && r.x === q.x && r.y === q.y && r.width === q.width && r.height === q.height);
  return a.documentId === b.documentId && a.page === b.page && a.zoom === b.zoom && sameRegion;
}

function positionOf(command: Extract<HearingCommand, { type: 'show' }>, ctx: DecisionContext): ShownPosition {
  const document = ctx.document(command.documentId);
  if (!document) throw new AppError('not_found', 'No such document in the case file');
  if (document.kind === 'media' || document.sheetFrom === null || document.pages === null) {
    throw new AppError('invalid_request', 'Only documents with sheets (PDF and electronic documents) are shown page by page');
  }
  if (command.page > document.pages) throw new AppError('invalid_request', `The document has ${document.pages} pages`);
  const { region } = command;
  if (region && (region.x + region.width > 1 || region.y + region.height > 1)) throw new AppError('invalid_request', 'The region must lie within the page');
  return {
    documentId: document.id,
    page: command.page,
    volume: document.volume,
    sheet: document.sheetFrom + command.page - 1,
    zoom: command.zoom,
    region,
  };
}

function unreachable(command: never): never {
  throw new Error(`unknown hearing command ${(command as { type: string }).type}`);
}

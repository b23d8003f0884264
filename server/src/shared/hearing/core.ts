/**
 * The hearing's core, as every feature of the hearing sees it: who takes part and as what, the
 * envelope every event of the log carries, what a rule is told when it decides a command, the
 * guards the rules share, and the shape in which a feature hands its rules to the core.
 *
 * A feature (stages, attendance, floor, motions, protocol, recording, remote) is one folder next
 * to this file: its commands, events, state slice, rules and payload schemas. state.ts, rules.ts
 * and schemas.ts put the features together; nothing here names a feature.
 *
 * Shared by the server and the browser: pure, no Node or browser APIs. Times are UTC milliseconds.
 */
import type { ParticipantRole } from '../domain.ts';
import { AppError } from '../errors.ts';
import type { HearingEventBody, HearingLiveState } from './state.ts';

/**
 * A person's role in one hearing; it decides what they may do. `court` is the court office and the
 * chair, who follow read-only; `hall_display` is the hall's wall screen; `remote_participant` is
 * someone invited to take part by video, once admitted.
 */
export const HEARING_ROLES = ['presiding_judge', 'secretary', 'prosecutor', 'defender', 'court', 'hall_display', 'remote_participant'] as const;
export type HearingRole = (typeof HEARING_ROLES)[number];

/** `system` (with an empty userId) is the server itself: recording gaps and chain heads, remote participants' lost connections. */
export type EventActor = { userId: string; fullName: string; role: HearingRole | 'system' };

/** What every entry of the log carries besides its type and payload. */
export type EventEnvelope = { hearingId: string; version: number; at: number; actor: EventActor };

/** A case participant as the rules need them; `userId` is set for those who log in (prosecutor, lawyer). */
export type CaseParticipant = {
  id: string;
  role: ParticipantRole;
  fullName: string;
  userId: string | null;
  /** The participant's id in the case package, and the package ids of those who represent them (consultations). */
  sourceId?: string | null;
  representedBy?: string[] | null;
};

/** A case-file document as far as showing it goes: where its pages sit in the volumes. */
export type ShowableDocument = { id: string; kind: 'pdf' | 'electronic' | 'media'; volume: number; sheetFrom: number | null; pages: number | null };

/** Which sheets of which document a presentation showed, in the order the documents were first shown. */
export type ShownSheets = { documentId: string; volume: number; sheets: number[] };

/** A secretary's note of the protocol as it stands now (protocol/protocol.ts). */
export type StoredNote = { id: string; at: number; text: string; speakerParticipantId: string | null; edits: number };

/** What a rule is told: the state, who asks, and the few facts it needs from the database. */
export type DecisionContext = {
  state: HearingLiveState;
  /** `participantId`: the case participant the actor sits as (a prosecutor, a lawyer), if any. */
  actor: { userId: string; fullName: string; participantId?: string | null };
  /** Read from the hearing's row at the time of the command: assignments may change between hearings. */
  presidingJudgeId: string;
  secretaryId: string | null;
  now: number;
  // Lookups in the database, inside the command's transaction: asynchronous, as PostgreSQL is.
  participant(id: string): Promise<CaseParticipant | undefined>;
  fullNameOf(userId: string): Promise<string>;
  document(id: string): Promise<ShowableDocument | undefined>;
  /** A secretary's note of the protocol as it stands (the server's stored state keeps the notes apart). */
  protocolNote(id: string): Promise<StoredNote | undefined>;
  /** The sheets shown since the presentation began (read from the log when it ends). */
  shownDuring(sinceVersion: number): Promise<ShownSheets[]>;
  newId(): string;
  /** How many sources the hearing's media room has now (0 when it has none yet). */
  recordingSources(): number;
  /** Set when the actor is a remote participant (their case participant id); null for hall users. */
  remoteParticipantId?: string | null;
  /** The server itself acts (a remote participant's connection lost, a restart): no person, no seat. */
  system?: boolean;
};

/** Decides one command: the events that carry it out, in order (none when it changes nothing), or an AppError. */
export type Decider<C> = (command: C, ctx: DecisionContext) => HearingEventBody[] | Promise<HearingEventBody[]>;

/** Applies one event to the state; never mutates it. The version is already the event's. */
export type Applier<E> = (state: HearingLiveState, event: E & EventEnvelope) => HearingLiveState;

/**
 * What the hall's wall screen receives of an event (shared/hearing/display-view.ts): the event as it
 * is, with what it may not read blanked, or nothing (`withheld`).
 */
export type DisplayRule<E> = 'shown' | 'withheld' | ((event: E & EventEnvelope) => E & EventEnvelope);

type Typed = { type: string };

/** A feature's rules, as it hands them to the core: one entry per command and per event type. */
export type FeatureRules<C extends Typed, E extends Typed> = {
  decide: { [K in C['type']]: Decider<Extract<C, { type: K }>> };
  apply: { [K in E['type']]: Applier<Extract<E, { type: K }>> };
  display: { [K in E['type']]: DisplayRule<Extract<E, { type: K }>> };
  /** The wall screen's view of the feature's slice of the state, when it may not see all of it. */
  screen?: (state: HearingLiveState) => Partial<HearingLiveState>;
};

// ---- Guards the rules share -------------------------------------------------------------------------

export function isPresidingJudge(ctx: DecisionContext): boolean {
  return ctx.actor.userId === ctx.presidingJudgeId;
}

export function isSecretary(ctx: DecisionContext): boolean {
  return ctx.secretaryId !== null && ctx.actor.userId === ctx.secretaryId;
}

/** The presiding judge or the secretary of this hearing, in the hall (never a remote participant). */
export function isCourtStaff(ctx: DecisionContext): boolean {
  return !ctx.remoteParticipantId && (isPresidingJudge(ctx) || isSecretary(ctx));
}

export function requireJudge(ctx: DecisionContext): void {
  if (!isPresidingJudge(ctx)) throw new AppError('forbidden_action', 'Only the presiding judge does this');
}

export function requireSecretary(ctx: DecisionContext): void {
  if (!isSecretary(ctx)) throw new AppError('forbidden_action', 'Only the secretary of the hearing does this');
}

export function requireCourtStaff(ctx: DecisionContext, what = 'does this'): void {
  if (!isCourtStaff(ctx)) throw new AppError('forbidden_action', `Only the presiding judge or the secretary ${what}`);
}

export function requireStatus(state: HearingLiveState, status: 'in_progress' | 'break'): void {
  if (state.status !== status) throw transition(`The hearing is ${state.status}, not ${status}`);
}

/** Opened and not ended: in session or on a break. */
export function requireSitting(state: HearingLiveState): void {
  if (state.status !== 'in_progress' && state.status !== 'break') throw transition(`The hearing is ${state.status}`);
}

export function transition(message: string): AppError {
  return new AppError('invalid_transition', message);
}

/**
 * The payloads of the hearing's socket commands as TypeBox schemas, and how each command's payload
 * becomes a `HearingCommand`. A payload that fails its schema (unknown fields included) is refused
 * with `invalid_request` before any rule runs. The contract's types (events.ts) come from here.
 */
import { Type, type Static, type TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import { MOTION_POSITIONS, TRIAL_STAGES } from '../../../db/schema.ts';
import { ATTENDANCE, HEARING_EVENT_TYPES } from '../hearings/hearing-state.ts';
import type { HearingCommand } from '../hearings/hearing-rules.ts';
import { AppError } from '../http/errors.ts';
import { plainText } from '../motions/motion-text.ts';

const strict = { additionalProperties: false } as const;
const Id = Type.String({ minLength: 1, maxLength: 64 });
const Version = Type.Integer({ minimum: 0 });
/** Free text a person typed: at least one visible character. */
const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength, pattern: '\\S' });
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

/** Every command names its hearing and may name the version its sender last saw (`stale_version` if the hearing moved on). */
const command = <P extends Record<string, TSchema>>(properties: P) =>
  Type.Object({ hearingId: Id, expectedVersion: Type.Optional(Version), ...properties }, strict);

export const JoinPayload = Type.Object({ hearingId: Id, since: Type.Optional(Version) }, strict);
export const ResyncPayload = Type.Object({ hearingId: Id, since: Version }, strict);
export const LeavePayload = Type.Object({ hearingId: Id }, strict);
export const HistoryPayload = Type.Object(
  {
    hearingId: Id,
    before: Type.Optional(Type.Integer({ minimum: 1 })),
    types: Type.Optional(Type.Array(Type.Enum(HEARING_EVENT_TYPES), { minItems: 1, maxItems: HEARING_EVENT_TYPES.length })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  strict,
);

const Region = Type.Object(
  { x: Type.Number({ minimum: 0, maximum: 1 }), y: Type.Number({ minimum: 0, maximum: 1 }), width: Type.Number({ exclusiveMinimum: 0, maximum: 1 }), height: Type.Number({ exclusiveMinimum: 0, maximum: 1 }) },
  strict,
);

export const CommandPayloads = {
  'hearing:open': command({}),
  'hearing:move-stage': command({ to: Type.Enum(TRIAL_STAGES) }),
  'hearing:start-break': command({ until: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])), reason: Type.Optional(Type.Union([Text(500), Type.Null()])) }),
  'hearing:end-break': command({}),
  'hearing:adjourn': command({ reason: Text(2000), nextDate: Type.Optional(Type.Union([IsoDate, Type.Null()])) }),
  'hearing:suspend': command({ reason: Text(2000) }),
  'hearing:end': command({}),
  'attendance:record': command({ participantId: Id, attendance: Type.Enum(ATTENDANCE) }),
  'mark:add': command({ text: Text(2000) }),
  'floor:give': command({
    to: Type.Union([Type.Object({ kind: Type.Literal('judge') }, strict), Type.Object({ kind: Type.Literal('participant'), participantId: Id }, strict)]),
  }),
  'floor:end': command({}),
  'presenter:show': command({
    documentId: Id,
    page: Type.Integer({ minimum: 1, maximum: 100_000 }),
    zoom: Type.Number({ minimum: 0.1, maximum: 10 }),
    region: Type.Optional(Type.Union([Region, Type.Null()])),
  }),
  // ---- remote participation (issue 6) ----
  'remote:admit': command({ participantId: Id }),
  'remote:refuse': command({ participantId: Id }),
  'remote:send-to-lobby': command({ participantId: Id }),
  /** Mutes (or lets speak again) a hall user or a remote participant: exactly one of the two ids. */
  'media:mute': command({
    target: Type.Union([Type.Object({ userId: Id }, strict), Type.Object({ participantId: Id }, strict)]),
    fullName: Type.String({ minLength: 1, maxLength: 200 }),
    muted: Type.Boolean(),
  }),
  // ---- end of remote participation ----
  // Motions (issue 5). Filing is an HTTP request (POST /api/cases/:id/motions): the signature is
  // verified before the motion enters the hearing.
  'motion:state-position': command({ motionId: Id, position: Type.Enum(MOTION_POSITIONS), text: Type.Optional(Type.Union([Text(4000), Type.Null()])) }),
  'motion:rule': command({ motionId: Id, ruling: Type.Enum(['granted', 'denied', 'granted_in_part', 'deferred'] as const), reasons: Text(8000) }),
  // The short protocol (issue 8): the secretary's notes. Signing is an HTTP request (POST /api/hearings/:id/protocol/sign).
  'protocol:add-note': command({ text: Text(4000), speakerParticipantId: Type.Optional(Type.Union([Id, Type.Null()])), startedAt: Type.Integer({ minimum: 0 }) }),
  'protocol:edit-note': command({ noteId: Id, text: Text(4000), speakerParticipantId: Type.Optional(Type.Union([Id, Type.Null()])) }),
  // ---- recording (issue 7) ----
  'recording:start': command({}),
  'recording:pause': command({}),
  'recording:resume': command({}),
  'recording:stop': command({}),
  // ---- identities and rights (issue 8, item 1) ----
  /** `document`: how identity was established, plain text ("удостоверение личности № …"). */
  'participant:identify': command({ participantId: Id, document: Type.Optional(Type.Union([Text(200), Type.Null()])) }),
  'participant:explain-rights': command({ participantId: Id }),
};

export type CommandName = keyof typeof CommandPayloads;
export type CommandPayload<K extends CommandName> = Static<(typeof CommandPayloads)[K]>;

/** How each command's payload becomes the domain's command. */
export const toCommand: { [K in CommandName]: (p: CommandPayload<K>) => HearingCommand } = {
  'hearing:open': () => ({ type: 'open' }),
  'hearing:move-stage': (p) => ({ type: 'move_stage', to: p.to }),
  'hearing:start-break': (p) => ({ type: 'start_break', until: p.until ?? null, reason: p.reason?.trim() ?? null }),
  'hearing:end-break': () => ({ type: 'end_break' }),
  'hearing:adjourn': (p) => ({ type: 'adjourn', reason: p.reason.trim(), nextDate: p.nextDate ? validDate(p.nextDate) : null }),
  'hearing:suspend': (p) => ({ type: 'suspend', reason: p.reason.trim() }),
  'hearing:end': () => ({ type: 'end' }),
  'attendance:record': (p) => ({ type: 'record_attendance', participantId: p.participantId, attendance: p.attendance }),
  'mark:add': (p) => ({ type: 'add_mark', text: p.text.trim() }),
  'floor:give': (p) => ({ type: 'give_floor', to: p.to }),
  'floor:end': () => ({ type: 'end_floor' }),
  'presenter:show': (p) => ({ type: 'show', documentId: p.documentId, page: p.page, zoom: p.zoom, region: p.region ?? null }),
  'remote:admit': (p) => ({ type: 'admit_remote', participantId: p.participantId }),
  'remote:refuse': (p) => ({ type: 'refuse_remote', participantId: p.participantId }),
  'remote:send-to-lobby': (p) => ({ type: 'send_remote_to_lobby', participantId: p.participantId }),
  'media:mute': (p) => ({
    type: 'mute',
    target: 'userId' in p.target ? { userId: p.target.userId, participantId: null, fullName: p.fullName } : { userId: null, participantId: p.target.participantId, fullName: p.fullName },
    muted: p.muted,
  }),
  'motion:state-position': (p) => ({ type: 'state_position', motionId: p.motionId, position: p.position, text: p.text ? plainText(p.text) : null }),
  'motion:rule': (p) => ({ type: 'rule_motion', motionId: p.motionId, ruling: p.ruling, reasons: plainText(p.reasons) }),
  'protocol:add-note': (p) => ({ type: 'add_protocol_note', text: plainText(p.text), speakerParticipantId: p.speakerParticipantId ?? null, startedAt: p.startedAt }),
  'protocol:edit-note': (p) => ({ type: 'edit_protocol_note', noteId: p.noteId, text: plainText(p.text), speakerParticipantId: p.speakerParticipantId ?? null }),
  // ---- recording (issue 7) ----
  'recording:start': () => ({ type: 'start_recording' }),
  'recording:pause': () => ({ type: 'pause_recording' }),
  'recording:resume': () => ({ type: 'resume_recording' }),
  'recording:stop': () => ({ type: 'stop_recording' }),
  // ---- identities and rights (issue 8, item 1) ----
  'participant:identify': (p) => ({ type: 'establish_identity', participantId: p.participantId, document: p.document ? plainText(p.document) : null }),
  'participant:explain-rights': (p) => ({ type: 'explain_rights', participantId: p.participantId }),
};

function validDate(value: string): string {
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) throw new AppError('invalid_request', 'nextDate is not a calendar date');
  return value;
}

const compiled = new Map<TSchema, ReturnType<typeof Compile>>();

/** The payload, typed, or `invalid_request` naming what is wrong with it. */
export function parsePayload<S extends TSchema>(schema: S, payload: unknown): Static<S> {
  let validator = compiled.get(schema);
  if (!validator) {
    validator = Compile(schema);
    compiled.set(schema, validator);
  }
  if (validator.Check(payload)) return payload as Static<S>;
  const problems = [...validator.Errors(payload)].slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message}`);
  throw new AppError('invalid_request', `Invalid payload: ${problems.join('; ')}`);
}

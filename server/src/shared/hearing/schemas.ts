/**
 * The hearing's socket commands, put together from the features' payload schemas, and the payloads
 * of joining, resyncing, reading the history and leaving. The contract's types
 * (shared/socket/events.ts) come from here.
 */
import { Type, type Static } from 'typebox';
import { attendancePayloads, attendanceToCommand } from './attendance/attendance.schemas.ts';
import { consultationPayloads, consultationToCommand } from './consultation/consultation.schemas.ts';
import { floorPayloads, floorToCommand } from './floor/floor.schemas.ts';
import { interpreterPayloads, interpreterToCommand } from './interpreter/interpreter.schemas.ts';
import { motionsPayloads, motionsToCommand } from './motions/motions.schemas.ts';
import { Id, strict, Version } from './payload.ts';
import { protocolPayloads, protocolToCommand } from './protocol/protocol.schemas.ts';
import { recordingPayloads, recordingToCommand } from './recording/recording.schemas.ts';
import { remotePayloads, remoteToCommand } from './remote/remote.schemas.ts';
import type { HearingCommand } from './rules.ts';
import { stagesPayloads, stagesToCommand } from './stages/stages.schemas.ts';
import { HEARING_EVENT_TYPES } from './state.ts';

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

export const CommandPayloads = {
  ...stagesPayloads,
  ...attendancePayloads,
  ...floorPayloads,
  ...remotePayloads,
  ...motionsPayloads,
  ...protocolPayloads,
  ...recordingPayloads,
  ...consultationPayloads,
  ...interpreterPayloads,
};

export type CommandName = keyof typeof CommandPayloads;
export type CommandPayload<K extends CommandName> = Static<(typeof CommandPayloads)[K]>;

/** How each command's payload becomes the domain's command. */
export const toCommand: { [K in CommandName]: (p: CommandPayload<K>) => HearingCommand } = {
  ...stagesToCommand,
  ...attendanceToCommand,
  ...floorToCommand,
  ...remoteToCommand,
  ...motionsToCommand,
  ...protocolToCommand,
  ...recordingToCommand,
  ...consultationToCommand,
  ...interpreterToCommand,
};

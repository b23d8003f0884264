/**
 * What may happen next in a hearing, and who may make it happen, put together from the features:
 * each command either becomes the events that record it or is refused with a whitelisted code
 * (`forbidden_action`, `not_presenter`, `invalid_transition`, `invalid_request`, `not_found`, and the
 * features' own). Pure: the few facts a rule needs from the database come through `DecisionContext`,
 * so the rules are tested without a server, and the web app offers only the steps they accept.
 */
import type { Decider, DecisionContext } from './core.ts';
import { attendance, type AttendanceCommand } from './attendance/attendance.ts';
import { consultation, type ConsultationCommand } from './consultation/consultation.ts';
import { floor, type FloorCommand } from './floor/floor.ts';
import { interpreter, type InterpreterCommand } from './interpreter/interpreter.ts';
import { motions, type MotionsCommand } from './motions/motions.ts';
import { protocol, type ProtocolCommand } from './protocol/protocol.ts';
import { recording, type RecordingCommand } from './recording/recording.ts';
import { remote, type RemoteCommand } from './remote/remote.ts';
import { stages, type StagesCommand } from './stages/stages.ts';
import type { HearingEventBody } from './state.ts';

export type HearingCommand = StagesCommand | AttendanceCommand | FloorCommand | MotionsCommand | ProtocolCommand | RecordingCommand | RemoteCommand | ConsultationCommand | InterpreterCommand;

const DECIDE: { [K in HearingCommand['type']]: Decider<Extract<HearingCommand, { type: K }>> } = {
  ...stages.decide,
  ...attendance.decide,
  ...floor.decide,
  ...motions.decide,
  ...protocol.decide,
  ...recording.decide,
  ...remote.decide,
  ...consultation.decide,
  ...interpreter.decide,
};

/**
 * The events that carry out `command`, in order; an empty list when it changes nothing (the same
 * attendance recorded twice, the same page shown again). Throws AppError when it is refused.
 */
export async function decide(command: HearingCommand, ctx: DecisionContext): Promise<HearingEventBody[]> {
  const rule = DECIDE[command.type] as Decider<HearingCommand> | undefined;
  if (!rule) throw new Error(`unknown hearing command ${command.type}`);
  return rule(command, ctx);
}

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

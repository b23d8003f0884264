/** Appointing and releasing an interpreter: the socket commands' payloads, and the commands they become. */
import { Type } from 'typebox';
import { command, Id, strict, type ToCommand } from '../payload.ts';
import { INTERPRETATION_MODES, type InterpreterCommand } from './interpreter.ts';
import { INTERPRETATION_LANGUAGES } from './languages.ts';

const Language = Type.Enum(INTERPRETATION_LANGUAGES);

export const interpreterPayloads = {
  /** `warned`: the court warned the interpreter of liability (Criminal Code art. 420); must be true. */
  'interpreter:appoint': command({
    interpreterId: Id,
    forParticipantId: Id,
    languages: Type.Object({ from: Language, to: Language }, strict),
    mode: Type.Enum(INTERPRETATION_MODES),
    warned: Type.Boolean(),
  }),
  'interpreter:release': command({ interpreterId: Id }),
};

export const interpreterToCommand: ToCommand<typeof interpreterPayloads, InterpreterCommand> = {
  'interpreter:appoint': (p) => ({ type: 'appoint_interpreter', interpreterId: p.interpreterId, forParticipantId: p.forParticipantId, languages: p.languages, mode: p.mode, warned: p.warned }),
  'interpreter:release': (p) => ({ type: 'release_interpreter', interpreterId: p.interpreterId }),
};

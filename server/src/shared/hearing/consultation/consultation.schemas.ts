/**
 * The consultation commands over the hall's socket: a lawyer opens a consultation with their
 * client, the presiding judge grants one asked for while the court sits, a member (or the judge)
 * closes it. A remote participant's own commands come over /remote (remote.socket.ts).
 */
import { command, Id, type ToCommand } from '../payload.ts';
import type { ConsultationCommand } from './consultation.ts';

export const consultationPayloads = {
  'consultation:open': command({ participantId: Id }),
  'consultation:grant': command({ consultationId: Id }),
  'consultation:close': command({ consultationId: Id }),
};

export const consultationToCommand: ToCommand<typeof consultationPayloads, ConsultationCommand> = {
  'consultation:open': (p) => ({ type: 'open_consultation', withParticipantId: p.participantId }),
  'consultation:grant': (p) => ({ type: 'grant_consultation', consultationId: p.consultationId }),
  'consultation:close': (p) => ({ type: 'close_consultation', consultationId: p.consultationId }),
};

/**
 * The secretary's notes as socket commands. Signing is an HTTP request
 * (POST /api/hearings/:id/protocol/sign): the signature is checked before it enters the hearing.
 */
import { Type } from 'typebox';
import { plainText } from '../../plain-text.ts';
import { command, Id, Text, type ToCommand } from '../payload.ts';
import type { ProtocolCommand } from './protocol.ts';

export const protocolPayloads = {
  'protocol:add-note': command({ text: Text(4000), speakerParticipantId: Type.Optional(Type.Union([Id, Type.Null()])), startedAt: Type.Integer({ minimum: 0 }) }),
  'protocol:edit-note': command({ noteId: Id, text: Text(4000), speakerParticipantId: Type.Optional(Type.Union([Id, Type.Null()])) }),
};

export const protocolToCommand: ToCommand<typeof protocolPayloads, ProtocolCommand> = {
  'protocol:add-note': (p) => ({ type: 'add_protocol_note', text: plainText(p.text), speakerParticipantId: p.speakerParticipantId ?? null, startedAt: p.startedAt }),
  'protocol:edit-note': (p) => ({ type: 'edit_protocol_note', noteId: p.noteId, text: plainText(p.text), speakerParticipantId: p.speakerParticipantId ?? null }),
};

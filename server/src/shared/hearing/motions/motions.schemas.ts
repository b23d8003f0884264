/**
 * Motions' socket commands: positions and rulings. Filing is an HTTP request
 * (POST /api/cases/:id/motions): the signature is verified before the motion enters the hearing.
 */
import { Type } from 'typebox';
import { MOTION_POSITIONS } from '../../domain.ts';
import { plainText } from '../../plain-text.ts';
import { command, Id, Text, type ToCommand } from '../payload.ts';
import type { MotionsCommand } from './motions.ts';

export const motionsPayloads = {
  'motion:state-position': command({ motionId: Id, position: Type.Enum(MOTION_POSITIONS), text: Type.Optional(Type.Union([Text(4000), Type.Null()])) }),
  'motion:rule': command({ motionId: Id, ruling: Type.Enum(['granted', 'denied', 'granted_in_part', 'deferred'] as const), reasons: Text(8000) }),
};

export const motionsToCommand: ToCommand<typeof motionsPayloads, MotionsCommand> = {
  'motion:state-position': (p) => ({ type: 'state_position', motionId: p.motionId, position: p.position, text: p.text ? plainText(p.text) : null }),
  'motion:rule': (p) => ({ type: 'rule_motion', motionId: p.motionId, ruling: p.ruling, reasons: plainText(p.reasons) }),
};

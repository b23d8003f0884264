/** The course of the hearing's socket commands: their payloads, and the commands they become. */
import { Type } from 'typebox';
import { TRIAL_STAGES } from '../../domain.ts';
import { AppError } from '../../errors.ts';
import { command, IsoDate, Text, type ToCommand } from '../payload.ts';
import type { StagesCommand } from './stages.ts';

export const stagesPayloads = {
  'hearing:open': command({}),
  'hearing:move-stage': command({ to: Type.Enum(TRIAL_STAGES) }),
  'hearing:start-break': command({ until: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])), reason: Type.Optional(Type.Union([Text(500), Type.Null()])) }),
  'hearing:end-break': command({}),
  'hearing:adjourn': command({ reason: Text(2000), nextDate: Type.Optional(Type.Union([IsoDate, Type.Null()])) }),
  'hearing:suspend': command({ reason: Text(2000) }),
  'hearing:end': command({}),
};

export const stagesToCommand: ToCommand<typeof stagesPayloads, StagesCommand> = {
  'hearing:open': () => ({ type: 'open' }),
  'hearing:move-stage': (p) => ({ type: 'move_stage', to: p.to }),
  'hearing:start-break': (p) => ({ type: 'start_break', until: p.until ?? null, reason: p.reason?.trim() ?? null }),
  'hearing:end-break': () => ({ type: 'end_break' }),
  'hearing:adjourn': (p) => ({ type: 'adjourn', reason: p.reason.trim(), nextDate: p.nextDate ? calendarDate(p.nextDate) : null }),
  'hearing:suspend': (p) => ({ type: 'suspend', reason: p.reason.trim() }),
  'hearing:end': () => ({ type: 'end' }),
};

function calendarDate(value: string): string {
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) throw new AppError('invalid_request', 'nextDate is not a calendar date');
  return value;
}

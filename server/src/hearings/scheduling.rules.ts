/**
 * The rules of scheduling a hearing, as plain functions of the facts the service looked up: who
 * may schedule, which staff may sit, when a hall (or a judge, or a secretary) is taken, and who
 * is told what when a schedule changes. No database here, so each rule is tested on its own.
 */
import type { HearingNoticeKind, HearingStatus, StaffRole } from '../../../db/schema.ts';
import type { CaseRelation } from '../cases/cases.repository.ts';
import { AppError } from '../shared/errors.ts';
import type { ErrorCode } from '../shared/errors.ts';
import type { LocalDateTime } from '../shared/court-time.ts';

/** A hearing's booking: from its start for its duration. */
export type Slot = { start: Date; end: Date };

/**
 * Hearings that hold their hall, judge and secretary. A finished, adjourned, suspended or
 * cancelled hearing no longer does; one in progress or on a break still does, until its slot ends.
 */
export const BOOKING_STATUSES: readonly HearingStatus[] = ['scheduled', 'in_progress', 'break'];

/** The longest booking: a hearing of more than a working day is scheduled day by day. */
export const MAX_DURATION_MINUTES = 720;

/**
 * The court office of the case's court and the judges assigned to the case schedule its hearings.
 * Parties (prosecutor, lawyer) see the schedule but do not make it; neither does the chair as such.
 */
export function canSchedule(relations: readonly CaseRelation[]): boolean {
  return relations.some((r) => (r.kind === 'court' && r.role === 'office') || (r.kind === 'staff' && r.role === 'judge'));
}

/**
 * "2026-11-24" and "10:00" as a wall-clock time, or null when either is not a real date or time
 * (30 February, 24:00). The court's time zone turns it into an instant (court-time.ts).
 */
export function parseLocalDateTime(date: string, time: string): LocalDateTime | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d || !t) return null;
  const [year, month, day, hour, minute] = [d[1], d[2], d[3], t[1], t[2]].map(Number);
  if (hour > 23 || minute > 59 || month < 1 || month > 12 || day < 1) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  return { year, month, day, hour, minute };
}

export function slotOf(start: Date, durationMinutes: number): Slot {
  return { start, end: new Date(start.getTime() + durationMinutes * 60_000) };
}

/** Two bookings overlap when each starts before the other ends; one ending at 12:00 and one starting at 12:00 do not. */
export function overlaps(a: Slot, b: Slot): boolean {
  return a.start < b.end && b.start < a.end;
}

export function assertNotInPast(start: Date, now: Date): void {
  if (start.getTime() <= now.getTime()) throw new AppError('hearing_in_past', 'A hearing cannot be scheduled at a time that has passed');
}

/** What the service knows about a user proposed to sit in a hearing. */
export type StaffFacts = { id: string; courtId: string | null; active: boolean; roles: readonly StaffRole[] };

/** The presiding judge must be an active judge of the case's court; the secretary, a secretary of it. */
export function assertStaffOfCourt(person: StaffFacts | undefined, role: 'judge' | 'secretary', courtId: string): void {
  const ok = person !== undefined && person.active && person.courtId === courtId && person.roles.includes(role);
  if (ok) return;
  const code: ErrorCode = role === 'judge' ? 'judge_not_in_court' : 'secretary_not_in_court';
  throw new AppError(code, role === 'judge' ? 'The presiding judge must be a judge of the court hearing the case' : 'The secretary must be a secretary of the court hearing the case');
}

export function assertHallOfCourt(hall: { courtId: string } | undefined, courtId: string): void {
  if (hall?.courtId !== courtId) throw new AppError('hall_not_in_court', 'The hall must be a hall of the court hearing the case');
}

/** Every summoned participant must be one of the case; `known` are the ids of the case's participants. */
export function assertParticipantsOfCase(requested: readonly string[], known: ReadonlySet<string>): void {
  const strangers = requested.filter((id) => !known.has(id));
  if (strangers.length > 0) throw new AppError('participant_not_in_case', 'Only participants of this case can be summoned', { participantIds: strangers });
}

/** The first booking that collides, per resource, as the service found it. */
export type Conflicts = { hall?: Slot; judge?: Slot; secretary?: Slot };

/** Refuses a booking that collides; the details say which slot is taken, so the form can show it. */
export function assertNoConflicts(conflicts: Conflicts): void {
  const checks = [
    ['hall', 'hall_busy', 'The hall is booked for another hearing at that time'],
    ['judge', 'judge_busy', 'The presiding judge sits in another hearing at that time'],
    ['secretary', 'secretary_busy', 'The secretary is in another hearing at that time'],
  ] as const;
  for (const [resource, code, message] of checks) {
    const slot = conflicts[resource];
    if (slot) throw new AppError(code, message, { from: slot.start.toISOString(), to: slot.end.toISOString() });
  }
}

/** Only a hearing that has not begun can be moved or called off; after that it is the hall's business. */
export function assertStillScheduled(status: HearingStatus): void {
  if (status !== 'scheduled') throw new AppError('hearing_not_scheduled', `The hearing is ${status}: only a scheduled hearing can be changed or cancelled`);
}

export function assertCaseOpen(status: string): void {
  if (status === 'closed') throw new AppError('case_closed', 'The case is closed: no hearing can be scheduled in it');
}

/** Who is told what when the summoned list or the time and place change. */
export type SummonsPlan = {
  /** Newly summoned: a summons. */
  summon: string[];
  /** Summoned before and still: told of the new time or place, if it changed. */
  keep: string[];
  /** No longer summoned: told their summons is withdrawn. */
  withdraw: string[];
};

export function planSummons(before: readonly string[], after: readonly string[]): SummonsPlan {
  const was = new Set(before);
  const will = new Set(after);
  return {
    summon: [...will].filter((id) => !was.has(id)),
    keep: [...will].filter((id) => was.has(id)),
    withdraw: [...was].filter((id) => !will.has(id)),
  };
}

/** The notice each participant gets for a change of the schedule; participants left out get none. */
export function noticesFor(plan: SummonsPlan, timeOrPlaceChanged: boolean): { participantId: string; kind: HearingNoticeKind }[] {
  return [
    ...plan.summon.map((participantId) => ({ participantId, kind: 'hearing.scheduled' as const })),
    ...(timeOrPlaceChanged ? plan.keep.map((participantId) => ({ participantId, kind: 'hearing.rescheduled' as const })) : []),
    ...plan.withdraw.map((participantId) => ({ participantId, kind: 'summons.withdrawn' as const })),
  ];
}

/**
 * The language of a participant's notices: their own language of the proceedings when it is
 * Kazakh or Russian, else the language their account uses, else the language of the case.
 */
export function noticeLocale(participantLanguage: string | null, accountLocale: string | null, caseLanguage: 'kk' | 'ru'): 'kk' | 'ru' {
  for (const candidate of [participantLanguage, accountLocale]) {
    const known = LANGUAGE_TAGS.get(candidate?.trim().toLowerCase().split(/[-_]/)[0] ?? '');
    if (known) return known;
  }
  return caseLanguage;
}

/** How Kazakh and Russian may be written in a package or an account (ISO 639-1 and -2 codes). */
const LANGUAGE_TAGS = new Map<string, 'kk' | 'ru'>([
  ['kk', 'kk'],
  ['kaz', 'kk'],
  ['ru', 'ru'],
  ['rus', 'ru'],
]);

/** The fields of a schedule that changed, with their old and new values (for the schedule log). */
export function changedFields<T extends Record<string, unknown>>(before: T, after: T): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after)) {
    const [from, to] = [before[key], after[key]];
    const same = from instanceof Date && to instanceof Date ? from.getTime() === to.getTime() : JSON.stringify(from) === JSON.stringify(to);
    if (!same) changes[key] = { from: from instanceof Date ? from.toISOString() : from, to: to instanceof Date ? to.toISOString() : to };
  }
  return changes;
}

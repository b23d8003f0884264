/**
 * The rows of the situation centre's CSV export: what a person reads in a spreadsheet — dates and
 * times on the court's clock (its time zone, where "received on the 1st" is what the court saw),
 * categories, statuses and time-limit names in the requester's language, not the codes the API
 * speaks. The headers stay in both official languages (situation.routes.ts).
 */
import type { Locale } from '../../../db/schema.ts';
import { courtClock } from '../shared/court-time.ts';
import type { DeadlineRule } from './deadline-rules.ts';
import type { DrillCase } from '../shared/api/situation.ts';

/** The same words as the web app's `category.*` and `case_status.*` (apps/web/src/lib/i18n). */
const CATEGORIES: Record<Locale, Record<string, string>> = {
  kk: { crime: 'Қылмыс', misdemeanor: 'Қылмыстық теріс қылық' },
  ru: { crime: 'Преступление', misdemeanor: 'Уголовный проступок' },
  en: { crime: 'Crime', misdemeanor: 'Criminal misdemeanour' },
};
const STATUSES: Record<Locale, Record<string, string>> = {
  kk: { received: 'Түсті', in_trial: 'Қаралуда', suspended: 'Тоқтатыла тұрды', closed: 'Қаралды' },
  ru: { received: 'Поступило', in_trial: 'Рассматривается', suspended: 'Приостановлено', closed: 'Рассмотрено' },
  en: { received: 'Received', in_trial: 'At trial', suspended: 'Suspended', closed: 'Closed' },
};

/** A case of a drill-down list with its court's time zone. */
export type ExportCase = DrillCase & { timezone: string };

export function situationCsvRow(c: ExportCase, locale: Locale, rules: readonly DeadlineRule[]): (string | null)[] {
  const rule = c.deadline ? rules.find((r) => r.id === c.deadline!.rule) : undefined;
  return [
    c.caseNumber,
    CATEGORIES[locale][c.category] ?? c.category,
    STATUSES[locale][c.status] ?? c.status,
    courtTime(c.receivedAt, c.timezone),
    c.suspendedAt === null ? null : courtTime(c.suspendedAt, c.timezone),
    c.judge?.fullName ?? null,
    c.deadline ? (rule?.name[locale] ?? c.deadline.rule) : null,
    // A due day is already a court-local calendar day.
    c.deadline?.due ?? null,
  ];
}

/** "2026-01-10 10:00": the court's wall clock, in a form spreadsheets read as a date and time. */
export function courtTime(iso: string, timeZone: string): string {
  const { date, time } = courtClock(timeZone, iso);
  return `${date} ${time}`;
}

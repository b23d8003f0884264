/**
 * Court time: what the clocks of a court show, in the court's own time zone (`courts.timezone`).
 * A court's zone is data, never a constant — Kazakhstan moved all its courts to UTC+5 on 1 March
 * 2024, and a zone may change its rules again — so every function takes the zone, and the offset
 * is read from Intl for the instant in question. Every PDF, notice, report and the web app (through
 * `$server/court-time.ts`) goes through here; so this module imports nothing and uses no Node API.
 *
 * The zone always comes first, so that a call reads as "in this zone, this moment".
 */

/**
 * The zone of a user or a case without a court (a court's row always names its own; this is also
 * the schema's default for `courts.timezone`): Kazakhstan's.
 */
export const DEFAULT_COURT_TIME_ZONE = 'Asia/Almaty';

/** A wall-clock moment in some time zone, as people write it (month 1–12). */
export type LocalDateTime = { year: number; month: number; day: number; hour: number; minute: number };

const two = (n: number) => String(n).padStart(2, '0');

/** The wall clock of `timeZone` at `at`, to the second. */
function wallClock(timeZone: string, at: Date): LocalDateTime & { second: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** Milliseconds to add to UTC to get local wall-clock time in `timeZone` at `at` (+5 h in Kazakhstan). */
export function zoneOffsetMs(timeZone: string, at: Date): number {
  const l = wallClock(timeZone, at);
  return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second) - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant local midnight began, in `timeZone`, on the day that contains `at`. */
export function startOfDay(timeZone: string, at: Date): Date {
  const offset = zoneOffsetMs(timeZone, at);
  const local = new Date(at.getTime() + offset);
  const localMidnight = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
  return new Date(localMidnight - zoneOffsetMs(timeZone, new Date(localMidnight - offset)));
}

/**
 * The instant at which the clocks of `timeZone` show `local` (e.g. 10:00 on 24 November 2026 in
 * Asia/Almaty → 05:00 UTC). The offset is taken at the instant itself, so a zone's rule change
 * between now and then is respected.
 */
export function fromZonedTime(timeZone: string, local: LocalDateTime): Date {
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  const first = asUtc - zoneOffsetMs(timeZone, new Date(asUtc));
  // A second pass settles the offset when the first guess fell on the other side of a change.
  return new Date(asUtc - zoneOffsetMs(timeZone, new Date(first)));
}

/** What the clocks of `timeZone` show at `at` (weekday 0 = Sunday). */
export function toZonedTime(timeZone: string, at: Date): LocalDateTime & { weekday: number } {
  const { second: _second, ...local } = wallClock(timeZone, at);
  return { ...local, weekday: new Date(Date.UTC(local.year, local.month - 1, local.day)).getUTCDay() };
}

/** Court time of day to the second: "14:05:09". */
export function courtTime(timeZone: string, at: number | Date): string {
  const l = wallClock(timeZone, new Date(at));
  return `${two(l.hour)}:${two(l.minute)}:${two(l.second)}`;
}

/** Court date as documents write it: "24.11.2026". */
export function courtDate(timeZone: string, at: number | Date): string {
  const l = wallClock(timeZone, new Date(at));
  return `${two(l.day)}.${two(l.month)}.${l.year}`;
}

/** Court date and time to the second: "24.11.2026 14:05:09". */
export function courtDateTime(timeZone: string, at: number | Date): string {
  return `${courtDate(timeZone, at)} ${courtTime(timeZone, at)}`;
}

/** An instant as a form's date and time fields hold it, in court time: `{ date: "2026-11-24", time: "10:00" }`. */
export function courtClock(timeZone: string, at: string | number | Date): { date: string; time: string } {
  const l = wallClock(timeZone, new Date(at));
  return { date: `${l.year}-${two(l.month)}-${two(l.day)}`, time: `${two(l.hour)}:${two(l.minute)}` };
}

/** The court's calendar date `days` after today ("2026-11-25"), counted in calendar days, not 24-hour spans. */
export function courtDateFromToday(timeZone: string, days: number, now: Date = new Date()): string {
  const today = wallClock(timeZone, now);
  const day = new Date(Date.UTC(today.year, today.month - 1, today.day + days));
  return `${day.getUTCFullYear()}-${two(day.getUTCMonth() + 1)}-${two(day.getUTCDate())}`;
}

/**
 * A time of day someone types ("11:30", court time) as an instant (UTC milliseconds): today in the
 * court's zone, or tomorrow if that time has already passed today (a break may run to the next
 * day). Null for what is not a time of day.
 */
export function nextCourtTime(timeZone: string, time: string, now: Date = new Date()): number | null {
  const match = /^(\d{2}):(\d{2})$/.exec(time);
  if (!match) return null;
  const [hour, minute] = [Number(match[1]), Number(match[2])];
  if (hour > 23 || minute > 59) return null;
  const today = wallClock(timeZone, now);
  for (const day of [0, 1]) {
    // Day 31 + 1 is fine: fromZonedTime's Date.UTC rolls it over into the next month.
    const instant = fromZonedTime(timeZone, { year: today.year, month: today.month, day: today.day + day, hour, minute }).getTime();
    if (instant > now.getTime()) return instant;
  }
  return null;
}

/**
 * Calendar arithmetic in a court's time zone (Kazakhstan's courts keep Asia/Almaty, UTC+5).
 * Built on Intl only: the offset is read for the instant in question, so it stays right if a
 * zone ever changes its rules again.
 */

/** Milliseconds to add to UTC to get local wall-clock time in `timeZone` at `at`. */
export function zoneOffsetMs(timeZone: string, at: Date): number {
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
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant local midnight began, in `timeZone`, on the day that contains `at`. */
export function startOfDay(timeZone: string, at: Date): Date {
  const offset = zoneOffsetMs(timeZone, at);
  const local = new Date(at.getTime() + offset);
  const localMidnight = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
  return new Date(localMidnight - zoneOffsetMs(timeZone, new Date(localMidnight - offset)));
}

/** A wall-clock moment in some time zone, as people write it (month 1–12). */
export type LocalDateTime = { year: number; month: number; day: number; hour: number; minute: number };

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
  const local = new Date(at.getTime() + zoneOffsetMs(timeZone, at));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    weekday: local.getUTCDay(),
  };
}

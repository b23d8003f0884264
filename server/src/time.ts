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

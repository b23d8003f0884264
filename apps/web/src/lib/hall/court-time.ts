/**
 * A time of day the judge types ("11:30", court time) as the instant the server wants (UTC
 * milliseconds): today in the court's time zone, or tomorrow if that time has already passed
 * today (a break may run to the next day).
 */
export function nextCourtTime(time: string, timeZone: string, now: Date = new Date()): number | null {
  const match = /^(\d{2}):(\d{2})$/.exec(time);
  if (!match) return null;
  const [hours, minutes] = [Number(match[1]), Number(match[2])];
  if (hours > 23 || minutes > 59) return null;
  const today = partsIn(now, timeZone);
  for (const day of [0, 1]) {
    const wall = Date.UTC(today.year, today.month - 1, today.day + day, hours, minutes);
    // The zone's offset at that moment (twice: the first guess may fall on the other side of a change).
    let instant = wall - offsetAt(wall, timeZone);
    instant = wall - offsetAt(instant, timeZone);
    if (instant > now.getTime()) return instant;
  }
  return null;
}

function partsIn(date: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(date);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** The zone's wall clock minus UTC at `instant`, in milliseconds (+5 h for Almaty). */
function offsetAt(instant: number, timeZone: string): number {
  const p = partsIn(new Date(instant), timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(instant / 1000) * 1000;
}

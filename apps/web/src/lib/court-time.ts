/**
 * The court's wall clock for the schedule form: the form's date and time fields hold court time
 * (Asia/Almaty in Kazakhstan), whatever the time zone of the clerk's computer, and the server
 * takes them as court time too.
 */

/** An instant as the court's clocks show it: `{ date: "2026-11-24", time: "10:00" }`. */
export function courtClock(value: string | Date, timeZone: string): { date: string; time: string } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(value));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { date: `${get('year')}-${get('month')}-${get('day')}`, time: `${get('hour')}:${get('minute')}` };
}

/** The court's calendar date `days` from now. */
export function courtDateFromToday(days: number, timeZone: string, now = new Date()): string {
  return courtClock(new Date(now.getTime() + days * 86_400_000), timeZone).date;
}

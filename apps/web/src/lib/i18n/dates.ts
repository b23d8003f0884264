/**
 * Date and time formatters for one language and one time zone, built on Intl.
 *
 * Kazakh needs a fallback: some browsers (Debian's Chromium among them) claim to support `kk`
 * but ship no Kazakh calendar data, and print "2026 M11 24, Tue". When that happens the Kazakh
 * strings are put together here from Intl's numbers (still in the court's time zone) and the
 * Kazakh month and weekday names, in the same pattern a full Intl would use.
 */
import type { Locale } from '../types.ts';

export type DateFormats = {
  /** kk "2026 ж. 24 қараша, сейсенбі" · ru "вторник, 24 ноября 2026 г." · en "Tuesday, 24 November 2026" */
  longDate(date: Date): string;
  /** kk "2026 ж. 24 қараша, сейсенбі" · ru "вт, 24 ноября 2026 г." · en "Tue, 24 November 2026" */
  date(date: Date): string;
  /** "24.11.2026" (en "24/11/2026") */
  shortDate(date: Date): string;
  /** "10:00" */
  time(date: Date): string;
};

/** BCP 47 tags for Intl: en-GB gives day-month order and a 24-hour clock, as courts use. */
export const INTL_TAGS: Record<Locale, string> = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' };

const KK_MONTHS = ['қаңтар', 'ақпан', 'наурыз', 'сәуір', 'мамыр', 'маусым', 'шілде', 'тамыз', 'қыркүйек', 'қазан', 'қараша', 'желтоқсан'];
/** Sunday first, like Date.getUTCDay(). */
const KK_WEEKDAYS = ['жексенбі', 'дүйсенбі', 'сейсенбі', 'сәрсенбі', 'бейсенбі', 'жұма', 'сенбі'];

let kazakhIntl: boolean | undefined;

/** Does this browser's Intl really know Kazakh month names? (Checked once.) */
function intlHasKazakh(): boolean {
  if (kazakhIntl === undefined) {
    const november = new Date(Date.UTC(2020, 10, 15, 12));
    kazakhIntl = new Intl.DateTimeFormat('kk-KZ', { month: 'long', timeZone: 'UTC' }).format(november) === 'қараша';
  }
  return kazakhIntl;
}

export function makeDateFormats(locale: Locale, timeZone: string): DateFormats {
  const tag = INTL_TAGS[locale];
  const time = new Intl.DateTimeFormat(tag, { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

  if (locale === 'kk' && !intlHasKazakh()) return kazakhFallback(timeZone, (d) => time.format(d));

  const longDate = new Intl.DateTimeFormat(tag, { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  // Kazakh short weekdays ("сс", "ср") are not widely recognised, so Kazakh spells them out.
  const weekday = locale === 'kk' ? 'long' : 'short';
  const date = new Intl.DateTimeFormat(tag, { timeZone, weekday, day: 'numeric', month: 'long', year: 'numeric' });
  const shortDate = new Intl.DateTimeFormat(tag, { timeZone, day: '2-digit', month: '2-digit', year: 'numeric' });
  return {
    longDate: (d) => longDate.format(d),
    date: (d) => date.format(d),
    shortDate: (d) => shortDate.format(d),
    time: (d) => time.format(d),
  };
}

function kazakhFallback(timeZone: string, time: (d: Date) => string): DateFormats {
  // The calendar day in the court's zone, as numbers; en-US is only a source of digits here.
  const numeric = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' });
  const partsOf = (d: Date) => {
    const parts = numeric.formatToParts(d);
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    const [year, month, day] = [get('year'), get('month'), get('day')];
    const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
    return { year, month, day, weekday };
  };
  const two = (n: number) => String(n).padStart(2, '0');
  const longDate = (d: Date) => {
    const p = partsOf(d);
    return `${p.year} ж. ${p.day} ${KK_MONTHS[p.month - 1]}, ${KK_WEEKDAYS[p.weekday]}`;
  };
  const shortDate = (d: Date) => {
    const p = partsOf(d);
    return `${two(p.day)}.${two(p.month)}.${p.year}`;
  };
  return { longDate, date: longDate, shortDate, time };
}

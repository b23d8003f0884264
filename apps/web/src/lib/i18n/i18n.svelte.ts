/**
 * The interface language and everything that depends on it: translated strings, the `<html lang>`
 * attribute, and dates and times (always shown in the court's time zone, whatever the time zone
 * of the device, so a judge travelling or a lawyer in another region sees court time).
 *
 * Where the language comes from:
 * - before login: what was chosen last on this device (localStorage), else the browser's languages;
 * - after login: the user's saved `locale` (the session manager calls `use()` with it);
 * - a switch while logged in is also saved on the server (see `session.changeLocale`).
 *
 * Only the current language's dictionary is downloaded: each of kk.ts, ru.ts and en.ts is its own
 * chunk, imported when first needed. The root layout's load function waits for `ready` (the
 * first language's dictionary), so nothing renders before its texts are there; a switch to
 * another language shows the previous one until the new dictionary has arrived, never raw keys.
 * The keys' type stays that of en.ts (`MessageKey`), and ru.ts and kk.ts are typed `Messages`.
 */
import { browser } from '$app/environment';
import { LOCALES, type Locale, type Localized } from '../types.ts';
import { INTL_TAGS, makeDateFormats } from './dates.ts';
import type { MessageKey, Messages } from './en.ts';

export type { MessageKey };

/** The keys that come in plural forms (`count.pages.one`, `.few`, `.many`, `.other`), without the form. */
export type PluralKey = MessageKey extends infer K ? (K extends `${infer Base}.other` ? Base : never) : never;

/** Each language's dictionary, a chunk of its own, downloaded only when that language is used. */
const DICTIONARIES: Record<Locale, () => Promise<Messages>> = {
  kk: () => import('./kk.ts').then((module) => module.kk),
  ru: () => import('./ru.ts').then((module) => module.ru),
  en: () => import('./en.ts').then((module) => module.en),
};

const STORAGE_KEY = 'ezal.locale';

/** Kazakhstan's courts keep Asia/Almaty; a user's court may say otherwise. */
export const DEFAULT_TIME_ZONE = 'Asia/Almaty';

function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The language to show before anyone has logged in. Kazakh, the state language, is the fallback. */
function initialLocale(): Locale {
  if (!browser) return 'kk';
  const saved = localStorage.getItem(STORAGE_KEY);
  if (isLocale(saved)) return saved;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLocale(base)) return base;
  }
  return 'kk';
}

/** The calendar day of an instant in a time zone, as a UTC timestamp of that day's midnight. */
function dayNumber(date: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(date);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(get('year'), get('month') - 1, get('day'));
}

/**
 * Numbers with one decimal at most. Kazakh writes them as Russian does ("1 234,5"); a browser
 * without Kazakh number data would print "1,234.5", so it borrows the Russian rules then.
 */
function numberFormat(locale: Locale): Intl.NumberFormat {
  const options = { maximumFractionDigits: 1 };
  const format = new Intl.NumberFormat(INTL_TAGS[locale], options);
  if (locale === 'kk' && format.format(1.5) !== '1,5') return new Intl.NumberFormat('ru-RU', options);
  return format;
}

class I18n {
  #locale = $state<Locale>(initialLocale());
  /** The current language's dictionary; null only until `ready` (nothing renders before). */
  #messages = $state.raw<Messages | null>(null);
  #timeZone = $state(DEFAULT_TIME_ZONE);
  /** Dictionaries downloaded or on the way, by language. */
  #loading: Partial<Record<Locale, Promise<Messages>>> = {};
  /** The language asked for last: a slower, earlier switch must not override it. */
  #wanted: Locale = this.#locale;

  /** Resolves once the first language's dictionary is there (it never rejects). */
  readonly ready: Promise<void>;

  // Intl formatters are costly to build, so they are rebuilt only when the language or zone changes.
  #formats = $derived(makeDateFormats(this.#locale, this.#timeZone));
  #plurals = $derived(new Intl.PluralRules(INTL_TAGS[this.#locale]));
  #numbers = $derived(numberFormat(this.#locale));

  constructor() {
    if (browser) document.documentElement.lang = this.#locale;
    const first = this.#locale;
    this.ready = this.#load(first).then(
      (messages) => {
        // Unless a switch got its dictionary first.
        if (this.#locale === first && this.#messages === null) this.#messages = messages;
      },
      (error: unknown) => console.error(error),
    );
  }

  /** Downloads a language's dictionary (once; a failed download is tried again next time). */
  #load(locale: Locale): Promise<Messages> {
    let loading = this.#loading[locale];
    if (!loading) {
      loading = DICTIONARIES[locale]();
      this.#loading[locale] = loading;
      loading.catch(() => delete this.#loading[locale]);
    }
    return loading;
  }

  /** Starts downloading a language's dictionary, so a switch to it is immediate (e.g. on hover). */
  preload(locale: Locale): void {
    this.#load(locale).catch(() => {});
  }

  get locale(): Locale {
    return this.#locale;
  }

  get timeZone(): string {
    return this.#timeZone;
  }

  /**
   * Switches the interface language on this device (the server copy is the session's job), as
   * soon as its dictionary is there: at once if it was downloaded before. Rejects, the language
   * unchanged, if the dictionary cannot be downloaded.
   */
  async use(locale: Locale): Promise<void> {
    this.#wanted = locale;
    const messages = await this.#load(locale);
    // Another switch was asked for meanwhile: the last one wins.
    if (this.#wanted !== locale) return;
    this.#messages = messages;
    this.#locale = locale;
    if (!browser) return;
    document.documentElement.lang = locale;
    try {
      localStorage.setItem(STORAGE_KEY, locale);
    } catch {
      // Private mode or a full storage: the choice then lasts until the tab closes. Not worth an error.
    }
  }

  /** Dates and times are shown in this zone: the user's court's, once known. */
  useTimeZone(timeZone: string | null | undefined): void {
    this.#timeZone = timeZone || DEFAULT_TIME_ZONE;
  }

  /** The translation of `key` in the current language, with `{name}` parameters filled in. */
  t(key: MessageKey, params?: Record<string, string | number>): string {
    const text = this.#messages?.[key] ?? key;
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
  }

  /**
   * A count with its noun in the right form: ru "1 лист", "3 листа", "5 листов"; kk "5 парақ".
   * `{n}` in the text is the number.
   */
  plural(base: PluralKey, count: number): string {
    const form = this.#plurals.select(count);
    const key = (form === 'one' || form === 'few' || form === 'many' ? `${base}.${form}` : `${base}.other`) as MessageKey;
    return this.t(key, { n: this.#numbers.format(count) });
  }

  /** A number as this language writes it ("1,5" in Russian and Kazakh). */
  number(value: number): string {
    return this.#numbers.format(value);
  }

  /** A file size: "950 Б", "118,9 КБ", "2,4 ГБ" (binary units, as file managers show them). */
  bytes(size: number): string {
    const units = ['size.b', 'size.kb', 'size.mb', 'size.gb'] as const;
    let value = size;
    let unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit += 1;
    }
    return this.t(units[unit], { n: this.#numbers.format(unit === 0 ? value : Math.round(value * 10) / 10) });
  }

  /** The current language's version of a text the server keeps in all three languages. */
  pick(text: Localized): string {
    return text[this.#locale] || text.ru || text.kk || text.en;
  }

  /** "Tuesday, 24 November 2026" (see dates.ts for each language) */
  longDate(value: string | Date): string {
    return this.#formats.longDate(new Date(value));
  }

  /** "Tue, 24 November 2026" */
  date(value: string | Date): string {
    return this.#formats.date(new Date(value));
  }

  /** "24.11.2026" */
  shortDate(value: string | Date): string {
    return this.#formats.shortDate(new Date(value));
  }

  /** "10:00" */
  time(value: string | Date): string {
    return this.#formats.time(new Date(value));
  }

  /**
   * A calendar date without a time ("2024-03-11", as documents are dated) as "11.03.2024". It is
   * read as noon UTC, which is the same calendar day in every time zone the courts use.
   */
  day(value: string): string {
    return /^\d{4}-\d{2}-\d{2}$/.test(value) ? this.shortDate(`${value}T12:00:00Z`) : value;
  }

  /** Whole court-calendar days from today to `value`: 0 today, 1 tomorrow, -1 yesterday. */
  daysFromToday(value: string | Date, now: Date = new Date()): number {
    const days = dayNumber(new Date(value), this.#timeZone) - dayNumber(now, this.#timeZone);
    return Math.round(days / 86_400_000);
  }
}

/** The one language manager of the app. */
export const i18n = new I18n();

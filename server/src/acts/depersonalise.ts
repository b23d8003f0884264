/**
 * Depersonalisation of a judicial act's text for readers not entitled to the case (Supreme Court
 * recommendation 004, item 7): the names of the case's participants in every form Russian and
 * Kazakh give them become stable pseudonyms — the same person is the same "Лицо 2" / "2-тұлға"
 * throughout the act, numbered in order of first appearance — and IINs, dates of birth, phone
 * numbers, e-mail addresses and street addresses become placeholders.
 *
 * Two sources: what the case already holds about its participants (names, IIN, birth date, phone,
 * e-mail, address — matched in all their written forms), and pattern rules for what the act says
 * about anyone else. Pure text in, text out: the acts index stores the result next to the original.
 * Misses are measured (depersonalise.spec.ts on fixtures, `npm run bench -- search.acts` on a
 * generated corpus) and listed in docs/acts-search.md.
 */

export type Person = {
  fullName: string;
  iin?: string | null;
  birthDate?: string | null;
  phone?: string | null;
  email?: string | null;
  address?: string | null;
};

export type ActLanguage = 'kk' | 'ru';

const LABELS = {
  ru: { person: (n: number) => `Лицо ${n}`, iin: '[ИИН]', phone: '[телефон]', email: '[e-mail]', address: '[адрес]', birth: '[дата рождения]' },
  kk: { person: (n: number) => `${n}-тұлға`, iin: '[ЖСН]', phone: '[телефон]', email: '[e-mail]', address: '[мекенжай]', birth: '[туған күні]' },
} as const;

const RU_MONTHS = ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'];
const KK_MONTHS = ['қаңтар', 'ақпан', 'наурыз', 'сәуір', 'мамыр', 'маусым', 'шілде', 'тамыз', 'қыркүйек', 'қазан', 'қараша', 'желтоқсан'];

const L = '\\p{L}\\p{N}';
const EMAIL = new RegExp(`[${L}._%+-]+@[${L}-]+(?:\\.[${L}-]+)*\\.\\p{L}{2,}`, 'gu');
/** +7 701 123 45 67, 8 (701) 123-45-67, +77011234567 — Kazakhstan's numbers, any separators. */
const PHONE = /(?<![\d+])(?:\+\s?7|8)[\s\-–(]*\d{3}[\s\-–)]*\d{3}[\s\-–]*\d{2}[\s\-–]*\d{2}(?!\d)/g;
/** An IIN is twelve digits; longer runs (ERDR and case numbers) are not IINs. */
const IIN = /(?<!\d)\d{12}(?!\d)/g;
const DATE = `(?:\\d{1,2}\\.\\d{1,2}\\.\\d{4}|\\d{1,2}\\s+(?:${RU_MONTHS.join('|')})\\s+\\d{4}|\\d{4}\\s+жылғы\\s+\\d{1,2}\\s+(?:${KK_MONTHS.join('|')})\\p{L}*)`;
/** A date said to be someone's birth date: "14.03.1999 г.р.", "14 марта 1999 года рождения", "1999 жылғы 14 наурызда туған". */
const BIRTH = new RegExp(`${DATE}(?=\\s*(?:года|г\\.)?\\s*(?:рождения|г\\.\\s?р\\.|р\\.|туған|ж\\.\\s?т\\.))`, 'giu');
/** Street, house and flat: "ул. Абая, д. 5, кв. 12", "улице Толе би", "Абай көшесі, 10-үй", "мкр. Самал-2". */
const STREET = new RegExp(
  [
    `(?:ул\\.|улиц[аеуыи]\\p{L}*|пр\\.|просп\\.|проспект\\p{L}*|мкр\\.?|микрорайон\\p{L}*|пер\\.|переул\\p{L}*|көш\\.|даңғ\\.)\\s*[«"]?[\\p{Lu}\\d][\\p{L}\\d-]*(?:\\s+(?:\\p{Lu}[\\p{L}-]*|би|батыра|батыр|ата))?[»"]?`,
    `(?:\\p{Lu}[\\p{L}-]*\\s+){1,2}(?:көшесі|даңғылы|шағын\\s+ауданы)\\p{L}*`,
    `(?:д\\.|дом[аеу]?|үй\\p{L}*|кв\\.|квартир\\p{L}*|пәтер\\p{L}*)\\s*№?\\s*\\d+[\\p{L}]?(?:\\s*[/-]\\s*\\d+)?`,
    `\\d+[\\p{L}]?\\s*-?\\s*(?:үй|пәтер)\\p{L}*`,
  ].join('|'),
  'gu',
);

export type Depersonalised = { text: string; persons: number };

export function depersonalise(text: string, people: Person[], language: ActLanguage): Depersonalised {
  const labels = LABELS[language];
  let out = text.normalize('NFC');
  // What the case holds about its participants, literally, then the patterns for everyone else.
  for (const person of people) {
    if (person.email) out = replaceLiteral(out, person.email, labels.email);
    if (person.iin) out = replaceLiteral(out, person.iin, labels.iin);
    if (person.birthDate) for (const form of birthDateForms(person.birthDate)) out = out.replace(form, labels.birth);
    if (person.address) for (const part of addressParts(person.address)) out = replaceLiteral(out, part, labels.address);
  }
  out = out.replace(EMAIL, labels.email);
  out = out.replace(PHONE, labels.phone);
  out = out.replace(IIN, labels.iin);
  out = out.replace(BIRTH, labels.birth);
  out = out.replace(STREET, labels.address);
  const named = replaceNames(out, people, labels.person);
  return { text: named.text, persons: named.persons };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function replaceLiteral(text: string, literal: string, label: string): string {
  const trimmed = literal.trim();
  if (trimmed.length < 3) return text;
  return text.replace(new RegExp(escapeRegExp(trimmed), 'giu'), label);
}

/** 1999-03-14 → 14.03.1999, 14 марта 1999, 1999 жылғы 14 наурыз(да), 1999-03-14 as regular expressions. */
function birthDateForms(iso: string): RegExp[] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return [];
  const [, y, mo, d] = m;
  const day = String(Number(d));
  const month = Number(mo) - 1;
  return [
    new RegExp(`(?<!\\d)0?${day}\\.${mo}\\.${y}(?!\\d)`, 'g'),
    new RegExp(`(?<!\\d)0?${day}\\s+${RU_MONTHS[month]}\\s+${y}(?!\\d)`, 'giu'),
    new RegExp(`${y}\\s+жылғы\\s+0?${day}\\s+${KK_MONTHS[month]}\\p{L}*`, 'giu'),
    new RegExp(`(?<!\\d)${y}-${mo}-${d}(?!\\d)`, 'g'),
  ];
}

/** "г. Алматы, ул. Толе би, д. 45, кв. 17" → the parts that say where the person lives (not the city). */
function addressParts(address: string): string[] {
  const parts = address.split(/[,;]/).map((p) => p.trim());
  return [address.trim(), ...parts.filter((p) => p.length >= 6 && !/^(г\.|город|қ\.|қаласы)/iu.test(p) && !/^\p{Lu}[\p{Ll}-]+$/u.test(p))];
}

// ---- Names ----------------------------------------------------------------------------------

/** Kazakh case, possessive and plural endings after a name's nominative (Петрдің, Алияға, Ивановпен). */
const KK_AFTER = ['', 'тың', 'тің', 'дың', 'дің', 'ның', 'нің', 'ға', 'ге', 'қа', 'ке', 'на', 'не', 'а', 'е', 'ны', 'ні', 'ды', 'ді', 'ты', 'ті', 'н', 'да', 'де', 'та', 'те', 'нда', 'нде', 'дан', 'ден', 'тан', 'тен', 'нан', 'нен', 'мен', 'бен', 'пен', 'ның', 'лар', 'лер', 'тар', 'тер', 'дар', 'дер'];
/** Russian noun endings after a name that lost its final vowel (Алия → Али-и, Петр → Петр-ом). */
const RU_NOUN = ['', 'а', 'я', 'ы', 'и', 'у', 'ю', 'е', 'ой', 'ей', 'ою', 'ею', 'ом', 'ем', 'ью'];
/** Russian surnames in -ов/-ев/-ин/-ын (and -ова …), declined as such (Иванова, Иванову, Ивановым, Ивановых). */
const RU_SURNAME = ['', 'а', 'у', 'ым', 'ом', 'е', 'ой', 'ою', 'ы', 'ых', 'ыми'];
/** Adjectival surnames (Кузнецкий, Кузнецкая). */
const RU_ADJECTIVE = ['ий', 'ый', 'ой', 'ого', 'ому', 'им', 'ым', 'ом', 'ая', 'ую', 'ие', 'ые', 'их', 'ых', 'ими', 'ыми'];

/** One written name (a surname, a first name, a patronymic) and the forms it takes. */
type NameMatcher = { person: number; stems: { stem: string; endings: Set<string> }[] };

function matchersOf(people: Person[]): NameMatcher[] {
  const matchers: NameMatcher[] = [];
  people.forEach((person, index) => {
    const parts = person.fullName.normalize('NFC').toLowerCase().replace(/ё/g, 'е').match(/\p{L}+(?:-\p{L}+)*/gu) ?? [];
    for (const part of parts) {
      // "ұлы", "қызы" (son/daughter of) and initials are not names by themselves.
      if ([...part].length < 3 || part === 'ұлы' || part === 'қызы' || part === 'оглы' || part === 'кызы') continue;
      matchers.push({ person: index, stems: formsOf(part) });
    }
  });
  return matchers;
}

function formsOf(name: string): { stem: string; endings: Set<string> }[] {
  const forms = [{ stem: name, endings: new Set(KK_AFTER) }];
  const surname = /(ов|ев|ин|ын)(а?)$/u.exec(name);
  if (surname) forms.push({ stem: name.slice(0, name.length - surname[2].length), endings: new Set([...RU_SURNAME, ...KK_AFTER]) });
  if (/(ий|ый|ая|ой)$/u.test(name) && [...name].length > 5) forms.push({ stem: name.slice(0, -2), endings: new Set(RU_ADJECTIVE) });
  if (/[аяьйео]$/u.test(name) && [...name].length > 3) forms.push({ stem: name.slice(0, -1), endings: new Set(RU_NOUN) });
  else forms.push({ stem: name, endings: new Set(RU_NOUN) });
  return forms;
}

function matchesName(word: string, matcher: NameMatcher): boolean {
  return matcher.stems.some(({ stem, endings }) => word.startsWith(stem) && endings.has(word.slice(stem.length)));
}

type Span = { start: number; end: number; person: number; dot?: boolean };

const INITIALS_BEFORE = /(?:\p{Lu}\.\s?){1,2}\s?$/u;
const INITIALS_AFTER = /^\s(?:\p{Lu}\.\s?\p{Lu}\.|\p{Lu}\.)/u;

/**
 * Every word that is a form of a participant's name becomes that person's pseudonym; a run of
 * one person's names with initials ("Иванов П. С.", "Касымовой Алии Нурлановны", "П. С. Иванову")
 * becomes one pseudonym.
 */
function replaceNames(text: string, people: Person[], label: (n: number) => string): { text: string; persons: number } {
  const matchers = matchersOf(people);
  const spans: Span[] = [];
  for (const m of text.matchAll(/\p{L}+(?:-\p{L}+)*/gu)) {
    const word = m[0].toLowerCase().replace(/ё/g, 'е');
    const found = matchers.find((matcher) => matchesName(word, matcher));
    if (found) spans.push({ start: m.index, end: m.index + m[0].length, person: found.person });
  }
  // Merge a person's consecutive names (only blanks or initials between), then take in initials.
  const merged: Span[] = [];
  for (const span of spans) {
    const last = merged.at(-1);
    if (last && last.person === span.person && /^[\s\p{Lu}.]*$/u.test(text.slice(last.end, span.start)) && span.start - last.end <= 8) last.end = span.end;
    else merged.push({ ...span });
  }
  for (const span of merged) {
    const before = INITIALS_BEFORE.exec(text.slice(Math.max(0, span.start - 8), span.start));
    if (before) span.start -= before[0].length;
    const after = INITIALS_AFTER.exec(text.slice(span.end, span.end + 8));
    if (after) {
      span.end += after[0].length;
      // "… принадлежащее Касымовой А. Н.\n": the initials' last dot also ended the sentence.
      span.dot = /^\s*(?:\n|$|\p{Lu})/u.test(text.slice(span.end));
    }
  }
  const numbers = new Map<number, number>();
  let out = '';
  let at = 0;
  for (const span of merged) {
    if (span.start < at) continue;
    if (!numbers.has(span.person)) numbers.set(span.person, numbers.size + 1);
    out += text.slice(at, span.start) + label(numbers.get(span.person)!) + (span.dot ? '.' : '');
    at = span.end;
  }
  return { text: out + text.slice(at), persons: numbers.size };
}

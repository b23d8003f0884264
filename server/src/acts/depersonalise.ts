/**
 * Depersonalisation of a judicial act's text for readers not entitled to the case (Supreme Court
 * recommendation 004, item 7): every person's name in every form Russian and Kazakh give it becomes
 * a stable pseudonym — the same person is the same "Лицо 2" / "2-тұлға" throughout the act,
 * numbered in order of first appearance — and IINs, dates of birth, phone numbers, e-mail
 * addresses, vehicle plates and street addresses become placeholders.
 *
 * Three sources, each giving spans of the text: what the case holds about its participants (names,
 * IIN, birth date, e-mail, address — matched in all their written forms), pattern rules for data
 * with a shape of its own (personal-patterns.ts), and the name recogniser for everyone else the act
 * names (name-recogniser.ts). Spans of data win over names where they meet (a street named after a
 * person is part of the address). Pure text in, text out: the acts index stores the result next to
 * the original. Misses and over-masking are measured on a held-out set of acts
 * (depersonalise.held-out.ts, depersonalise.measure.ts) and listed in docs/acts-search.md.
 */
import { initialOf, recogniseNames, surnameOf, type NameParts, type Taken } from './name-recogniser.ts';
import { joinAdjacent, joinOverlapping, KK_MONTHS, matchesOf, patternSpans, RU_MONTHS, type DataKind, type DataSpan } from './personal-patterns.ts';

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
  ru: { person: (n: number) => `Лицо ${n}`, iin: '[ИИН]', phone: '[телефон]', email: '[e-mail]', address: '[адрес]', birth: '[дата рождения]', plate: '[госномер]' },
  kk: { person: (n: number) => `${n}-тұлға`, iin: '[ЖСН]', phone: '[телефон]', email: '[e-mail]', address: '[мекенжай]', birth: '[туған күні]', plate: '[мемлекеттік нөмір]' },
} as const;

/** A masked stretch of the act: data of a kind, or a person's name (`person` numbers them by first appearance). */
export type MaskedSpan = { start: number; end: number; kind: DataKind | 'name'; person?: number; dot?: boolean };

export type Depersonalised = { text: string; persons: number };

export function depersonalise(text: string, people: Person[], language: ActLanguage): Depersonalised {
  const labels = LABELS[language];
  const source = text.normalize('NFC');
  const spans = personalSpans(source, people);
  let out = '';
  let at = 0;
  for (const span of spans) {
    const label = span.kind === 'name' ? labels.person(span.person!) + (span.dot ? '.' : '') : labels[span.kind];
    out += source.slice(at, span.start) + label;
    at = span.end;
  }
  return { text: out + source.slice(at), persons: new Set(spans.map((s) => s.person).filter((p) => p !== undefined)).size };
}

/**
 * What depersonalise masks in `text` (NFC), in order and without overlaps: the case's data about
 * its participants, the pattern rules, the participants' names, then everyone else's names. Where
 * a name and data overlap the data wins and takes in the name.
 */
export function personalSpans(text: string, people: Person[]): MaskedSpan[] {
  const dataFound = [...caseDataSpans(text, people), ...patternSpans(text)];
  // The pieces of one address join up ("ул. Абая, д. 5"); other data only where it overlaps.
  const data = joinOverlapping([
    ...joinAdjacent(
      dataFound.filter((d) => d.kind === 'address'),
      text,
    ),
    ...dataFound.filter((d) => d.kind !== 'address'),
  ]);
  // What is found so far, per character: 1 data, 2 a participant's name (the recogniser asks per word).
  const found = new Uint8Array(text.length);
  for (const d of data) found.fill(1, d.start, d.end);
  const participants = participantSpans(text, people).filter((span) => !found.subarray(span.start, span.end).includes(1));
  for (const p of participants) found.fill(2, p.start, p.end);
  const taken = (start: number, end: number): Taken | null => {
    const first = found[start] || found[end - 1];
    return first === 1 ? 'data' : first === 2 ? 'participant' : null;
  };
  const others = recogniseNames(text, taken);
  const named: Named[] = [...participants.map(participantOrNot), ...others.map((m) => ({ start: m.start, end: m.end, key: m.parts, dot: endsSentence(text, m.end) }))];
  named.sort((a, b) => a.start - b.start);
  // "Брат подсудимого Иванова Руслан", "мать Ахметова Роза Кенесовна": a participant's surname
  // followed by someone else's first name is that someone, a relative with the same surname.
  for (let i = named.length - 2; i >= 0; i--) {
    const [a, b] = [named[i], named[i + 1]];
    if (typeof a.key === 'number' && typeof b.key !== 'number' && /^[ \t]+$/.test(text.slice(a.end, b.start)) && !/\s/.test(text.slice(a.start, a.end))) {
      b.start = a.start;
      named.splice(i, 1);
    }
  }
  // Pseudonyms by first appearance: participants by their index, everyone else by their name's parts.
  const numbers = new Map<number, number>();
  const strangers: (NameParts & { number: number })[] = [];
  // A text that already has pseudonyms ("Брат подсудимого Лицо 2 Руслан") keeps them apart from the new ones.
  const labelled = text.includes('Лицо ') || text.includes('-тұлға') ? (text.match(/Лицо \d+|\d+-тұлға/gu) ?? []) : [];
  let next = 1 + Math.max(0, ...labelled.map((label) => Number(/\d+/.exec(label)![0])));
  const spans: MaskedSpan[] = data.map((d) => ({ start: d.start, end: d.end, kind: d.kind }));
  for (const name of named) {
    let number: number;
    if (typeof name.key === 'number') {
      if (!numbers.has(name.key)) numbers.set(name.key, next++);
      number = numbers.get(name.key)!;
    } else {
      const known = samePerson(strangers, name.key);
      if (known) number = known.number;
      else strangers.push({ ...name.key, number: (number = next++) });
    }
    spans.push({ start: name.start, end: name.end, kind: 'name', person: number, dot: name.dot });
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: MaskedSpan[] = [];
  for (const span of spans) {
    const last = out.at(-1);
    if (last && span.start < last.end) {
      last.end = Math.max(last.end, span.end);
      if (span.kind !== 'name' && last.kind === 'name') Object.assign(last, { kind: span.kind, person: undefined, dot: undefined });
    } else out.push({ ...span });
  }
  return out;
}

/** A name found: a participant (their index in the case's list) or anyone else (the parts of their name). */
type Named = { start: number; end: number; key: number | NameParts; dot?: boolean };

/**
 * A participant's surname with someone else's initials ("Оспанов Е.М." when the participant is
 * Оспанова Г.С.: her husband) is that someone else.
 */
function participantOrNot(span: ParticipantSpan): Named {
  if (span.initials && span.own && !fits(span.initials, span.own)) return { start: span.start, end: span.end, key: { surname: surnameKey(span.word), initials: span.initials }, dot: span.dot };
  return { start: span.start, end: span.end, key: span.person, dot: span.dot };
}

function surnameKey(word: string): string {
  const lower = word.toLowerCase().replace(/ё/g, 'е');
  return surnameOf(lower) ?? lower;
}

/** Initials fit when one is the start of the other ("в" and "вм"; not "ан" and "ап"). */
function fits(a: string, b: string): boolean {
  return a.startsWith(b) || b.startsWith(a);
}

/** The person already met whose name these parts fit: the same surname (and first name or initial), or the same first name. */
function samePerson<T extends NameParts>(known: T[], parts: NameParts): T | undefined {
  const fitsWith = (p: NameParts) => fits(p.initials, parts.initials) && (!p.first || !parts.first || p.first === parts.first);
  if (parts.surname) return known.find((p) => p.surname === parts.surname && fitsWith(p));
  if (parts.first) return known.find((p) => p.first === parts.first && fitsWith(p));
  return undefined;
}

/** A name ending in an initial's dot that also ended the sentence ("… принадлежащее Касымовой А. Н.\n"). */
function endsSentence(text: string, end: number): boolean {
  return text[end - 1] === '.' && /^\s*(?:\n|$|\p{Lu})/u.test(text.slice(end));
}

// ---- What the case holds ---------------------------------------------------------------------

function caseDataSpans(text: string, people: Person[]): DataSpan[] {
  const spans: DataSpan[] = [];
  // Literals are found in the lower-cased text (same length for Cyrillic, Kazakh and Latin).
  const lower = text.toLowerCase();
  const sameLength = lower.length === text.length;
  const literal = (value: string, kind: DataKind) => {
    const needle = value.trim().toLowerCase();
    if (needle.length < 3) return;
    if (!sameLength) return void spans.push(...matchesOf(text, new RegExp(escapeRegExp(needle), 'giu'), kind));
    for (let at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, at + needle.length)) spans.push({ start: at, end: at + needle.length, kind });
  };
  for (const person of people) {
    if (person.email) literal(person.email, 'email');
    if (person.iin) literal(person.iin, 'iin');
    const birth = person.birthDate ? birthDateForm(person.birthDate) : null;
    if (birth && text.includes(birth.year)) spans.push(...matchesOf(sameLength ? lower : text.toLowerCase(), birth.pattern, 'birth'));
    if (person.address) for (const part of addressParts(person.address)) literal(part, 'address');
  }
  return spans;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * 1999-03-14 → 14.03.1999, 14 марта 1999, 1999 жылғы 14 наурыз(да), 1999-03-14, as one regular
 * expression over the lower-cased text: without the "u" and "i" flags it compiles fast, and it is
 * compiled for every act.
 */
function birthDateForm(iso: string): { year: string; pattern: RegExp } | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return null;
  const [, y, mo, d] = m;
  const day = String(Number(d));
  const month = Number(mo) - 1;
  const forms = [
    `(?<!\\d)0?${day}\\.${mo}\\.${y}(?!\\d)`,
    `(?<!\\d)0?${day}\\s+${RU_MONTHS[month]}\\s+${y}(?!\\d)`,
    `${y}\\s+жылғы\\s+0?${day}\\s+${KK_MONTHS[month]}[а-яәғқңөұүһі]*`,
    `(?<!\\d)${y}-${mo}-${d}(?!\\d)`,
  ];
  return { year: y, pattern: new RegExp(forms.join('|'), 'g') };
}

/** "г. Алматы, ул. Толе би, д. 45, кв. 17" → the parts that say where the person lives (not the city). */
function addressParts(address: string): string[] {
  const parts = address.split(/[,;]/).map((p) => p.trim());
  return [address.trim(), ...parts.filter((p) => p.length >= 6 && !/^(г\.|город|қ\.|қаласы)/iu.test(p) && !/^\p{Lu}[\p{Ll}-]+$/u.test(p))];
}

// ---- Participants' names ---------------------------------------------------------------------

/** Kazakh case, possessive and plural endings after a name's nominative (Петрдің, Алияға, Ивановпен). */
const KK_AFTER = [
  '',
  'тың',
  'тің',
  'дың',
  'дің',
  'ның',
  'нің',
  'ға',
  'ге',
  'қа',
  'ке',
  'на',
  'не',
  'а',
  'е',
  'ны',
  'ні',
  'ды',
  'ді',
  'ты',
  'ті',
  'н',
  'да',
  'де',
  'та',
  'те',
  'нда',
  'нде',
  'дан',
  'ден',
  'тан',
  'тен',
  'нан',
  'нен',
  'мен',
  'бен',
  'пен',
  'ның',
  'лар',
  'лер',
  'тар',
  'тер',
  'дар',
  'дер',
];
/** Russian noun endings after a name that lost its final vowel (Алия → Али-и, Петр → Петр-ом). */
const RU_NOUN = ['', 'а', 'я', 'ы', 'и', 'у', 'ю', 'е', 'ой', 'ей', 'ою', 'ею', 'ом', 'ем', 'ью'];
/** Russian surnames in -ов/-ев/-ин/-ын (and -ова …), declined as such (Иванова, Иванову, Ивановым, Ивановых). */
const RU_SURNAME = ['', 'а', 'у', 'ым', 'ом', 'е', 'ой', 'ою', 'ы', 'ых', 'ыми'];
/** Adjectival surnames (Кузнецкий, Кузнецкая). */
const RU_ADJECTIVE = ['ий', 'ый', 'ой', 'ого', 'ому', 'им', 'ым', 'ом', 'ая', 'ую', 'ие', 'ые', 'их', 'ых', 'ими', 'ыми'];

/** One written name (a surname, a first name, a patronymic) and the forms it takes; a short one ("Ли") only as written. */
type NameMatcher = { person: number; exact?: string; stems: { stem: string; endings: Set<string> }[] };

function matchersOf(people: Person[]): NameMatcher[] {
  const matchers: NameMatcher[] = [];
  people.forEach((person, index) => {
    const parts =
      person.fullName
        .normalize('NFC')
        .toLowerCase()
        .replace(/ё/g, 'е')
        .match(/\p{L}+(?:-\p{L}+)*/gu) ?? [];
    for (const part of parts) {
      // "ұлы", "қызы" (son/daughter of) are not names by themselves; initials are found next to the names.
      if (part === 'ұлы' || part === 'қызы' || part === 'оглы' || part === 'кызы' || part === 'улы' || [...part].length < 2) continue;
      if ([...part].length < 3) matchers.push({ person: index, exact: part, stems: [] });
      else matchers.push({ person: index, stems: formsOf(part) });
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
  if (matcher.exact) return word === matcher.exact;
  return matcher.stems.some(({ stem, endings }) => word.startsWith(stem) && endings.has(word.slice(stem.length)));
}

/** `initials`: those written next to the name; `own`: the participant's own (first name, patronymic); `word`: the first name word. */
type ParticipantSpan = { start: number; end: number; person: number; dot?: boolean; initials?: string; own?: string; word: string };

const INITIALS_BEFORE = /(?:\p{Lu}\.\s?){1,2}\s?$/u;
const INITIALS_AFTER = /^\s(?:\p{Lu}\.\s?\p{Lu}\.|\p{Lu}\.)/u;
/** "Серғазы ұлы", "Серғазы ұлына": the patronymic's second word. */
const MARKER_AFTER = /^\s(?:ұлы|улы|қызы|кызы)(?:ның|нің|на|не|н|мен|нан|нен|нда|нде)?(?!\p{L})/u;

/**
 * Every capitalised word that is a form of a participant's name; a run of one person's names with
 * initials ("Иванов П. С.", "Касымовой Алии Нурлановны", "П. С. Иванову") is one span.
 */
function participantSpans(text: string, people: Person[]): ParticipantSpan[] {
  const matchers = matchersOf(people);
  // The case lists people as "Surname First Patronymic".
  const ownInitials = people.map((p) =>
    (
      p.fullName
        .normalize('NFC')
        .toLowerCase()
        .match(/\p{L}+/gu) ?? []
    )
      .slice(1, 3)
      .map(initialOf)
      .join(''),
  );
  const spans: ParticipantSpan[] = [];
  for (const m of text.matchAll(/\p{L}+(?:-\p{L}+)*/gu)) {
    if (m[0][0] === m[0][0].toLowerCase()) continue; // names are capitalised
    const word = m[0].toLowerCase().replace(/ё/g, 'е');
    const found = matchers.find((matcher) => matchesName(word, matcher));
    if (found) spans.push({ start: m.index, end: m.index + m[0].length, person: found.person, word: m[0], own: ownInitials[found.person] });
  }
  // Merge a person's consecutive names (only blanks or initials between), then take in initials.
  const merged: ParticipantSpan[] = [];
  for (const span of spans) {
    const last = merged.at(-1);
    if (last && last.person === span.person && /^[\s\p{Lu}.]*$/u.test(text.slice(last.end, span.start)) && span.start - last.end <= 8) last.end = span.end;
    else merged.push({ ...span });
  }
  for (const span of merged) {
    const before = INITIALS_BEFORE.exec(text.slice(Math.max(0, span.start - 8), span.start));
    if (before) {
      span.start -= before[0].length;
      span.initials = lettersOf(before[0]);
    }
    const marker = MARKER_AFTER.exec(text.slice(span.end, span.end + 12));
    if (marker) span.end += marker[0].length;
    const after = INITIALS_AFTER.exec(text.slice(span.end, span.end + 8));
    if (after) {
      span.end += after[0].length;
      span.dot = endsSentence(text, span.end);
      span.initials = lettersOf(after[0]);
    }
  }
  return merged;
}

function lettersOf(initials: string): string {
  return (initials.match(/\p{Lu}/gu) ?? []).map(initialOf).join('');
}

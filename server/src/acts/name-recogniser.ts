/**
 * Finds the names of people an act mentions who are not among the case's participants (those
 * depersonalise.ts finds from the case's own list): judges, witnesses, relatives, experts, anyone.
 * Russian and Kazakh names, surname, first name and patronymic in any order and case form, with
 * initials before or after.
 *
 * A capitalised word is classified by its shape and the lists of person-names.ts:
 *   patronymic  -ович/-евич/-овна/-евна/-ична, -ұлы/-қызы (also "Серғазы ұлы");
 *   first name  a common first name in any Russian or Kazakh case form;
 *   surname     -ов/-ев/-ин/-цын/-енко/-чук and their female and declined forms (Лапиной, Ивановқа);
 *   weak        adjectival (-ский, -ская) or short Korean surnames (Ким, Цой): a name only with company;
 *   unknown     any other capitalised word.
 * Adjacent capitalised words form a run, and a run is a name when its shape says so (a patronymic;
 * a first name; a surname with anything; initials with a word) or its context does (a role word —
 * свидетель, куә — or a kinship word — брат, әйелі — just before it; "есімді" just after it; or a
 * surname already seen in the act). A run is not a name next to a place word (ауданы, районный,
 * г., имени), inside «quotes» (firms, brands), or made of stop words.
 */
import {
  AMBIGUOUS_NAMES,
  BRIDGE_WORD,
  COMMON_WORDS,
  FEMALE_NAMES,
  KAZAKH_FEMALE_NAMES,
  KAZAKH_MALE_NAMES,
  KIN_WORD,
  MALE_NAMES,
  NAMED_AFTER,
  NOT_NAMES,
  PLACE_AFTER,
  PLACE_BEFORE,
  PLACE_BEFORE_ABBREVIATED,
  PLACES,
  ROLE_WORD,
  SHORT_SURNAMES,
} from './person-names.ts';

/** What identifies the person a run names, to give the same person the same pseudonym. */
export type NameParts = { surname?: string; first?: string; initials: string };
export type NameMention = { start: number; end: number; parts: NameParts };
/** How depersonalise.ts marks what it found before: a participant's name, or data such as an address. */
export type Taken = 'participant' | 'data';

/** Kazakh case and possessive endings after a name (Айгүлдің, Ерланға, Ивановпен), longest first. */
export const KK_ENDINGS = [
  'ның',
  'нің',
  'дың',
  'дің',
  'тың',
  'тің',
  'нан',
  'нен',
  'дан',
  'ден',
  'тан',
  'тен',
  'нда',
  'нде',
  'мен',
  'бен',
  'пен',
  'ға',
  'ге',
  'қа',
  'ке',
  'на',
  'не',
  'ны',
  'ні',
  'ды',
  'ді',
  'ты',
  'ті',
  'да',
  'де',
  'та',
  'те',
  'а',
  'е',
  'н',
];
const KK = KK_ENDINGS.join('|');

const PATRONYMIC = new RegExp(
  `^(?:\\p{L}{2,}(?:(?:ович|евич|ьич)(?:а|у|ем|е)?|(?:овн|евн|ичн)(?:а|ы|е|у|ой|ою)|(?:ович|евич|овна|евна|ична)(?:${KK}))|\\p{L}{3,}(?:ұлы|улы|қызы|кызы)(?:ның|нің|на|не|н|мен|нан|нен|нда|нде)?)$`,
  'u',
);
/** -ын only as in Синицын: Kazakh words end in -ын too (Заңын, Конституциясын). */
const SURNAME_RU = /^(\p{L}{2,}(?:ов|ев|ин|цын))(?:а|у|ым|ом|е|ой|ою|ы|ых|ыми)?$/u;
const SURNAME_KK = new RegExp(`^(\\p{L}{2,}(?:ов|ев|ин|цын))а?(?:${KK})$`, 'u');
const SURNAME_OTHER = new RegExp(`^(\\p{L}{2,}(?:енко|чук|щук|юк))(?:а|у|ом|е|${KK})?$`, 'u');
const ADJECTIVAL = /^\p{L}{3,}(?:ск|цк)(?:ий|ого|ому|им|ом|ая|ой|ую|ие|их|ими)$/u;
/** "ұлы", "қызы" written apart: "Серғазы ұлы", "Серғазы ұлына". */
const MARKER = /^(?:ұлы|улы|қызы|кызы)(?:ның|нің|на|не|н|мен|нан|нен|нда|нде)?$/u;
const GENITIVE = /(?:ның|нің|дың|дің|тың|тің)$/u;

// ---- First names in all their forms -----------------------------------------------------------

const KK_TO_RU: Record<string, string> = { ә: 'а', ғ: 'г', қ: 'к', ң: 'н', ө: 'о', ұ: 'у', ү: 'у', һ: 'х', і: 'и' };

/** A Kazakh name's spellings: as written, in Russian letters, and with the Russian soft sign (Айгүл → Айгуль). */
function spellings(name: string): string[] {
  const russian = name.replace(/[әғқңөұүһі]/gu, (c) => KK_TO_RU[c]);
  const soft = russian.replace(/л(?=[^аеиоуыэюяь]|$)/gu, 'ль');
  return [...new Set([name, russian, soft])];
}

/** Russian case forms of a first name (Руслан → Руслана, Вера → Веры, Андрей → Андрея, Айгуль → Айгули). */
function russianForms(name: string): string[] {
  const forms = [name];
  const stem = name.slice(0, -1);
  if (/[ая]$/u.test(name)) forms.push(...['ы', 'и', 'е', 'у', 'ю', 'ой', 'ою', 'ей', 'ею'].map((e) => stem + e));
  else if (/[йь]$/u.test(name)) forms.push(...['я', 'ю', 'ем', 'е', 'и', 'ью', 'ей'].map((e) => stem + e));
  else if (!/[аеиоуыэюяәөүұі]$/u.test(name)) forms.push(...['а', 'у', 'ом', 'е', 'ым'].map((e) => name + e));
  // Fleeting vowels: Павел → Павла, Лев → Льва.
  if (name === 'павел') forms.push('павла', 'павлу', 'павлом', 'павле');
  if (name === 'лев') forms.push('льва', 'льву', 'львом', 'льве');
  return forms;
}

function buildFirstNames(): { forms: Map<string, string>; nominatives: Map<string, string> } {
  const forms = new Map<string, string>();
  const nominatives = new Map<string, string>();
  const lists = [MALE_NAMES, FEMALE_NAMES, KAZAKH_MALE_NAMES, KAZAKH_FEMALE_NAMES];
  for (const list of lists) {
    for (const name of list.split(/\s+/).filter(Boolean)) {
      const lemma = fold(name);
      for (const spelling of spellings(lemma)) {
        nominatives.set(spelling, lemma);
        for (const form of russianForms(spelling)) if (!forms.has(form)) forms.set(form, lemma);
      }
    }
  }
  return { forms, nominatives };
}

const FIRST_NAMES = buildFirstNames();

/** The first name a word is a form of (its nominative), or null. */
export function firstNameOf(word: string): string | null {
  const direct = FIRST_NAMES.forms.get(word);
  if (direct) return direct;
  for (const ending of KK_ENDINGS) {
    if (word.length > ending.length + 2 && word.endsWith(ending)) {
      const lemma = FIRST_NAMES.nominatives.get(word.slice(0, -ending.length));
      if (lemma) return lemma;
    }
  }
  return null;
}

/** A surname's base ("Лапиной", "Лапинаға" → "лапин"), or null when the word has no surname ending. */
export function surnameOf(word: string): string | null {
  const m = SURNAME_RU.exec(word) ?? SURNAME_KK.exec(word) ?? SURNAME_OTHER.exec(word);
  return m ? m[1] : null;
}

const PLACE_FORMS = new Set(
  PLACES.flatMap((place) => {
    const p = fold(place);
    const stem = /[аяеы]$/u.test(p) ? p.slice(0, -1) : p;
    return [p, ...['а', 'ы', 'и', 'е', 'у', 'ой', 'ом'].map((e) => stem + e), ...KK_ENDINGS.map((e) => p + e), ...KK_ENDINGS.map((e) => `${p}${/[аеиоуыәөүұі]$/u.test(p) ? '' : 'ы'}${e}`)];
  }),
);

function fold(word: string): string {
  const lower = word.toLowerCase();
  return lower.includes('ё') ? lower.replace(/ё/g, 'е') : lower;
}

// ---- Tokens --------------------------------------------------------------------------------------

type Class = 'patronymic' | 'first' | 'surname' | 'weak' | 'unknown' | 'initial' | 'marker' | 'other';

type Token = {
  start: number;
  end: number;
  lower: string;
  cls: Class;
  /** The token starts a sentence (after . ! ? or a line break, not after an initial or "г."). */
  sentenceStart: boolean;
  taken: Taken | null;
  first?: string;
  surname?: string;
};

const WORD = /\p{L}+(?:[-'’]\p{L}+)*|\d+/gu;
/** Abbreviations a dot follows without ending the sentence ("г. Астана", "ул. Абая", "тел. …"). */
const ABBREVIATIONS = new Set([
  'г',
  'гор',
  'ул',
  'им',
  'пр',
  'просп',
  'пер',
  'д',
  'кв',
  'ст',
  'ч',
  'п',
  'пп',
  'т',
  'р',
  'обл',
  'мкр',
  'тел',
  'гр',
  'с',
  'пос',
  'корп',
  'см',
  'др',
  'ж',
  'б',
  'руб',
  'тг',
  'млн',
  'тыс',
  'каб',
  'к',
  'ш',
]);

/** Ranges inside «…», “…”, „…“ and "…": names of firms, shops, brands — not people. */
function quotedRanges(text: string): [number, number][] {
  const ranges: [number, number][] = [];
  for (const m of text.matchAll(/«[^«»\n]{1,80}»|“[^“”\n]{1,80}”|„[^„“\n]{1,80}“|"[^"\n]{1,80}"/gu)) ranges.push([m.index, m.index + m[0].length]);
  return ranges;
}

function tokenize(text: string, taken: (start: number, end: number) => Taken | null): Token[] {
  const quoted = quotedRanges(text);
  const tokens: Token[] = [];
  let q = 0;
  for (const m of text.matchAll(WORD)) {
    const word = m[0];
    const start = m.index;
    let end = start + word.length;
    const previous = tokens.at(-1);
    const capitalised = word[0] !== word[0].toLowerCase();
    const token: Token = { start, end, lower: fold(word), cls: 'other', sentenceStart: false, taken: null };
    tokens.push(token);
    if (!capitalised) {
      // Lowercase words are never names; a separate "ұлы" after a father's name is part of one.
      if (MARKER.test(token.lower) && (previous?.cls === 'first' || previous?.cls === 'unknown') && !GENITIVE.test(previous.lower)) token.cls = 'marker';
      continue;
    }
    if (word.length === 1 && text[end] === '.') token.end = end += 1;
    const gap = text.slice(previous?.end ?? 0, start);
    const afterAbbreviation = previous !== undefined && (previous.cls === 'initial' || ABBREVIATIONS.has(previous.lower)) && gap.startsWith('.');
    token.sentenceStart = !previous || (/(?:[.!?…:]\s*|\n\s*)$/u.test(gap) && !afterAbbreviation);
    token.taken = taken(start, end);
    while (q < quoted.length && quoted[q][1] <= start) q++;
    const inQuotes = q < quoted.length && quoted[q][0] < start && start < quoted[q][1];
    if (!inQuotes && token.taken === null) classify(token, word);
  }
  return tokens;
}

/** A capitalised word's class (see the top of the file). */
function classify(token: Token, word: string): void {
  const w = token.lower;
  if (word.length === 1) {
    if (token.end > token.start + 1) token.cls = 'initial';
    return;
  }
  if (NOT_NAMES.has(w) || COMMON_WORDS.has(w) || PLACE_FORMS.has(w) || /\d/u.test(w)) return;
  const allCaps = word === word.toUpperCase();
  const first = firstNameOf(w);
  if ((ROLE_WORD.test(w) || KIN_WORD.test(w)) && (!first || token.sentenceStart)) return;
  const surname = surnameOf(w);
  if (PATRONYMIC.test(w)) token.cls = 'patronymic';
  else if (first) {
    token.cls = 'first';
    token.first = first;
  } else if (surname && !allCaps) {
    token.cls = 'surname';
    token.surname = surname;
  } else if (surname || ADJECTIVAL.test(w) || SHORT_SURNAMES.has(w))
    token.cls = 'weak'; // in capitals, a heading's word ("АТЫНАН") unless a name is next to it
  else if (!allCaps) token.cls = 'unknown';
}

// ---- Runs ----------------------------------------------------------------------------------------

const NAME_GAP = /^[ \t]*\n?[ \t]*$/;
const BRIDGE_GAP = /^[\s,:–—-]*$/;

/** Consecutive name-like tokens (initials and a separate "ұлы" included). */
function runsOf(tokens: Token[], text: string): number[][] {
  const runs: number[][] = [];
  let current: number[] = [];
  tokens.forEach((token, i) => {
    const candidate = token.cls !== 'other';
    const joins = current.length > 0 && NAME_GAP.test(text.slice(tokens[i - 1].end, token.start));
    if (candidate && (joins || token.cls !== 'marker')) {
      if (!joins && current.length > 0) {
        runs.push(current);
        current = [];
      }
      current.push(i);
    } else if (current.length > 0) {
      runs.push(current);
      current = [];
    }
  });
  if (current.length > 0) runs.push(current);
  return runs;
}

/** A role or kinship word just before the run, past small words, pseudonyms and known names. */
function hasContextBefore(tokens: Token[], at: number, text: string, accepted: Set<number>): boolean {
  for (let j = at - 1, steps = 0; j >= 0 && steps < 6; j--, steps++) {
    const token = tokens[j];
    if (!BRIDGE_GAP.test(text.slice(token.end, tokens[j + 1].start))) return false;
    if (ROLE_WORD.test(token.lower) || KIN_WORD.test(token.lower)) return true;
    const bridge = BRIDGE_WORD.test(token.lower) || /^\d+$/.test(token.lower) || token.taken === 'participant' || accepted.has(j) || /^(?:ның|нің|дың|дің|тың|тің|ға|ге|ны|ні)$/u.test(token.lower);
    if (!bridge) return false;
  }
  return false;
}

function isPlaceRun(tokens: Token[], run: number[], text: string): boolean {
  const before = tokens[run[0] - 1];
  const after = tokens[run.at(-1)! + 1];
  if (after && PLACE_AFTER.test(after.lower) && NAME_GAP.test(text.slice(tokens[run.at(-1)!].end, after.start))) return true;
  // "имени Абая" is a namesake institution, "по имени Руслан" a person.
  const byName = before?.lower === 'имени' && tokens[run[0] - 2]?.lower === 'по';
  const gap = before ? text.slice(before.end, tokens[run[0]].start) : '';
  if (before && !byName && PLACE_BEFORE.test(before.lower) && /^\s*$/.test(gap)) return true;
  if (before && PLACE_BEFORE_ABBREVIATED.test(before.lower) && /^\.\s*$/.test(gap)) return true;
  return false;
}

type Verdict = 'name' | 'maybe' | 'no';

/** A run's verdict from its shape and context; "maybe": a name if the act names that surname elsewhere. */
function judge(tokens: Token[], run: number[], text: string, accepted: Set<number>): Verdict {
  const classes = run.map((i) => tokens[i].cls);
  const count = (cls: Class) => classes.filter((c) => c === cls).length;
  const words = run.length - count('initial') - count('marker');
  if (words === 0) return 'no';
  if (isPlaceRun(tokens, run, text)) return 'no';
  const after = tokens[run.at(-1)! + 1];
  const context = hasContextBefore(tokens, run[0], text, accepted) || (after !== undefined && NAMED_AFTER.test(after.lower));
  if (count('patronymic') > 0 || count('marker') > 0) return 'name';
  if (count('initial') > 0) return count('initial') >= 2 || count('unknown') === 0 ? 'name' : context ? 'name' : 'maybe';
  if (count('first') > 0) {
    if (words > 1) return 'name';
    const token = tokens[run[0]];
    return token.sentenceStart && AMBIGUOUS_NAMES.has(token.first!) && !context ? 'maybe' : 'name';
  }
  if (count('surname') > 0 && (words > 1 || !tokens[run[0]].sentenceStart)) return 'name';
  if (context) return 'name';
  return 'maybe';
}

/**
 * The words that identify the person a run names: the surname's base, the first name, and the
 * initials of the first name and patronymic ("Лапина Вера Михайловна" and "В.М. Лапиной" both "вм").
 */
function partsOf(tokens: Token[], run: number[], surnameBefore?: string): NameParts {
  const parts: NameParts = { initials: '', surname: surnameBefore };
  // A word without a surname ending is the surname when it comes first ("Серікбай Нұрдәулет"),
  // a first name after a surname ("Нұрмағамбетов Ғалымжан") or before one ("Гүлнұр Әбдірахманова").
  let unknownFirst: string | undefined;
  for (const i of run) {
    const token = tokens[i];
    if (token.cls === 'surname' && (!parts.surname || unknownFirst) && !surnameBefore) {
      if (unknownFirst) parts.initials = initialOf(unknownFirst) + parts.initials;
      parts.surname = token.surname;
      unknownFirst = undefined;
    } else if (token.cls === 'first' || token.cls === 'patronymic' || token.cls === 'initial') {
      if (token.cls === 'first' && !parts.first) parts.first = token.first;
      parts.initials += initialOf(token.lower);
    } else if (token.cls === 'unknown' || token.cls === 'weak') {
      if (!parts.surname && parts.initials === '') {
        parts.surname = stripEnding(token.lower);
        if (token.cls === 'unknown') unknownFirst = token.lower;
      } else if (token.cls === 'unknown') parts.initials += initialOf(token.lower);
    }
  }
  return parts;
}

/** A name's initial as compared across spellings: "Ғ." and "Г.", "Ә." and "А." are the same initial. */
export function initialOf(word: string): string {
  const letter = [...word.toLowerCase()][0] ?? '';
  return KK_TO_RU[letter] ?? letter;
}

function stripEnding(word: string): string {
  const ending = KK_ENDINGS.find((e) => word.length > e.length + 3 && word.endsWith(e));
  return ending ? word.slice(0, -ending.length) : word;
}

/** A word names the same surname as one the act already names ("Серікбай Н.Қ." … "Серікбайдың"). */
function knownSurname(token: Token, surnames: Set<string>): boolean {
  if (token.surname) return surnames.has(token.surname);
  if (token.cls !== 'unknown' && token.cls !== 'weak') return false;
  return surnames.has(token.lower) || surnames.has(stripEnding(token.lower));
}

/**
 * The names in `text`. `taken(start, end)` says which words depersonalise.ts has already found:
 * participants' names (they split runs, and count as a bridge: "брат подсудимого Иванова Руслан")
 * and data such as addresses (a street named after a person is part of the address).
 */
export function recogniseNames(text: string, taken: (start: number, end: number) => Taken | null = () => null): NameMention[] {
  const tokens = tokenize(text, taken);
  const runs = runsOf(tokens, text).map((run) => dropLeadingWord(tokens, run));
  const accepted = new Set<number>();
  const verdicts = runs.map((run) => {
    const verdict = judge(tokens, run, text, accepted);
    if (verdict === 'name') run.forEach((i) => accepted.add(i));
    return verdict;
  });
  // Second pass: a lone surname at the start of a sentence, or a word with no surname ending,
  // is a name when the act names that surname somewhere with its first name or initials.
  const surnames = new Set<string>();
  runs.forEach((run, r) => {
    if (verdicts[r] === 'name')
      for (const i of run) if (tokens[i].cls === 'surname' || tokens[i].cls === 'unknown' || tokens[i].cls === 'weak') surnames.add(tokens[i].surname ?? stripEnding(tokens[i].lower));
  });
  const mentions: NameMention[] = [];
  runs.forEach((run, r) => {
    const name = verdicts[r] === 'name' || (verdicts[r] === 'maybe' && run.some((i) => knownSurname(tokens[i], surnames)));
    if (!name) return;
    // Right after a participant's surname ("мать Ахметова Роза Кенесовна") the run names a relative with that surname.
    const before = tokens[run[0] - 1];
    const surnameBefore = before?.taken === 'participant' && /^[ \t]+$/.test(text.slice(before.end, tokens[run[0]].start)) ? (surnameOf(before.lower) ?? before.lower) : undefined;
    mentions.push({ start: tokens[run[0]].start, end: tokens[run.at(-1)!].end, parts: partsOf(tokens, run, surnameBefore) });
  });
  return mentions;
}

/** "Очевидец Лапина В.М.": a capitalised word opening a sentence before a surname is not part of the name. */
function dropLeadingWord(tokens: Token[], run: number[]): number[] {
  const [first, second] = run.map((i) => tokens[i]);
  if (second && first.cls === 'unknown' && first.sentenceStart && (second.cls === 'surname' || second.cls === 'weak')) return run.slice(1);
  return run;
}

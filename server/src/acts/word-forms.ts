/**
 * Russian and Kazakh word forms for the acts search. SQLite has no stemmer for either language,
 * so both the index and the query keep words as written (FTS5 `unicode61`, case folded) and the
 * query does the work: each word loses its inflectional ending — the longest one from the lists
 * below that leaves a stem of at least four letters, one ending only (a second round cuts Russian
 * stems short: "свобода" → "свобо" → "своб") — and is searched as a prefix of that stem.
 * "кражи", "кражу", "кражей" → "краж"*; "ұрлықты", "ұрлықтың" → "ұрлық"*.
 *
 * Kazakh voices a final к/қ/п before a vowel (ұрлық → ұрлығы, кітап → кітабы): a stem ending in
 * the voiced г/ғ/б loses that letter too, so it finds both spellings.
 *
 * Prefix search over-matches a little ("краж"* also finds "кражеустойчивый"); that is the price
 * of not missing forms, which is what a person searching acts cares about. Recall and precision on
 * a hand-made set are measured in word-forms.spec.ts (docs/acts-search.md).
 */

const RUSSIAN_ENDINGS = [
  'иями',
  'ями',
  'ами',
  'ого',
  'его',
  'ому',
  'ему',
  'ыми',
  'ими',
  'ией',
  'иях',
  'иям',
  'ием',
  'ия',
  'ие',
  'ий',
  'ии',
  'ию',
  'ая',
  'яя',
  'ое',
  'ее',
  'ые',
  'ой',
  'ей',
  'ый',
  'ом',
  'ем',
  'ам',
  'ям',
  'ах',
  'ях',
  'ов',
  'ев',
  'ую',
  'юю',
  'ых',
  'их',
  'ью',
  'а',
  'я',
  'ы',
  'и',
  'у',
  'ю',
  'е',
  'о',
  'ь',
  'й',
];

const KAZAKH_ENDINGS = [
  // plural, possessive and case endings, longest first within each family
  'лардың',
  'лердің',
  'дардың',
  'дердің',
  'тардың',
  'тердің',
  'ларға',
  'лерге',
  'ларды',
  'лерді',
  'ларын',
  'лерін',
  'лары',
  'лері',
  'дары',
  'дері',
  'тары',
  'тері',
  'лар',
  'лер',
  'дар',
  'дер',
  'тар',
  'тер',
  'ның',
  'нің',
  'дың',
  'дің',
  'тың',
  'тің',
  'ында',
  'інде',
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
  'ға',
  'ге',
  'қа',
  'ке',
  'на',
  'не',
  'да',
  'де',
  'та',
  'те',
  'ны',
  'ні',
  'ды',
  'ді',
  'ты',
  'ті',
  'сы',
  'сі',
  'ын',
  'ін',
  'ы',
  'і',
];

const ENDINGS = [...new Set([...RUSSIAN_ENDINGS, ...KAZAKH_ENDINGS])].sort((a, b) => b.length - a.length);
const MIN_STEM = 4;
const VOICED_FINAL = /[гғб]$/u;

/** The stem searched for a word (already lower case). Stacked Kazakh endings are in the list whole (лардың). */
export function stem(word: string): string {
  if (/\p{N}/u.test(word)) return word;
  const ending = ENDINGS.find((e) => word.endsWith(e) && [...word].length - [...e].length >= MIN_STEM);
  let current = ending ? word.slice(0, -ending.length) : word;
  if (current !== word && VOICED_FINAL.test(current) && [...current].length > MIN_STEM) current = current.slice(0, -1);
  return current;
}

export type ActsQuery = {
  /** The FTS5 expression without a column filter: every word and phrase required. */
  match: string;
  /**
   * The same query as parts, for PostgreSQL's tsquery (acts.repository.ts): each part is required,
   * a single stem or a key phrase's stems (adjacent, in any order).
   */
  parts: string[][];
  /** The stems searched for, to highlight. */
  terms: string[];
};

export const MAX_QUERY_PARTS = 8;

/**
 * What a user typed → an FTS5 expression that their input can never break (every token a quoted
 * string). Words in "double quotes" are a key phrase: their stems next to each other (NEAR with
 * no other word between, in any order — close enough to the phrase with its words in other forms;
 * FTS5 counts the phrase's own middle words as between, hence n − 2). Null when nothing
 * searchable is left.
 */
export function parseActsQuery(input: string): ActsQuery | null {
  const normalised = input.normalize('NFC').toLowerCase().replace(/ё/g, 'е').slice(0, 500);
  const parts: string[][] = [];
  const phrases = /"([^"]*)"|([^\s"]+)/g;
  for (const m of normalised.matchAll(phrases)) {
    const words = wordsOf(m[1] ?? m[2]);
    if (words.length === 0) continue;
    if (m[1] !== undefined && words.length > 1) parts.push(words.slice(0, MAX_QUERY_PARTS).map(stem));
    else parts.push(...words.map((word) => [stem(word)]));
    if (parts.length >= MAX_QUERY_PARTS) break;
  }
  if (parts.length === 0) return null;
  const kept = parts.slice(0, MAX_QUERY_PARTS);
  const token = (s: string) => `"${s.replaceAll('"', '""')}"*`;
  const match = kept.map((part) => (part.length === 1 ? token(part[0]!) : `NEAR(${part.map(token).join(' ')}, ${part.length - 2})`)).join(' AND ');
  return { match, parts: kept, terms: [...new Set(parts.flat())] };
}

function wordsOf(text: string): string[] {
  return [...text.matchAll(/[\p{L}\p{N}]+/gu)].map((m) => m[0]);
}

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
  /** The stems searched for, to highlight. */
  terms: string[];
};

export const MAX_QUERY_PARTS = 8;

/**
 * What a user typed → an FTS5 expression that their input can never break (every token a quoted
 * string). Words in "double quotes" are a key phrase: their stems next to each other (NEAR with
 * no word between, in any order — close enough to the phrase with its words in other forms).
 * Null when nothing searchable is left.
 */
export function parseActsQuery(input: string): ActsQuery | null {
  const normalised = input.normalize('NFC').toLowerCase().replace(/ё/g, 'е').slice(0, 500);
  const parts: string[] = [];
  const terms: string[] = [];
  const tokenOf = (word: string) => {
    const s = stem(word);
    terms.push(s);
    return `"${s.replaceAll('"', '""')}"*`;
  };
  const phrases = /"([^"]*)"|([^\s"]+)/g;
  for (const m of normalised.matchAll(phrases)) {
    const words = wordsOf(m[1] ?? m[2]);
    if (words.length === 0) continue;
    if (m[1] !== undefined && words.length > 1) parts.push(`NEAR(${words.slice(0, MAX_QUERY_PARTS).map(tokenOf).join(' ')}, 0)`);
    else parts.push(...words.map(tokenOf));
    if (parts.length >= MAX_QUERY_PARTS) break;
  }
  if (parts.length === 0) return null;
  return { match: parts.slice(0, MAX_QUERY_PARTS).join(' AND '), terms: [...new Set(terms)] };
}

function wordsOf(text: string): string[] {
  return [...text.matchAll(/[\p{L}\p{N}]+/gu)].map((m) => m[0]);
}

/**
 * How text is made searchable, the same way for the pages going into the index and for the words
 * a user types: Unicode NFC, ё folded into е (Russian writes both for the same word), control
 * characters and runs of blanks collapsed. And how a user's words become an FTS5 query that user
 * input can never break: every word is a quoted string (quotes doubled), searched as a prefix.
 */

/** A page's text is cut here: nothing a person reads on one sheet is longer. */
export const MAX_PAGE_CHARS = 100_000;
/** Words of a query past this many are ignored. */
export const MAX_QUERY_WORDS = 8;

export function searchableText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/ё/g, 'е')
    .replace(/Ё/g, 'Е')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, ' ')
    .replace(/[ \t\u00a0\u2000-\u200b\u202f\u3000]+/g, ' ')
    .replace(/ ?\n[ \n]*/g, '\n')
    .trim()
    .slice(0, MAX_PAGE_CHARS);
}

export type SearchQuery = {
  /** The FTS5 MATCH expression: every word quoted, as a prefix, all required. */
  match: string;
  /** The words searched for (lower case, endings trimmed): what a viewer highlights on the page. */
  terms: string[];
};

/**
 * The query for what a user typed, or null when it has no word to search for. Each word loses
 * its outer punctuation and, in Russian and Kazakh, a short vowel ending ("кража" → "краж"),
 * and is searched as a prefix: so "кража" also finds "кражи" and "кражу", "Ахметова" finds
 * "Ахметов". A light touch instead of a stemmer, which SQLite does not have for these languages.
 */
export function parseSearchQuery(input: string): SearchQuery | null {
  const words = searchableText(input)
    .toLowerCase()
    .split(/\s+/)
    .map((word) => word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
    .filter((word) => /[\p{L}\p{N}]/u.test(word));
  const terms = [...new Set(words.map(trimEnding))].slice(0, MAX_QUERY_WORDS);
  if (terms.length === 0) return null;
  return { match: terms.map((term) => `"${term.replaceAll('"', '""')}"*`).join(' AND '), terms };
}

const VOWEL_ENDING = /[аеиоуыэюяьйіұүәөы]{1,2}$/u;

/** "кража" → "краж", "показания" → "показан"; short words and other scripts stay as they are. */
function trimEnding(word: string): string {
  const ending = VOWEL_ENDING.exec(word);
  if (!ending) return word;
  const stem = word.slice(0, -ending[0].length);
  return [...stem].length >= 4 ? stem : word;
}

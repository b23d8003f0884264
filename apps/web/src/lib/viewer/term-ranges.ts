/**
 * Where the words of a search stand in a piece of text: the server searched them as word
 * prefixes, ignoring case and ё/е, so that is how they are found here. Plain TypeScript (no DOM),
 * unit-tested with Node.
 */

/** Lower case, ё as е: the server's folding (server/src/case-text/search-text.ts). */
function fold(text: string): string {
  return text.toLowerCase().replace(/ё/g, 'е');
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** [from, to) ranges of `text` where a term starts a word, sorted and merged. */
export function termRanges(text: string, terms: readonly string[]): [number, number][] {
  const folded = fold(text);
  // A few characters change length in lower case (İ); such text is left unmarked, not mismarked.
  if (folded.length !== text.length || terms.length === 0) return [];
  const ranges: [number, number][] = [];
  for (const term of terms.map(fold)) {
    if (!term) continue;
    for (let at = folded.indexOf(term); at !== -1; at = folded.indexOf(term, at + 1)) {
      if (at > 0 && WORD_CHAR.test(folded[at - 1])) continue;
      ranges.push([at, at + term.length]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([...range]);
  }
  return merged;
}

/** Marks search words in a page's pdf.js text layer (its text runs), and unmarks them. */
import { termRanges } from './term-ranges.ts';

/** Wraps every occurrence of `terms` in the runs in <mark>; returns how many were marked. */
export function highlightTerms(runs: readonly HTMLElement[], terms: readonly string[]): number {
  let count = 0;
  for (const run of runs) {
    // The run's own text, kept the first time: marks split it into several nodes.
    const text = (run.dataset.text ??= run.textContent ?? '');
    const ranges = termRanges(text, terms);
    if (ranges.length === 0) {
      if (run.childElementCount > 0) run.textContent = text;
      continue;
    }
    const parts: Node[] = [];
    let at = 0;
    for (const [from, to] of ranges) {
      if (from > at) parts.push(document.createTextNode(text.slice(at, from)));
      const mark = document.createElement('mark');
      mark.textContent = text.slice(from, to);
      parts.push(mark);
      at = to;
    }
    if (at < text.length) parts.push(document.createTextNode(text.slice(at)));
    run.replaceChildren(...parts);
    count += ranges.length;
  }
  return count;
}

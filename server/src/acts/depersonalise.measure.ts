/**
 * How well depersonalisation does on annotated acts (the held-out set, the dev set): which personal
 * items stay readable (misses) and which words were masked that are not personal (over-masking).
 * Used by depersonalise.spec.ts (which asserts the held-out miss rate) and by the search.acts bench
 * (which prints the figures and every miss).
 *
 * Measured on the spans depersonalise masks, not on its output text: an item is missed when any
 * of its occurrences (as a whole word sequence) keeps a letter or digit outside every masked span.
 */
import { personalSpans } from './depersonalise.ts';
import type { HeldOutAct, ItemKind } from './depersonalise.held-out.ts';

export type Miss = { act: string; item: string; kind: ItemKind };
export type Overmasked = { act: string; word: string };
export type Measured = {
  items: number;
  missed: Miss[];
  /** Words masked that belong to no annotated item, and the capitalised ones among them. */
  overmasked: Overmasked[];
  overmaskedCapitalised: number;
  /** Capitalised words outside the items: what over-masking is a share of. */
  capitalisedOutside: number;
};

const WORD = /[\p{L}\p{N}]+/gu;

/** Where a substring occurs as whole words (not inside a longer word or number). */
function occurrences(text: string, item: string): [number, number][] {
  const found: [number, number][] = [];
  for (let at = text.indexOf(item); at !== -1; at = text.indexOf(item, at + 1)) {
    const before = text[at - 1] ?? ' ';
    const after = text[at + item.length] ?? ' ';
    if (!/[\p{L}\p{N}]/u.test(before) && !/[\p{L}\p{N}]/u.test(after)) found.push([at, at + item.length]);
  }
  return found;
}

export function measure(acts: HeldOutAct[]): Measured {
  const result: Measured = { items: 0, missed: [], overmasked: [], overmaskedCapitalised: 0, capitalisedOutside: 0 };
  for (const act of acts) {
    const text = act.text.normalize('NFC');
    const masked = new Uint8Array(text.length);
    for (const span of personalSpans(text, act.people)) masked.fill(1, span.start, span.end);
    const personal = new Uint8Array(text.length);
    for (const item of act.items) {
      result.items++;
      const where = occurrences(text, item.text.normalize('NFC'));
      if (where.length === 0) throw new Error(`${act.id}: "${item.text}" is not in the text`);
      let missed = false;
      for (const [start, end] of where) {
        personal.fill(1, start, end);
        for (let i = start; i < end; i++) if (/[\p{L}\p{N}]/u.test(text[i]) && !masked[i]) missed = true;
      }
      if (missed) result.missed.push({ act: act.id, item: item.text, kind: item.kind });
    }
    for (const m of text.matchAll(WORD)) {
      const start = m.index;
      const end = start + m[0].length;
      if (personal.subarray(start, end).some((v) => v === 1)) continue;
      const capitalised = /^\p{Lu}/u.test(m[0]);
      if (capitalised) result.capitalisedOutside++;
      if (masked.subarray(start, end).every((v) => v === 1)) {
        result.overmasked.push({ act: act.id, word: m[0] });
        if (capitalised) result.overmaskedCapitalised++;
      }
    }
  }
  return result;
}

/** "0.4% (1 of 268)" */
export function percentOf(part: number, whole: number): string {
  return `${whole === 0 ? 0 : Number(((part / whole) * 100).toFixed(1))}% (${part} of ${whole})`;
}

/** Searching the text of a case file, as GET /api/cases/:id/search answers (server/src/case-text/). */

/** A snippet as pieces of text, `hit` on the pieces that matched: no markup to trust or escape. */
export type SnippetPart = { text: string; hit: boolean };

export type SearchHit = { documentId: string; page: number; volume: number; sheet: number; snippet: SnippetPart[] };

export type SearchAnswer = {
  /** The words searched for, as a viewer should highlight them on the page (prefixes, lower case). */
  terms: string[];
  /** Pages matching in all; `hits` is the part from `offset`. */
  total: number;
  offset: number;
  hits: SearchHit[];
  coverage: TextCoverage;
};

export type TextCoverage = { documents: number; indexed: number; failed: number };

/**
 * Text search in the case file, as the viewer's search panel shows it: the query, the hits so
 * far (more on request), how much of the case file the index covers, and the words to highlight
 * on the pages. A newer search makes the answer of an older one irrelevant (it is dropped).
 */
import * as api from '../api.ts';
import { errorCode, type ErrorCode } from '../api.ts';
import type { SearchAnswer, SearchHit } from '../types.ts';

/** Hits asked for at a time. */
const PORTION = 50;

export class CaseSearch {
  #caseId: string;
  #query = $state('');
  #hits = $state.raw<SearchHit[]>([]);
  #answer = $state.raw<SearchAnswer | null>(null);
  #loading = $state(false);
  #error = $state<ErrorCode | null>(null);
  #latest = 0;

  constructor(caseId: string) {
    this.#caseId = caseId;
  }

  /** The query of the results shown. */
  get query(): string {
    return this.#query;
  }

  get hits(): SearchHit[] {
    return this.#hits;
  }

  get total(): number {
    return this.#answer?.total ?? 0;
  }

  /** The words to highlight on the pages (empty when there is no search). */
  get terms(): string[] {
    return this.#answer?.terms ?? [];
  }

  get coverage(): SearchAnswer['coverage'] | null {
    return this.#answer?.coverage ?? null;
  }

  get searched(): boolean {
    return this.#answer !== null;
  }

  get loading(): boolean {
    return this.#loading;
  }

  get error(): ErrorCode | null {
    return this.#error;
  }

  async search(query: string): Promise<void> {
    const ticket = ++this.#latest;
    this.#query = query;
    this.#loading = true;
    this.#error = null;
    try {
      const answer = await api.searchCase(this.#caseId, query, { limit: PORTION });
      if (ticket !== this.#latest) return;
      this.#answer = answer;
      this.#hits = answer.hits;
    } catch (error) {
      if (ticket === this.#latest) this.#error = errorCode(error);
    } finally {
      if (ticket === this.#latest) this.#loading = false;
    }
  }

  /** The next portion of hits of the same search. */
  async more(): Promise<void> {
    if (!this.#answer || this.#loading || this.#hits.length >= this.#answer.total) return;
    const ticket = ++this.#latest;
    this.#loading = true;
    try {
      const answer = await api.searchCase(this.#caseId, this.#query, { limit: PORTION, offset: this.#hits.length });
      if (ticket !== this.#latest) return;
      this.#answer = answer;
      this.#hits = [...this.#hits, ...answer.hits];
    } catch (error) {
      if (ticket === this.#latest) this.#error = errorCode(error);
    } finally {
      if (ticket === this.#latest) this.#loading = false;
    }
  }

  clear(): void {
    this.#latest++;
    this.#query = '';
    this.#answer = null;
    this.#hits = [];
    this.#error = null;
    this.#loading = false;
  }
}

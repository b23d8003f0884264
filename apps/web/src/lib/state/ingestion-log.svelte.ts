/** The court's log of received e-case packages (newest first), with the court numbers of their cases. */
import * as api from '../api.ts';
import { errorCode, type ErrorCode } from '../api.ts';
import type { Ingestion } from '../types.ts';

export class IngestionLog {
  #entries = $state.raw<Ingestion[]>([]);
  /** Case id → court case number, from the court's case list (the log names cases by id only). */
  #caseNumbers = $state.raw<ReadonlyMap<string, string>>(new Map());
  #loading = $state(false);
  #loaded = $state(false);
  #error = $state<ErrorCode | null>(null);
  #next = $state<string | null>(null);
  #latest = 0;

  /** Whether older entries can be loaded. */
  get hasMore(): boolean {
    return this.#next !== null;
  }

  get entries(): Ingestion[] {
    return this.#entries;
  }

  get loading(): boolean {
    return this.#loading;
  }

  get loaded(): boolean {
    return this.#loaded;
  }

  get error(): ErrorCode | null {
    return this.#error;
  }

  caseNumber(caseId: string): string | null {
    return this.#caseNumbers.get(caseId) ?? null;
  }

  async load(): Promise<void> {
    const ticket = ++this.#latest;
    this.#loading = true;
    this.#error = null;
    try {
      const [page, cases] = await Promise.all([api.getIngestions(), api.getCases().catch(() => null)]);
      if (ticket !== this.#latest) return;
      this.#entries = page.ingestions;
      this.#next = page.next;
      if (cases) this.#caseNumbers = new Map(cases.map((c) => [c.id, c.caseNumber]));
      this.#loaded = true;
    } catch (error) {
      if (ticket === this.#latest) this.#error = errorCode(error);
    } finally {
      if (ticket === this.#latest) this.#loading = false;
    }
  }

  /** Appends the next older page. */
  async loadMore(): Promise<void> {
    if (this.#next === null || this.#loading) return;
    const ticket = ++this.#latest;
    this.#loading = true;
    this.#error = null;
    try {
      const page = await api.getIngestions(this.#next);
      if (ticket !== this.#latest) return;
      this.#entries = [...this.#entries, ...page.ingestions];
      this.#next = page.next;
    } catch (error) {
      if (ticket === this.#latest) this.#error = errorCode(error);
    } finally {
      if (ticket === this.#latest) this.#loading = false;
    }
  }
}

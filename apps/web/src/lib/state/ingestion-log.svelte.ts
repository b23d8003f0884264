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

  /** The newest page, and the court's case numbers. */
  load(): Promise<void> {
    return this.#request(
      () => Promise.all([api.getIngestions(), api.getCases().catch(() => null)]),
      ([page, cases]) => {
        this.#entries = page.ingestions;
        this.#next = page.next;
        if (cases) this.#caseNumbers = new Map(cases.map((c) => [c.id, c.caseNumber]));
        this.#loaded = true;
      },
    );
  }

  /** Appends the next older page. */
  loadMore(): Promise<void> {
    const before = this.#next;
    if (before === null || this.#loading) return Promise.resolve();
    return this.#request(
      () => api.getIngestions(before),
      (page) => {
        this.#entries = [...this.#entries, ...page.ingestions];
        this.#next = page.next;
      },
    );
  }

  /** Runs one request; only the latest one started may change the state (an older answer is dropped). */
  async #request<T>(fetch: () => Promise<T>, apply: (answer: T) => void): Promise<void> {
    const ticket = ++this.#latest;
    this.#loading = true;
    this.#error = null;
    try {
      const answer = await fetch();
      if (ticket === this.#latest) apply(answer);
    } catch (error) {
      if (ticket === this.#latest) this.#error = errorCode(error);
    } finally {
      if (ticket === this.#latest) this.#loading = false;
    }
  }
}

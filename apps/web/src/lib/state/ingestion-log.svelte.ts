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
  #latest = 0;

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
      const [entries, cases] = await Promise.all([api.getIngestions(), api.getCases().catch(() => null)]);
      if (ticket !== this.#latest) return;
      this.#entries = entries;
      if (cases) this.#caseNumbers = new Map(cases.map((c) => [c.id, c.caseNumber]));
      this.#loaded = true;
    } catch (error) {
      if (ticket === this.#latest) this.#error = errorCode(error);
    } finally {
      if (ticket === this.#latest) this.#loading = false;
    }
  }
}

/** One case, as the case page shows it. `error` is `forbidden` or `not_found` for the two refusal pages. */
import * as api from '../api.ts';
import { errorCode, type ErrorCode } from '../api.ts';
import type { CaseDetail } from '../types.ts';

export class CaseView {
  #case = $state.raw<CaseDetail | null>(null);
  #loading = $state(false);
  #error = $state<ErrorCode | null>(null);
  /** Counts requests so a slow answer for a case the user already left is dropped. */
  #latest = 0;

  get case(): CaseDetail | null {
    return this.#case;
  }

  get loading(): boolean {
    return this.#loading;
  }

  get error(): ErrorCode | null {
    return this.#error;
  }

  async load(id: string): Promise<void> {
    const ticket = ++this.#latest;
    this.#loading = true;
    this.#error = null;
    this.#case = null;
    try {
      const detail = await api.getCase(id);
      if (ticket === this.#latest) this.#case = detail;
    } catch (error) {
      if (ticket === this.#latest) this.#error = errorCode(error);
    } finally {
      if (ticket === this.#latest) this.#loading = false;
    }
  }
}

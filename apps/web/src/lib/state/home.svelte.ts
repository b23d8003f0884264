/** The data of the home page: the user's hearings from today on, and their cases. */
import * as api from '../api.ts';
import { errorCode, type ErrorCode } from '../api.ts';
import type { CaseSummary, HearingWithCase } from '../types.ts';

export class HomeData {
  // $state.raw: the lists are replaced whole, never edited in place, so no deep proxies are needed.
  #hearings = $state.raw<HearingWithCase[]>([]);
  #cases = $state.raw<CaseSummary[]>([]);
  #loading = $state(false);
  #loaded = $state(false);
  #error = $state<ErrorCode | null>(null);

  get hearings(): HearingWithCase[] {
    return this.#hearings;
  }

  get cases(): CaseSummary[] {
    return this.#cases;
  }

  get loading(): boolean {
    return this.#loading;
  }

  /** True once both lists have arrived at least once (so "empty" really means empty). */
  get loaded(): boolean {
    return this.#loaded;
  }

  get error(): ErrorCode | null {
    return this.#error;
  }

  async load(): Promise<void> {
    this.#loading = true;
    this.#error = null;
    try {
      const [hearings, cases] = await Promise.all([api.getHearings(), api.getCases()]);
      this.#hearings = hearings;
      this.#cases = cases;
      this.#loaded = true;
    } catch (error) {
      this.#error = errorCode(error);
    } finally {
      this.#loading = false;
    }
  }
}

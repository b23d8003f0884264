/**
 * The short protocol as one screen shows it: fetched from the server, which computes it from the
 * hearing's log, and fetched again shortly after the hearing moves on (`changed`), so the judge's
 * screen follows the secretary's notes live. A burst of events costs one fetch.
 */
import { errorCode, getProtocol, type ProtocolView } from '$lib/api.ts';
import type { ErrorCode } from '$server/shared/errors.ts';

const REFRESH_DELAY_MS = 250;

export class ProtocolState {
  view = $state.raw<ProtocolView | null>(null);
  error = $state<ErrorCode | null>(null);
  #hearingId: string | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #loading = false;
  #again = false;

  async load(hearingId: string): Promise<void> {
    this.#hearingId = hearingId;
    if (this.#loading) {
      this.#again = true;
      return;
    }
    this.#loading = true;
    try {
      this.view = await getProtocol(hearingId);
      this.error = null;
    } catch (e) {
      this.error = errorCode(e);
    } finally {
      this.#loading = false;
    }
    if (this.#again) {
      this.#again = false;
      await this.load(hearingId);
    }
  }

  /** The hearing moved on: fetch again soon. */
  changed(): void {
    if (!this.#hearingId || this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (this.#hearingId) void this.load(this.#hearingId);
    }, REFRESH_DELAY_MS);
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#hearingId = null;
  }
}

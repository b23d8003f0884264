/**
 * "Something the situation centre counts has changed in this court": a case arrived, a hearing
 * was scheduled, moved, opened, broken off or finished. The intake, the scheduling service and the
 * hearing service know nothing of the situation centre; the composition root (app.ts, server.ts)
 * tells this object about their events, and the socket layer pushes `situation:changed` to the
 * court's room. Debounced per court: a burst of changes is one push, at most every `waitMs`.
 */
export type SituationListener = (courtId: string) => void;

export class SituationSignals {
  #listeners = new Set<SituationListener>();
  #pending = new Map<string, NodeJS.Timeout>();
  #waitMs: number;

  constructor(options: { waitMs?: number } = {}) {
    this.#waitMs = options.waitMs ?? 2_000;
  }

  /** A change in `courtId` (null or undefined: unknown, ignored). */
  changed(courtId: string | null | undefined): void {
    if (!courtId || this.#pending.has(courtId)) return;
    const timer = setTimeout(() => {
      this.#pending.delete(courtId);
      for (const listener of this.#listeners) listener(courtId);
    }, this.#waitMs);
    timer.unref();
    this.#pending.set(courtId, timer);
  }

  onChanged(listener: SituationListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): void {
    for (const timer of this.#pending.values()) clearTimeout(timer);
    this.#pending.clear();
    this.#listeners.clear();
  }
}

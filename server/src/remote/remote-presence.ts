/**
 * Whether a remote participant still has a page connected to a hearing. A phone that closes the
 * page, loses the network or is switched off says nothing; all the server sees is its last
 * connection for that hearing going. It then waits a grace period — a network change, a reload
 * or a tunnel comes back within it — and only if no connection of that participant returned does
 * it report them lost, once. Knows nothing of socket.io: the /remote namespace tells it of
 * connections opening and closing (remote.socket.ts through RemoteService).
 */

type Deps = {
  graceMs: number;
  /** The participant's last connection went `graceMs` ago and none came back. */
  lost: (hearingId: string, participantId: string) => void;
};

export class RemotePresence {
  #deps: Deps;
  /** `<hearingId> <participantId>` → open connections. */
  #connections = new Map<string, number>();
  #timers = new Map<string, NodeJS.Timeout>();
  #closed = false;

  constructor(deps: Deps) {
    this.#deps = deps;
  }

  opened(hearingId: string, participantId: string): void {
    const key = keyOf(hearingId, participantId);
    this.#connections.set(key, (this.#connections.get(key) ?? 0) + 1);
    clearTimeout(this.#timers.get(key));
    this.#timers.delete(key);
  }

  closed(hearingId: string, participantId: string): void {
    const key = keyOf(hearingId, participantId);
    const left = (this.#connections.get(key) ?? 1) - 1;
    if (left > 0) {
      this.#connections.set(key, left);
      return;
    }
    this.#connections.delete(key);
    // The server shutting down disconnects everyone; the next start records them (RemoteService.recordRestart).
    if (this.#closed || this.#timers.has(key)) return;
    const timer = setTimeout(() => {
      this.#timers.delete(key);
      if (!this.#connections.has(key)) this.#deps.lost(hearingId, participantId);
    }, this.#deps.graceMs);
    timer.unref();
    this.#timers.set(key, timer);
  }

  /** How many pages of the participant are connected to the hearing now. */
  connections(hearingId: string, participantId: string): number {
    return this.#connections.get(keyOf(hearingId, participantId)) ?? 0;
  }

  close(): void {
    this.#closed = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}

const keyOf = (hearingId: string, participantId: string) => `${hearingId} ${participantId}`;

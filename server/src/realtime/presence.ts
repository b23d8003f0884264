/**
 * Who is connected to each hearing, for the judge's and the secretary's screens. Volatile: kept in
 * memory, never stored, and sent as socket.io volatile messages. Changes are coalesced — one
 * broadcast per hearing at most every PRESENCE_DELAY_MS — so 500 followers joining at once cost
 * a handful of messages, not 500 × 500.
 */
import type { HearingRole } from '../shared/hearing/core.ts';
import type { HearingPresence } from '../shared/socket/events.ts';

export const PRESENCE_DELAY_MS = 250;

type Connection = { userId: string; fullName: string; role: HearingRole };

export class PresenceTracker {
  /** hearing id → socket id → who. */
  #hearings = new Map<string, Map<string, Connection>>();
  #pending = new Map<string, NodeJS.Timeout>();
  #broadcast: (presence: HearingPresence) => void;

  constructor(broadcast: (presence: HearingPresence) => void) {
    this.#broadcast = broadcast;
  }

  add(hearingId: string, socketId: string, connection: Connection): void {
    let sockets = this.#hearings.get(hearingId);
    if (!sockets) this.#hearings.set(hearingId, (sockets = new Map()));
    sockets.set(socketId, connection);
    this.#schedule(hearingId);
  }

  remove(hearingId: string, socketId: string): void {
    const sockets = this.#hearings.get(hearingId);
    if (!sockets?.delete(socketId)) return;
    if (sockets.size === 0) this.#hearings.delete(hearingId);
    this.#schedule(hearingId);
  }

  of(hearingId: string): HearingPresence {
    const byUser = new Map<string, HearingPresence['online'][number]>();
    for (const c of this.#hearings.get(hearingId)?.values() ?? []) {
      const entry = byUser.get(c.userId);
      if (entry) entry.connections++;
      else byUser.set(c.userId, { ...c, connections: 1 });
    }
    return { hearingId, online: [...byUser.values()] };
  }

  close(): void {
    for (const timer of this.#pending.values()) clearTimeout(timer);
    this.#pending.clear();
  }

  #schedule(hearingId: string): void {
    if (this.#pending.has(hearingId)) return;
    const timer = setTimeout(() => {
      this.#pending.delete(hearingId);
      this.#broadcast(this.of(hearingId));
    }, PRESENCE_DELAY_MS);
    timer.unref();
    this.#pending.set(hearingId, timer);
  }
}

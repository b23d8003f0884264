/**
 * Presence across nodes (REDIS_URL): each node knows only its own sockets (presence.ts), so a
 * node's own list would show the judge on B nobody connected to A. When a node's list for a hearing
 * changes it tells the others (a server-side emit through the adapter); every node with people
 * following that hearing then asks the others for their lists, adds its own, and sends the sum to
 * its own sockets only. No list is kept in Redis, so a node that dies leaves nothing behind: it
 * simply stops answering, and the next change counts without it.
 *
 * Still volatile, as on one node: a node that does not answer within socket.io-adapter's 5 s is
 * left out of that sum, and while Redis is down a node sends its own list, GATHER_DEADLINE_MS late.
 */
import type { HearingPresence } from '../shared/socket/events.ts';
import { hearingRoom } from './hearings.socket.ts';
import type { PresenceTracker } from './presence.ts';
import type { RealtimeServer } from './socket-types.ts';

/** The adapter waits 5 s for every node's answer (then hands over those it has); past this, none. */
const GATHER_DEADLINE_MS = 6000;

type Online = HearingPresence['online'];

export class ClusterPresence {
  #io: RealtimeServer;
  #tracker: PresenceTracker;
  /** Hearings whose sum is being made, and those changed again meanwhile (made once more after). */
  #running = new Set<string>();
  #again = new Set<string>();
  #closed = false;

  /** `tracker`: this node's own connections; its coalesced changes are to be handed to `changed`. */
  constructor(io: RealtimeServer, tracker: PresenceTracker) {
    this.#io = io;
    this.#tracker = tracker;
    io.on('presence:changed', (hearingId) => this.#refresh(hearingId));
    io.on('presence:of', (hearingId, answer) => answer(tracker.of(hearingId).online));
  }

  /** This node's list for the hearing changed. */
  changed(hearingId: string): void {
    // A closing node's sockets leave after its Redis connections are gone.
    if (this.#closed) return;
    this.#io.serverSideEmit('presence:changed', hearingId);
    this.#refresh(hearingId);
  }

  close(): void {
    this.#closed = true;
  }

  #refresh(hearingId: string): void {
    // Only the people following here are told, so a node with none has nothing to do.
    if (!this.#io.sockets.adapter.rooms.has(hearingRoom(hearingId))) return;
    if (this.#running.has(hearingId)) {
      this.#again.add(hearingId);
      return;
    }
    this.#running.add(hearingId);
    void this.#gather(hearingId)
      .then((others) => {
        const online = sum([this.#tracker.of(hearingId).online, ...others]);
        this.#io.local.to(hearingRoom(hearingId)).volatile.emit('hearing:presence', { hearingId, online });
      })
      .finally(() => {
        this.#running.delete(hearingId);
        if (this.#again.delete(hearingId)) this.#refresh(hearingId);
      });
  }

  /** The other nodes' lists, those that answered in time. */
  #gather(hearingId: string): Promise<Online[]> {
    return new Promise((resolve) => {
      // The adapter counts the nodes in Redis before it starts its own timeout: while Redis is
      // down, that count never comes, so this deadline covers it.
      const deadline = setTimeout(() => resolve([]), GATHER_DEADLINE_MS);
      const done = (lists: Online[]) => {
        clearTimeout(deadline);
        resolve(lists);
      };
      // Through the adapter itself, not `io.serverSideEmit`, which drops its promise: a count refused
      // by a client whose queue is full would be an unhandled rejection.
      const adapter = this.#io.sockets.adapter as unknown as { serverSideEmit(packet: unknown[]): Promise<void> };
      adapter.serverSideEmit(['presence:of', hearingId, (_error: Error | null, lists: Online[] | undefined) => done(lists ?? [])]).catch(() => done([]));
    });
  }
}

/** One entry per person, their connections on every node added up. */
function sum(lists: Online[]): Online {
  const byUser = new Map<string, Online[number]>();
  for (const entry of lists.flat()) {
    const known = byUser.get(entry.userId);
    if (known) known.connections += entry.connections;
    else byUser.set(entry.userId, { ...entry });
  }
  return [...byUser.values()];
}

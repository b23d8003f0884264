/**
 * A client's copy of one hearing, kept in step with the server's: the client side of
 * docs/realtime-protocol.md without the socket. Events are applied strictly in version order;
 * one that comes early is held back and reported as a gap, so the caller asks for a resync; a
 * duplicate (a version already applied) is ignored.
 *
 * Pure and free of Node and browser APIs: the web app's hearing manager, the integration tests
 * and the benchmark all run this same code.
 */
import type { HearingSync } from './events.ts';
import { applyEvent, type HearingEvent, type HearingInfo, type HearingLiveState, type HearingSnapshot } from '../hearing/state.ts';
import type { FollowedEvent } from '../hearing/display-view.ts';

/** How many of the latest events a replica keeps for the screens (the log has them all). */
export const KEPT_EVENTS = 200;

/**
 * - `applied`: the state moved on (possibly by more than this event, if held-back ones followed);
 * - `duplicate`: already applied, ignored;
 * - `gap`: a version is missing; the event is held back until a resync fills the gap;
 * - `waiting`: no snapshot yet; the event is held back until the first one.
 */
export type ReceiveResult = 'applied' | 'duplicate' | 'gap' | 'waiting';

export class HearingReplica {
  #info: HearingInfo | null = null;
  #you: HearingSnapshot['you'] | null = null;
  #state: HearingLiveState | null = null;
  #events: HearingEvent[] = [];
  /** A frozen copy of `#events` handed to readers, made on the first read after a change (screens re-render on a new array). */
  #eventsView: readonly HearingEvent[] | null = null;
  /** Events that came before the versions between them and the state, by version. */
  #held = new Map<number, FollowedEvent>();
  /** Server clock minus this device's clock, from the last sync (network delay ignored: well under a second). */
  #serverOffset = 0;

  get info(): HearingInfo | null {
    return this.#info;
  }

  get you(): HearingSnapshot['you'] | null {
    return this.#you;
  }

  get state(): HearingLiveState | null {
    return this.#state;
  }

  /** The version held, or undefined before the first snapshot. */
  get version(): number | undefined {
    return this.#state?.version;
  }

  /** The latest events, oldest first (at least the last KEPT_EVENTS once there are that many; a new array after each change). */
  get events(): readonly HearingEvent[] {
    this.#eventsView ??= Object.freeze([...this.#events]);
    return this.#eventsView;
  }

  /** Whether events are held back behind a missing version (a resync is due). */
  get hasGap(): boolean {
    return this.#held.size > 0 && this.#state !== null;
  }

  /** Milliseconds since the hearing opened, by the server's clock; null until it opens. */
  clock(deviceNow: number): number | null {
    const openedAt = this.#state?.openedAt;
    return openedAt == null ? null : deviceNow + this.#serverOffset - openedAt;
  }

  /** An event broadcast by the server. */
  receive(event: FollowedEvent): ReceiveResult {
    if (this.#state === null) {
      this.#held.set(event.version, event);
      return 'waiting';
    }
    if (event.version <= this.#state.version) return 'duplicate';
    if (event.version > this.#state.version + 1) {
      this.#held.set(event.version, event);
      return 'gap';
    }
    this.#apply(event);
    this.#drain();
    return 'applied';
  }

  /** The answer to a join or a resync. Returns whether a gap remains (ask again). */
  sync(answer: HearingSync, deviceNow: number): boolean {
    if (answer.kind === 'snapshot') {
      const { snapshot } = answer;
      this.#info = snapshot.hearing;
      this.#you = snapshot.you;
      this.#state = snapshot.state;
      this.#events = snapshot.recentEvents.slice(-KEPT_EVENTS);
      this.#eventsView = null;
      this.#serverOffset = snapshot.serverTime - deviceNow;
    } else {
      if (this.#state === null) throw new Error('events without a snapshot');
      for (const event of answer.events) {
        if (event.version === this.#state.version + 1) this.#apply(event);
        else if (event.version > this.#state.version) this.#held.set(event.version, event);
      }
      this.#serverOffset = answer.serverTime - deviceNow;
    }
    this.#drain();
    return this.hasGap;
  }

  #apply(event: FollowedEvent): void {
    // A withheld event (the wall screen's) moves the version only: the screen may not read it.
    if (event.type === 'withheld') {
      this.#state = { ...this.#state!, version: event.version };
      return;
    }
    this.#state = applyEvent(this.#state!, event);
    this.#events.push(event);
    // Trimmed in batches, so a busy hearing does not copy the list on every event.
    if (this.#events.length >= 2 * KEPT_EVENTS) this.#events = this.#events.slice(-KEPT_EVENTS);
    this.#eventsView = null;
  }

  /** Applies held-back events that now follow on, and forgets those already covered. */
  #drain(): void {
    if (this.#held.size === 0) return;
    const state = () => this.#state!;
    for (const version of [...this.#held.keys()]) if (version <= state().version) this.#held.delete(version);
    for (let next = this.#held.get(state().version + 1); next; next = this.#held.get(state().version + 1)) {
      this.#held.delete(next.version);
      this.#apply(next);
    }
  }
}

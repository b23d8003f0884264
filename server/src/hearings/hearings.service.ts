/**
 * The live hearing, server-authoritative. A command is decided against the stored state
 * (shared/hearing/rules.ts), turned into numbered events, applied, and written — events and the new
 * state in one transaction, flushed to the disk but for the presenter's position
 * (`flushedBeforeBroadcast`) — before anyone hears of it; only then are the events handed to the
 * listeners (the socket layer broadcasts them). The transaction begins by taking the hearing
 * (`findForUpdate`: its row locked on PostgreSQL, the one writer on SQLite), so two commands on
 * one hearing — from this process or from another node — never interleave: versions stay gap-free.
 *
 * The stored state leaves the secretary's notes out (hearings.repository.ts): a command reads
 * and writes what does not grow with the hearing, and a rule that needs a note looks it up
 * (`DecisionContext.protocolNote`). A snapshot, rarer than commands, puts the notes back in.
 *
 * Knows nothing of socket.io: the realtime layer calls it and subscribes with `onCommitted`.
 */
import crypto from 'node:crypto';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { SessionUser } from '../auth/auth.service.ts';
import { AppError } from '../shared/errors.ts';
import type { HearingAccess, HearingSeat } from './hearing-access.ts';
import type { DecisionContext, EventActor } from '../shared/hearing/core.ts';
import { summarise } from '../shared/hearing/floor/floor.ts';
import { decide, flushedBeforeBroadcast, type HearingCommand } from '../shared/hearing/rules.ts';
import { applyEvent, initialLiveState, RECENT_EVENTS, type HearingEvent, type HearingEventBody, type HearingEventType, type HearingLiveState, type HearingSnapshot } from '../shared/hearing/state.ts';
import type { HearingRecord, HearingsRepository } from './hearings.repository.ts';
import type { Database } from '../../../db/database.ts';
import { displayEvent, displaySnapshot, isLogEvent } from '../shared/hearing/display-view.ts';
import type { HearingSync } from '../shared/socket/events.ts';
import type { ProtocolNote } from '../shared/hearing/protocol/protocol.ts';

/** A client further behind than this gets a snapshot rather than the events it missed. */
export const MAX_CATCH_UP_EVENTS = 200;
export const MAX_HISTORY_PAGE = 200;
/** Hearings whose notes are kept for the next snapshot (`#notesAt`): those read last. */
const NOTES_KEPT_FOR = 32;

export type HearingActor = { user: SessionUser; seat: HearingSeat; ip: string | null };

/** The server itself as the author of an event: no user, no seat. */
const SYSTEM_ACTOR: EventActor = { userId: '', fullName: '', role: 'system' };

/** Who a command is decided for: the event's actor, and what the rules ask of them. */
type Who = { by: EventActor; participantId: string | null; remoteParticipantId: string | null; system: boolean };

type Listener = (events: HearingEvent[]) => void;
/** Writes records kept beside the log (a motion's row) from committed events, inside the same transaction. */
type Projection = (events: HearingEvent[]) => Promise<void>;

type Deps = {
  hearings: HearingsRepository;
  access: HearingAccess;
  audit: AuditRepository;
  /** The database's transactions (db/database.ts); `flush: false` there. */
  database: Pick<Database, 'transaction' | 'afterCommit'>;
  log: { error(obj: object, msg: string): void };
  now?: () => number;
  /** How many sources the hearing's media room has (the recording service knows; 0 without it). */
  recordingSources?: (hearingId: string) => number;
};

export class HearingsService {
  #deps: Deps;
  #now: () => number;
  #listeners = new Set<Listener>();
  #projections: Projection[] = [];
  /** The notes of the hearings read last, each at the version it was read at (`#notesAt`). */
  #notes = new Map<string, { version: number; notes: Promise<ProtocolNote[]> }>();
  /** The last join's turn (`#turn`). */
  #turns: Promise<void> = Promise.resolve();

  constructor(deps: Deps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  /**
   * `projection` runs inside the transaction of every command that produced events, after they are
   * written: what it writes commits with them or not at all.
   */
  addProjection(projection: Projection): void {
    this.#projections.push(projection);
  }

  /** Called with the events of every committed command, in version order, after the commit. */
  onCommitted(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Lets the user in (or throws `not_found` / `forbidden`, audited) and brings them up to date:
   * from `since` when they already hold that version, else with a snapshot. `seated` is called
   * once the seat is known and before the state is read: a socket joins its room there, so an
   * event committed meanwhile reaches it (a client's copy holds events that come before its
   * snapshot, and drops those the snapshot already has: shared/socket/hearing-replica.ts).
   */
  async join(user: SessionUser, hearingId: string, ip: string | null, since?: number, seated?: (seat: HearingSeat) => void): Promise<{ seat: HearingSeat; sync: HearingSync }> {
    const hearing = await this.#find(hearingId);
    const seat = await this.#deps.access.seatOf(user, hearing, ip);
    seated?.(seat);
    return { seat, sync: await this.#sync(hearing, user, seat, since) };
  }

  /** The user's seat in the hearing and the hearing (or `not_found` / `forbidden`, audited), without its state. */
  async seatOf(user: SessionUser, hearingId: string, ip: string | null): Promise<{ seat: HearingSeat; hearing: HearingRecord }> {
    const hearing = await this.#find(hearingId);
    return { seat: await this.#deps.access.seatOf(user, hearing, ip), hearing };
  }

  /** For a client that saw a gap in the versions: the events after `since`, or a snapshot. */
  async resync(user: SessionUser, seat: HearingSeat, hearingId: string, since: number): Promise<HearingSync> {
    return this.#sync(await this.#find(hearingId), user, seat, since);
  }

  /**
   * A page of the log, oldest first: the newest `limit` events before version `before` (of `types`,
   * when given). The wall screen's page leaves out what it may not read (display-view.ts).
   */
  async history(seat: HearingSeat, hearingId: string, query: { before?: number; types?: HearingEventType[]; limit: number }): Promise<{ events: HearingEvent[]; more: boolean }> {
    const limit = Math.min(query.limit, MAX_HISTORY_PAGE);
    const events = await this.#deps.hearings.events(hearingId, { before: query.before, types: query.types, limit: limit + 1, newest: true });
    const more = events.length > limit;
    const page = more ? events.slice(1) : events;
    return { events: seat.role === 'hall_display' ? page.map(displayEvent).filter(isLogEvent) : page, more };
  }

  /**
   * Carries out a command for `actor`. Returns the hearing's version afterwards (unchanged when the
   * command changed nothing). `expectedVersion`, when given, must be the current version
   * (`stale_version` otherwise): for decisions a client made from what it last saw.
   */
  async execute(actor: HearingActor, hearingId: string, command: HearingCommand, expectedVersion?: number): Promise<{ version: number }> {
    const { hearings } = this.#deps;
    try {
      return await this.#run(
        hearingId,
        command,
        {
          by: { userId: actor.user.id, fullName: actor.user.fullName, role: actor.seat.role },
          participantId: actor.seat.participantId,
          remoteParticipantId: actor.seat.role === 'remote_participant' ? actor.seat.participantId : null,
          system: false,
        },
        expectedVersion,
      );
    } catch (error) {
      if (error instanceof AppError && (error.code === 'forbidden_action' || error.code === 'not_presenter' || error.code === 'not_a_party')) {
        const hearing = await hearings.find(hearingId);
        await this.#deps.audit.record({
          userId: actor.user.id || null,
          actor: actor.user.username,
          action: `hearing.${command.type}`,
          outcome: 'denied',
          caseId: hearing?.caseId,
          target: hearingId,
          ip: actor.ip,
          details: { code: error.code, role: actor.seat.role },
        });
      }
      throw error;
    }
  }

  /**
   * A command of the server itself, actor `system` (a remote participant's connection lost, the
   * participants a restart cut off): decided by the same rules — which accept from the server only
   * what is the server's to record — then committed and published like any other.
   */
  executeAsSystem(hearingId: string, command: HearingCommand): Promise<{ version: number }> {
    return this.#run(hearingId, command, { by: SYSTEM_ACTOR, participantId: null, remoteParticipantId: null, system: true });
  }

  async #run(hearingId: string, command: HearingCommand, who: Who, expectedVersion?: number): Promise<{ version: number }> {
    const version = await this.#deps.database.transaction(
      async () => {
        const hearing = await this.#findForUpdate(hearingId);
        const state = await this.#stateOf(hearing);
        // One reading of the clock per command: the events' time and what the rules compute from it agree.
        const at = this.#now();
        const bodies = await decide(command, this.#context(hearing, state, who, at));
        if (expectedVersion !== undefined && expectedVersion !== state.version) {
          throw new AppError('stale_version', `The hearing is at version ${state.version}, not ${expectedVersion}`);
        }
        const next = await this.#commit(hearingId, state, bodies, at, who.by);
        const committed = next.events;
        if (committed.length > 0) for (const project of this.#projections) await project(committed);
        // Heard of once committed — after the caller's transaction too, when this command is part of one (a motion filed).
        this.#deps.database.afterCommit(() => this.#publish(committed));
        return next.state.version;
      },
      { flush: flushedBeforeBroadcast(command) },
    );
    return { version };
  }

  /**
   * Appends events the server itself observed (recording gaps, chain heads), as actor `system`:
   * no rules to decide, just numbered, applied, committed and published like any other. Returns
   * false when the hearing no longer exists.
   */
  async appendSystem(hearingId: string, bodies: HearingEventBody[]): Promise<boolean> {
    const { hearings, database } = this.#deps;
    const found = await database.transaction(async () => {
      const hearing = await hearings.findForUpdate(hearingId);
      if (!hearing) return false;
      const state = await this.#stateOf(hearing);
      const { events } = await this.#commit(hearingId, state, bodies, this.#now(), SYSTEM_ACTOR);
      database.afterCommit(() => this.#publish(events));
      return true;
    });
    return found;
  }

  /** Numbers the events after the stored version, applies them and writes them with the new state (inside a transaction). */
  async #commit(hearingId: string, state: HearingLiveState, bodies: HearingEventBody[], at: number, by: EventActor): Promise<{ events: HearingEvent[]; state: HearingLiveState }> {
    let next = state;
    const events = bodies.map((body, i) => {
      const event = { ...body, hearingId, version: state.version + i + 1, at, actor: by } as HearingEvent;
      next = applyEvent(next, event);
      return event;
    });
    if (events.length > 0) await this.#deps.hearings.commit(hearingId, events, next);
    return { events, state: next };
  }

  /** The live state of a hearing (for the recording service, which acts on it). */
  async liveState(hearingId: string): Promise<HearingLiveState> {
    return this.#stateOf(await this.#find(hearingId));
  }

  async #find(hearingId: string): Promise<HearingRecord> {
    const hearing = await this.#deps.hearings.find(hearingId);
    if (!hearing) throw new AppError('not_found', 'No such hearing');
    return hearing;
  }

  /** Inside the command's transaction: the hearing, taken until the commit. */
  async #findForUpdate(hearingId: string): Promise<HearingRecord> {
    const hearing = await this.#deps.hearings.findForUpdate(hearingId);
    if (!hearing) throw new AppError('not_found', 'No such hearing');
    return hearing;
  }

  async #stateOf(hearing: HearingRecord): Promise<HearingLiveState> {
    return (await this.#deps.hearings.liveState(hearing.id)) ?? initialLiveState(hearing);
  }

  async #sync(hearing: HearingRecord, user: SessionUser, seat: HearingSeat, since: number | undefined): Promise<HearingSync> {
    const { hearings } = this.#deps;
    await this.#turn();
    const state = await this.#stateOf(hearing);
    const serverTime = this.#now();
    const display = seat.role === 'hall_display';
    if (since !== undefined && since <= state.version && state.version - since <= MAX_CATCH_UP_EVENTS) {
      const events = await hearings.events(hearing.id, { after: since, limit: MAX_CATCH_UP_EVENTS });
      return { kind: 'events', hearingId: hearing.id, events: display ? events.map(displayEvent) : events, serverTime };
    }
    const snapshot: HearingSnapshot = {
      hearing: await hearings.info(hearing),
      state: display ? state : { ...state, protocol: { ...state.protocol, notes: await this.#notesAt(hearing.id, state.version) } },
      recentEvents: await hearings.events(hearing.id, { limit: RECENT_EVENTS, newest: true }),
      you: { userId: user.id, role: seat.role, participantId: seat.participantId },
      serverTime,
    };
    return { kind: 'snapshot', snapshot: display ? displaySnapshot(snapshot) : snapshot };
  }

  /**
   * The hearing's notes at `version`, the version of the state the snapshot is built from. A long
   * hearing has thousands, and every follower joining it gets the same ones until the next command
   * (500 screens joining at once: 500 reads of 2,000 rows): they are read once per version and kept
   * for the NOTES_KEPT_FOR hearings read last. Notes change only in commits, which move the
   * version, so notes read while the hearing stayed at `version` are that version's; if it moved
   * meanwhile (a command, on this node or another), they are used for this snapshot, as before,
   * but not kept. The promise is kept: joins arriving during the read share it. The list is shared
   * by every snapshot that has it: never changed.
   */
  #notesAt(hearingId: string, version: number): Promise<ProtocolNote[]> {
    const kept = this.#notes.get(hearingId);
    if (kept?.version === version) return kept.notes;
    const { hearings } = this.#deps;
    const entry = { version, notes: hearings.protocolNotes(hearingId) };
    // Last in the map's order is the hearing read last; the first is the one dropped.
    this.#notes.delete(hearingId);
    this.#notes.set(hearingId, entry);
    if (this.#notes.size > NOTES_KEPT_FOR) this.#notes.delete(this.#notes.keys().next().value!);
    const forget = () => {
      if (this.#notes.get(hearingId) === entry) this.#notes.delete(hearingId);
    };
    void entry.notes
      .then(async () => {
        if ((await hearings.find(hearingId))?.version !== version) forget();
      })
      .catch(forget);
    return entry.notes;
  }

  /**
   * A join's turn. A snapshot of a long hearing costs milliseconds to read and send, and 500
   * screens may join at once (after a restart, every screen of the court): the joins start one per
   * turn of the event loop, so heartbeats and other hearings' commands run between them rather than
   * after all 500 — SQLite answers without ever yielding, and immediates queued together run
   * together. The turn comes before the state is read, so the state and the notes are read together.
   */
  #turn(): Promise<void> {
    const turn = this.#turns.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
    this.#turns = turn;
    return turn;
  }

  #context(hearing: HearingRecord, state: HearingLiveState, who: Who, now: number): DecisionContext {
    const { hearings } = this.#deps;
    return {
      state,
      actor: { userId: who.by.userId, fullName: who.by.fullName, participantId: who.participantId },
      presidingJudgeId: hearing.presidingJudgeId,
      secretaryId: hearing.secretaryId,
      now,
      participant: (id) => hearings.participant(hearing.caseId, id),
      fullNameOf: (userId) => hearings.fullName(userId),
      document: (id) => hearings.document(hearing.caseId, id),
      protocolNote: (id) => hearings.protocolNote(hearing.id, id),
      shownDuring: async (sinceVersion) => summarise(await hearings.positionsShownAfter(hearing.id, sinceVersion)),
      newId: () => crypto.randomUUID(),
      recordingSources: () => this.#deps.recordingSources?.(hearing.id) ?? 0,
      remoteParticipantId: who.remoteParticipantId,
      system: who.system,
    };
  }

  #publish(events: HearingEvent[]): void {
    if (events.length === 0) return;
    for (const listener of this.#listeners) {
      try {
        listener(events);
      } catch (error) {
        // The events are committed; a listener's fault must not turn the command into an error.
        this.#deps.log.error({ err: error }, 'a hearing event listener failed');
      }
    }
  }
}

/**
 * The media rooms of all hearings: one HearingMediaRoom (one Router) per hearing with media, on a
 * worker from the pool. Creation is serialised per hearing, so two people joining at once never make
 * two routers for one hearing. When a worker dies its rooms are marked and closed; the signalling
 * layer hears `closed` with reason `worker-died` and tells the peers to rejoin, and the next `get`
 * makes the room again on a live worker (the pool has replaced the dead one, or picks another).
 *
 * Rooms are kept by key (`mediaRoomKey`): the hall is the hearing id, a private consultation
 * `<hearingId>/consultation/<id>` — a room of its own, with its own router, never recorded.
 */
import type { types } from 'mediasoup';
import { HearingMediaRoom, mediaRoomKey, type TransportOptions } from './hearing-media-room.ts';
import type { MediaWorkerPool } from './worker-pool.ts';

type Entry = { room: HearingMediaRoom; worker: types.Worker };

export type RoomListener = (room: HearingMediaRoom) => void;

/**
 * In a cluster a hearing's room lives on the node holding its lease (docs/media.md, "Media
 * failover"; server/src/media-rooms/media-room-lease.ts): taken before the room is made — or
 * refused by throwing, and then no room is made — kept while it is open, released when it closes.
 * `lost` is called when another node has taken the lease over; the room is then closed here.
 */
export type RoomLease = (hearingId: string, lost: () => void) => Promise<{ release(): void }>;

export class MediaRooms {
  #pool: MediaWorkerPool;
  #transport: TransportOptions;
  #log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
  #rooms = new Map<string, Entry>();
  #creating = new Map<string, Promise<HearingMediaRoom>>();
  #listeners = new Set<RoomListener>();
  #lease: RoomLease | undefined;

  constructor(options: { pool: MediaWorkerPool; transport: TransportOptions; log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void }; lease?: RoomLease }) {
    this.#pool = options.pool;
    this.#lease = options.lease;
    this.#transport = options.transport;
    this.#log = options.log;
    options.pool.onWorkerDied((worker) => this.#workerDied(worker));
  }

  /** Called with every room made (recording subscribes here to attach to each hearing's room). */
  onRoomCreated(listener: RoomListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The hearing's hall room (or, with `consultationId`, that consultation's room) if it is open now (no room is made). */
  find(hearingId: string, consultationId: string | null = null): HearingMediaRoom | undefined {
    const entry = this.#rooms.get(mediaRoomKey(hearingId, consultationId));
    return entry && !entry.room.closed ? entry.room : undefined;
  }

  /** The hearing's hall room (or a consultation's), made on the next worker when there is none. */
  async get(hearingId: string, consultationId: string | null = null): Promise<HearingMediaRoom> {
    const key = mediaRoomKey(hearingId, consultationId);
    const open = this.find(hearingId, consultationId);
    if (open) return open;
    const pending = this.#creating.get(key);
    if (pending) return pending;
    const creating = this.#create(hearingId, consultationId).finally(() => this.#creating.delete(key));
    this.#creating.set(key, creating);
    return creating;
  }

  /** Closes the hearing's hall room (the hearing ended), or one consultation's: every transport, producer and consumer with it. */
  close(hearingId: string, consultationId: string | null = null): void {
    this.#rooms.get(mediaRoomKey(hearingId, consultationId))?.room.close();
  }

  /** The open consultation rooms of a hearing. */
  consultationsOf(hearingId: string): HearingMediaRoom[] {
    return [...this.#rooms.values()].map((e) => e.room).filter((room) => room.hearingId === hearingId && room.kind === 'consultation' && !room.closed);
  }

  closeAll(): void {
    for (const { room } of this.#rooms.values()) room.close();
  }

  /** The pid of the worker the hearing's room lives on (health, logs, tests). */
  workerPidOf(hearingId: string): number | undefined {
    return this.#rooms.get(hearingId)?.worker.pid;
  }

  get size(): number {
    return this.#rooms.size;
  }

  async #create(hearingId: string, consultationId: string | null): Promise<HearingMediaRoom> {
    // The lease is the hall's (one per hearing); a consultation room is made where its members are.
    const lease = consultationId ? undefined : await this.#lease?.(hearingId, () => this.#leaseLost(hearingId));
    const worker = this.#pool.nextWorker();
    const room = await HearingMediaRoom.create(hearingId, worker, this.#transport, consultationId).catch((error: unknown) => {
      lease?.release();
      throw error;
    });
    const { key, kind } = room;
    this.#rooms.set(key, { room, worker });
    room.once('closed', ({ reason }) => {
      lease?.release();
      if (this.#rooms.get(key)?.room === room) this.#rooms.delete(key);
      this.#log.info({ hearingId, kind, reason }, 'hearing media room closed');
    });
    this.#log.info({ hearingId, kind, workerPid: worker.pid }, 'hearing media room created');
    for (const listener of this.#listeners) listener(room);
    return room;
  }

  /** Another node holds the hearing's lease now: the room here closes and its peers rejoin (and are sent there). */
  #leaseLost(hearingId: string): void {
    const entry = this.#rooms.get(hearingId);
    if (!entry) return;
    // Closed as after a lost worker, so the peers are told to join again.
    entry.room.markWorkerDied();
    entry.room.close();
  }

  #workerDied(worker: types.Worker): void {
    for (const entry of this.#rooms.values()) {
      if (entry.worker !== worker) continue;
      const { hearingId } = entry.room;
      this.#log.error({ hearingId, kind: entry.room.kind, workerPid: worker.pid }, 'hearing media room lost with its worker; peers will rejoin');
      entry.room.markWorkerDied();
      // mediasoup closes the router with the worker; closing here too covers a worker that is
      // declared dead before mediasoup notices.
      entry.room.close();
    }
  }
}

/**
 * The media rooms of all hearings: one HearingMediaRoom (one Router) per hearing with media, on a
 * worker from the pool. Creation is serialised per hearing, so two people joining at once never make
 * two routers for one hearing. When a worker dies its rooms are marked and closed; the signalling
 * layer hears `closed` with reason `worker-died` and tells the peers to rejoin, and the next `get`
 * makes the room again on a live worker (the pool has replaced the dead one, or picks another).
 */
import type { types } from 'mediasoup';
import { HearingMediaRoom, type TransportOptions } from './hearing-media-room.ts';
import type { MediaWorkerPool } from './worker-pool.ts';

type Entry = { room: HearingMediaRoom; worker: types.Worker };

export type RoomListener = (room: HearingMediaRoom) => void;

export class MediaRooms {
  #pool: MediaWorkerPool;
  #transport: TransportOptions;
  #log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
  #rooms = new Map<string, Entry>();
  #creating = new Map<string, Promise<HearingMediaRoom>>();
  #listeners = new Set<RoomListener>();

  constructor(options: { pool: MediaWorkerPool; transport: TransportOptions; log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void } }) {
    this.#pool = options.pool;
    this.#transport = options.transport;
    this.#log = options.log;
    options.pool.onWorkerDied((worker) => this.#workerDied(worker));
  }

  /** Called with every room made (recording subscribes here to attach to each hearing's room). */
  onRoomCreated(listener: RoomListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The hearing's room if it is open now (no room is made). */
  find(hearingId: string): HearingMediaRoom | undefined {
    const entry = this.#rooms.get(hearingId);
    return entry && !entry.room.closed ? entry.room : undefined;
  }

  /** The hearing's room, made on the next worker when there is none. */
  async get(hearingId: string): Promise<HearingMediaRoom> {
    const open = this.find(hearingId);
    if (open) return open;
    const pending = this.#creating.get(hearingId);
    if (pending) return pending;
    const creating = this.#create(hearingId).finally(() => this.#creating.delete(hearingId));
    this.#creating.set(hearingId, creating);
    return creating;
  }

  /** Closes the hearing's room (the hearing ended): every transport, producer and consumer with it. */
  close(hearingId: string): void {
    this.#rooms.get(hearingId)?.room.close();
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

  async #create(hearingId: string): Promise<HearingMediaRoom> {
    const worker = this.#pool.nextWorker();
    const room = await HearingMediaRoom.create(hearingId, worker, this.#transport);
    this.#rooms.set(hearingId, { room, worker });
    room.once('closed', ({ reason }) => {
      if (this.#rooms.get(hearingId)?.room === room) this.#rooms.delete(hearingId);
      this.#log.info({ hearingId, reason }, 'hearing media room closed');
    });
    this.#log.info({ hearingId, workerPid: worker.pid }, 'hearing media room created');
    for (const listener of this.#listeners) listener(room);
    return room;
  }

  #workerDied(worker: types.Worker): void {
    for (const [hearingId, entry] of this.#rooms) {
      if (entry.worker !== worker) continue;
      this.#log.error({ hearingId, workerPid: worker.pid }, 'hearing media room lost with its worker; peers will rejoin');
      entry.room.markWorkerDied();
      // mediasoup closes the router with the worker; closing here too covers a worker that is
      // declared dead before mediasoup notices.
      entry.room.close();
    }
  }
}

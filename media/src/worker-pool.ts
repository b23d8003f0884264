/**
 * The pool of mediasoup workers: one per core by default, picked round-robin for new routers.
 * A worker that dies is logged and replaced; routers that lived on it are gone with it, and their
 * owners (the hearings, in a later issue) hear of it through `onWorkerDied` to rebuild elsewhere.
 */
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';

export type MediaPoolOptions = {
  workers: number;
  workerBin: string;
  rtcMinPort: number;
  rtcMaxPort: number;
  log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
  onWorkerDied?: (workerIndex: number) => void;
};

export type WorkerHealth = { index: number; pid: number; alive: boolean; restarts: number; cpuMs?: number; rssKb?: number };
export type MediaHealth = { status: 'ok' | 'degraded' | 'down'; workers: WorkerHealth[] };

type Slot = { worker: types.Worker; restarts: number };

export class MediaWorkerPool {
  #options: MediaPoolOptions;
  #slots: Slot[] = [];
  #next = 0;
  #closing = false;
  #diedListeners = new Set<(worker: types.Worker) => void>();

  private constructor(options: MediaPoolOptions) {
    this.#options = options;
  }

  static async start(options: MediaPoolOptions): Promise<MediaWorkerPool> {
    const pool = new MediaWorkerPool(options);
    for (let index = 0; index < options.workers; index++) {
      pool.#slots.push({ worker: await pool.#spawn(index), restarts: 0 });
    }
    return pool;
  }

  /** Called with a worker that died, before it is replaced (the media rooms close what lived on it). */
  onWorkerDied(listener: (worker: types.Worker) => void): () => void {
    this.#diedListeners.add(listener);
    return () => this.#diedListeners.delete(listener);
  }

  get size(): number {
    return this.#slots.length;
  }

  /** The worker the next router should live on. */
  nextWorker(): types.Worker {
    if (this.#slots.length === 0) throw new Error('No media workers are configured (MEDIA_WORKERS=0)');
    // Skips a worker that has died and is not replaced yet, so a hearing recovers on another one.
    for (let tried = 0; tried < this.#slots.length; tried++) {
      const slot = this.#slots[this.#next % this.#slots.length];
      this.#next++;
      if (!slot.worker.died && !slot.worker.closed) return slot.worker;
    }
    throw new Error('No media worker is alive');
  }

  /** Asks every worker for its resource usage; a worker that does not answer within a second counts as down. */
  async health(): Promise<MediaHealth> {
    const workers = await Promise.all(
      this.#slots.map(async (slot, index): Promise<WorkerHealth> => {
        const base = { index, pid: slot.worker.pid, restarts: slot.restarts };
        if (slot.worker.died || slot.worker.closed) return { ...base, alive: false };
        try {
          const usage = await withTimeout(slot.worker.getResourceUsage(), 1000);
          return { ...base, alive: true, cpuMs: usage.ru_utime + usage.ru_stime, rssKb: usage.ru_maxrss };
        } catch {
          return { ...base, alive: false };
        }
      }),
    );
    const alive = workers.filter((w) => w.alive).length;
    const status = workers.length === 0 ? 'down' : alive === workers.length ? 'ok' : alive === 0 ? 'down' : 'degraded';
    return { status, workers };
  }

  /** Closes every worker and waits until its process has exited (at most 5 s each). */
  async close(): Promise<void> {
    this.#closing = true;
    const workers = this.#slots.map((slot) => slot.worker);
    this.#slots = [];
    await Promise.all(
      workers.map((worker) => {
        const exited = worker.subprocessClosed ? Promise.resolve() : new Promise<void>((resolve) => worker.once('subprocessclose', resolve));
        worker.close();
        return withTimeout(exited, 5000).catch(() => this.#options.log.error({ pid: worker.pid }, 'media worker did not exit in time'));
      }),
    );
  }

  async #spawn(index: number): Promise<types.Worker> {
    const { workerBin, rtcMinPort, rtcMaxPort, log } = this.#options;
    const worker = await mediasoup.createWorker({ workerBin, rtcMinPort, rtcMaxPort, logLevel: 'warn', appData: { index } });
    log.info({ index, pid: worker.pid }, 'media worker started');
    worker.on('died', (error) => {
      log.error({ index, pid: worker.pid, err: error }, 'media worker died');
      if (this.#closing) return;
      this.#options.onWorkerDied?.(index);
      for (const listener of this.#diedListeners) listener(worker);
      void this.#replace(index);
    });
    return worker;
  }

  async #replace(index: number): Promise<void> {
    try {
      const worker = await this.#spawn(index);
      const slot = this.#slots[index];
      if (this.#closing || !slot) {
        worker.close();
        return;
      }
      slot.worker = worker;
      slot.restarts++;
    } catch (error) {
      this.#options.log.error({ index, err: error }, 'media worker could not be restarted');
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

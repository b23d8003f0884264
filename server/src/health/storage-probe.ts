/**
 * Whether the server can still save: a committed write to the database and a probe file created,
 * flushed and removed in each folder it writes to (the data folder, the case files, the
 * recordings), with the space left on each. Reading proves nothing here — a full disk still
 * answers every `select` — so every check writes.
 *
 * Health is polled (load balancers, the hall's monitoring), so a result is kept for a few seconds
 * (`okForMs`; a failure only `failingForMs`, so a freed disk is seen soon), and concurrent callers
 * share one probe. A disk that hangs is reported after `timeoutMs`, not waited for.
 */
import crypto from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { storageFailureKind, type StorageFailureKind } from '../storage/storage-failure.ts';

export type StorageLocationName = 'data' | 'files' | 'recordings';
/** What failed: the kind of storage failure, or `unknown` for an error that is none of those (a hang, say). */
export type ProbeFailure = StorageFailureKind | 'unknown';
export type LocationReport = { name: StorageLocationName; freeBytes: number | null; failure: ProbeFailure | null; error: string | null };
export type StorageReport = { database: { failure: ProbeFailure | null; error: string | null }; locations: LocationReport[] };

type Deps = {
  /** Commits one write to the database, throwing what the engine throws (db/database.ts probeWrite). */
  writeDatabase: () => Promise<void>;
  locations: { name: StorageLocationName; dir: string }[];
  okForMs?: number;
  failingForMs?: number;
  timeoutMs?: number;
  now?: () => number;
};

export class StorageProbe {
  #deps: Required<Omit<Deps, 'now'>> & { now: () => number };
  #last: { report: StorageReport; at: number } | null = null;
  #running: Promise<StorageReport> | null = null;

  constructor(deps: Deps) {
    this.#deps = { okForMs: 5_000, failingForMs: 1_000, timeoutMs: 5_000, now: Date.now, ...deps };
  }

  /** The latest report, probing again when it is older than it may be. */
  check(): Promise<StorageReport> {
    const last = this.#last;
    if (last && this.#deps.now() - last.at < (failed(last.report) ? this.#deps.failingForMs : this.#deps.okForMs)) return Promise.resolve(last.report);
    this.#running ??= this.#probe().finally(() => (this.#running = null));
    return this.#running;
  }

  async #probe(): Promise<StorageReport> {
    // Another process writing (SQLITE_BUSY) is no news about the disk: the last verdict stands.
    const database = (await probeDatabase(this.#deps.writeDatabase)) ?? this.#last?.report.database ?? { failure: null, error: null };
    const locations = await Promise.all(this.#deps.locations.map((location) => this.#probeLocation(location)));
    const report = { database, locations };
    this.#last = { report, at: this.#deps.now() };
    return report;
  }

  async #probeLocation(location: { name: StorageLocationName; dir: string }): Promise<LocationReport> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.#deps.timeoutMs} ms`)), this.#deps.timeoutMs);
    });
    try {
      const freeBytes = await Promise.race([writeProbeFile(location.dir), timeout]);
      return { name: location.name, freeBytes, failure: null, error: null };
    } catch (error) {
      const freeBytes = await freeBytesOf(location.dir).catch(() => null);
      return { name: location.name, freeBytes, failure: storageFailureKind(error) ?? 'unknown', error: (error as Error).message };
    } finally {
      clearTimeout(timer);
    }
  }
}

function failed(report: StorageReport): boolean {
  return report.database.failure !== null || report.locations.some((l) => l.failure !== null);
}

/** The database's verdict, or null when another writer held the database (SQLITE_BUSY). */
async function probeDatabase(write: () => Promise<void>): Promise<StorageReport['database'] | null> {
  try {
    await write();
    return { failure: null, error: null };
  } catch (error) {
    if ((error as { code?: unknown }).code === 'SQLITE_BUSY') return null;
    return { failure: storageFailureKind(error) ?? 'unknown', error: (error as Error).message };
  }
}

/** Creates, fills, flushes and removes a small file in `dir` (made if missing); answers the space left. */
async function writeProbeFile(dir: string): Promise<number> {
  await fsp.mkdir(dir, { recursive: true });
  const file = path.join(dir, `.health-probe-${process.pid}-${crypto.randomUUID()}`);
  const handle = await fsp.open(file, 'wx');
  try {
    // A block's worth: a byte may fit in space a file system keeps for the last block.
    await handle.write(Buffer.alloc(4096, 0x2e));
    await handle.sync();
  } finally {
    await handle.close();
    await fsp.rm(file, { force: true });
  }
  return freeBytesOf(dir);
}

/** Space an unprivileged process may still use (`bavail`: without the blocks kept for root). */
async function freeBytesOf(dir: string): Promise<number> {
  const stats = await fsp.statfs(dir);
  return stats.bavail * stats.bsize;
}

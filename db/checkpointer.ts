/**
 * WAL checkpoints off the server's hot path. SQLite's automatic checkpoint runs inside the commit
 * that takes the WAL past 1,000 pages: that commit — a judge's command, a page turn the whole hall
 * waits for — then also copies the WAL into the database file and flushes it, tens of
 * milliseconds (over a hundred on a busy disk). The server turns that off on its connection
 * (`wal_autocheckpoint = 0`) and this worker thread, with a connection of its own, runs a PASSIVE
 * checkpoint every `intervalMs`: it never waits for a writer or a reader, nor makes them wait,
 * and a hearing's commit only flushes its own WAL frames. This is the arrangement SQLite's
 * documentation describes for applications that want checkpoints in a separate thread
 * (https://sqlite.org/wal.html#application_initiated_checkpoints). Processes that write on their
 * own (the intake command) keep the automatic checkpoint. The server's connection closes after
 * this thread's (`stop`), and the last connection to close checkpoints what is left.
 */
import { parentPort, Worker, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const ROLE = 'ezal-wal-checkpointer';

type Data = { role: typeof ROLE; file: string; intervalMs: number };

export type Checkpointer = { stop(): Promise<void> };

/** Starts checkpointing `file` every `intervalMs` on a worker thread. */
export function startCheckpointer(file: string, intervalMs: number): Checkpointer {
  const worker = new Worker(new URL(import.meta.url), { workerData: { role: ROLE, file, intervalMs } satisfies Data });
  worker.unref();
  return {
    async stop() {
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      // Unreferenced while running (it never keeps the process up); referenced now, so the
      // process waits for the thread to close its connection instead of exiting under it.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}

// Only in the thread started above.
if (parentPort && (workerData as Data | undefined)?.role === ROLE) {
  const { file, intervalMs } = workerData as Data;
  const port = parentPort;
  const sqlite = new Database(file);
  sqlite.pragma('busy_timeout = 5000');
  // A checkpoint flushes the WAL before copying it (at any level but OFF): it is what brings the
  // server's unflushed commits (db/client.ts, `flush: false`) to the disk within `intervalMs`.
  sqlite.pragma('synchronous = FULL');
  const timer = setInterval(() => {
    try {
      sqlite.pragma('wal_checkpoint(PASSIVE)');
    } catch (error) {
      // A busy or locked database: the next tick tries again; the WAL only grows meanwhile.
      process.emitWarning(`WAL checkpoint failed: ${(error as Error).message}`);
    }
  }, intervalMs);
  port.on('message', (message) => {
    if (message !== 'stop') return;
    clearInterval(timer);
    sqlite.close();
    port.close();
  });
}

/**
 * Runs `verifyAuditChain` on a worker thread with a read-only connection of its own. Walking the
 * chain hashes every row the court has ever audited (about a second per million rows): on the
 * server's own thread that would hold up every hearing's commands meanwhile. In WAL mode the
 * thread reads a snapshot of the log as it was when it started, and never makes a writer wait.
 */
import { parentPort, Worker, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { verifyAuditChain } from './audit-chain.ts';
import type { AuditChainVerdict } from '../shared/api/audit-chain.ts';

const ROLE = 'ezal-audit-chain-verifier';

type Data = { role: typeof ROLE; file: string; key: string };
type Reply = { ok: true; verdict: AuditChainVerdict } | { ok: false; error: string };

/** The verdict over the database `file`; rejects if the thread fails. `signal` stops it (the server closing). */
export function verifyAuditChainInWorker(file: string, key: string, signal?: AbortSignal): Promise<AuditChainVerdict> {
  if (signal?.aborted) return Promise.reject(new Error('the server is closing'));
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { role: ROLE, file, key } satisfies Data });
    const abort = () => void worker.terminate();
    signal?.addEventListener('abort', abort, { once: true });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', abort);
      fn();
    };
    worker.once('message', (reply: Reply) => settle(() => (reply.ok ? resolve(reply.verdict) : reject(new Error(reply.error)))));
    worker.once('error', (error) => settle(() => reject(error)));
    worker.once('exit', (code) => settle(() => reject(new Error(`the audit chain verifier stopped (exit code ${code})`))));
  });
}

// Only in the thread started above.
if (parentPort && (workerData as Data | undefined)?.role === ROLE) {
  const { file, key } = workerData as Data;
  let reply: Reply;
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  try {
    sqlite.pragma('busy_timeout = 5000');
    reply = { ok: true, verdict: verifyAuditChain(sqlite, key) };
  } catch (error) {
    reply = { ok: false, error: (error as Error).message };
  } finally {
    sqlite.close();
  }
  parentPort.postMessage(reply);
}

/**
 * The audit log's hash chain, as the recording's segments are chained: each
 * row's hash is sha256 of the previous row's hash and the row's own fields, so a row changed or
 * removed — even after someone drops the append-only triggers — breaks the chain from there on.
 * The head is checkpointed with an HMAC under the installation's secret (at every start and
 * daily): rows cut from the end, or a chain recomputed from scratch after an edit, no longer
 * match a checkpoint. Signing the daily checkpoint with the court's key and publishing it outside
 * the server is the next step toward what seed 004 calls blockchain-style authentication.
 *
 * Pure functions over the rows; the repository (audit.repository.ts) writes, `verifyAuditChain` reads.
 */
import crypto from 'node:crypto';
import type Database from 'better-sqlite3';
import type { AuditChainVerdict } from '../shared/api/audit-chain.ts';

/** An audit row as stored (times in ms, details as their stored JSON text). */
export type AuditRow = {
  id: number;
  at: number;
  userId: string | null;
  actor: string;
  action: string;
  outcome: string;
  caseId: string | null;
  target: string | null;
  ip: string | null;
  details: string | null;
};

export const AUDIT_GENESIS = crypto.createHash('sha256').update('e-zal audit log').digest('hex');

/** hash[n] = sha256(hash[n-1] "\n" JSON of the row's fields, in a fixed order). */
export function chainHash(previous: string, row: AuditRow): string {
  const fields = [row.id, row.at, row.userId, row.actor, row.action, row.outcome, row.caseId, row.target, row.ip, row.details];
  return crypto
    .createHash('sha256')
    .update(`${previous}\n${JSON.stringify(fields)}`)
    .digest('hex');
}

export function checkpointSignature(key: string, auditId: number, hash: string): string {
  return crypto.createHmac('sha256', key).update(`e-zal audit checkpoint\n${auditId}\n${hash}`).digest('hex');
}

const ROWS = `select a.id, a.at, a.user_id as userId, a.actor, a.action, a.outcome, a.case_id as caseId, a.target, a.ip, a.details, c.hash
  from audit_log a left join audit_chain c on c.audit_id = a.id order by a.id`;

/** A checkpoint as stored (its time in ms). */
export type CheckpointRow = { id: number; at: number; auditId: number; hash: string; signature: string };

/**
 * The walk over the log, fed its rows in id order (`add`, each with its stored hash), then judged
 * with the checkpoints (`verdict`): the same steps whether the rows come from one SQLite statement
 * or from PostgreSQL in pages.
 */
export class AuditChainWalk {
  #problems: AuditChainVerdict['problems'] = [];
  #hashes = new Map<number, string>();
  #previous = AUDIT_GENESIS;
  #rows = 0;
  #head: AuditChainVerdict['head'] = null;

  /** Recomputes the row's hash from the one before and compares it with the stored one. */
  add(row: AuditRow & { hash: string | null }): void {
    this.#rows++;
    const expected = chainHash(this.#previous, row);
    if (row.hash === null) this.#problems.push({ kind: 'unchained', auditId: row.id, detail: 'no hash for this row' });
    else if (row.hash !== expected) this.#problems.push({ kind: 'hash_mismatch', auditId: row.id, detail: 'the row or the one before it was changed or removed' });
    // Go on from the stored hash, so one change is reported once, not at every row after it.
    this.#previous = row.hash ?? expected;
    this.#hashes.set(row.id, this.#previous);
    this.#head = { auditId: row.id, hash: this.#previous };
  }

  /** Checks every checkpoint's signature and that the chain still passes through it. */
  verdict(checkpoints: CheckpointRow[], key: string): AuditChainVerdict {
    const problems = [...this.#problems];
    let lastCheckpoint: AuditChainVerdict['lastCheckpoint'] = null;
    for (const checkpoint of checkpoints) {
      const signatureValid = checkpointSignature(key, checkpoint.auditId, checkpoint.hash) === checkpoint.signature;
      lastCheckpoint = { id: checkpoint.id, auditId: checkpoint.auditId, at: new Date(checkpoint.at).toISOString(), signatureValid };
      if (!signatureValid) {
        problems.push({ kind: 'bad_signature', auditId: checkpoint.auditId, detail: `checkpoint ${checkpoint.id} is not signed by this installation` });
      } else if (!this.#hashes.has(checkpoint.auditId)) {
        problems.push({ kind: 'checkpoint_row_missing', auditId: checkpoint.auditId, detail: `checkpoint ${checkpoint.id} names a row that is gone` });
      } else if (this.#hashes.get(checkpoint.auditId) !== checkpoint.hash) {
        problems.push({ kind: 'checkpoint_mismatch', auditId: checkpoint.auditId, detail: `the chain no longer passes through checkpoint ${checkpoint.id}` });
      }
    }
    return { ok: problems.length === 0, rows: this.#rows, head: this.#head, checkpoints: checkpoints.length, lastCheckpoint, problems };
  }
}

/**
 * Walks the whole log of an SQLite file in order, recomputing each hash from the one before; then
 * checks every checkpoint's signature and that the chain still passes through it. (On PostgreSQL:
 * `AuditRepository.verifyChain`, which reads the same in pages.)
 */
export function verifyAuditChain(sqlite: Database.Database, key: string): AuditChainVerdict {
  const walk = new AuditChainWalk();
  for (const row of sqlite.prepare(ROWS).iterate() as Iterable<AuditRow & { hash: string | null }>) walk.add(row);
  const checkpoints = sqlite.prepare('select id, at, audit_id as auditId, hash, signature from audit_checkpoints order by id').all() as CheckpointRow[];
  return walk.verdict(checkpoints, key);
}

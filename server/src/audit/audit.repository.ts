import { desc, gt, sql } from 'drizzle-orm';
import { auditChain, auditCheckpoints, auditLog } from '../../../db/schema.ts';
import type { Db } from '../../../db/client.ts';
import { AUDIT_GENESIS, chainHash, checkpointSignature } from './audit-chain.ts';

export type AuditEntry = {
  userId?: string | null;
  /** Who acted, as a person reads it: a username, `client:<name>` for integrations, or `anonymous`. */
  actor: string;
  action: string;
  outcome: 'allowed' | 'denied' | 'failed';
  caseId?: string | null;
  target?: string | null;
  ip?: string | null;
  details?: Record<string, unknown> | null;
};

/**
 * Writes to the append-only audit log, each row chained to the one before (audit-chain.ts) in the
 * same transaction. There is deliberately no update or delete here. Several processes may write
 * (the server, the admin and intake commands): the chain follows the rows' order in the database,
 * and a row another process wrote without a hash (before the chain existed) is chained by the next write.
 */
export class AuditRepository {
  #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  record(entry: AuditEntry): void {
    this.#db.transaction((tx) => {
      tx.insert(auditLog)
        .values({ ...entry, at: new Date() })
        .run();
      chainPending(tx as unknown as Db);
    });
  }

  /** Writes a checkpoint of the chain's head, signed with `key` (at start and daily). Returns it, or null for an empty log. */
  checkpoint(key: string): { auditId: number; hash: string } | null {
    return this.#db.transaction((tx) => {
      chainPending(tx as unknown as Db);
      const head = tx.select().from(auditChain).orderBy(desc(auditChain.auditId)).limit(1).get();
      if (!head) return null;
      const last = tx.select().from(auditCheckpoints).orderBy(desc(auditCheckpoints.id)).limit(1).get();
      if (last?.auditId !== head.auditId) {
        tx.insert(auditCheckpoints)
          .values({ at: new Date(), auditId: head.auditId, hash: head.hash, signature: checkpointSignature(key, head.auditId, head.hash) })
          .run();
      }
      return { auditId: head.auditId, hash: head.hash };
    });
  }
}

/** Chains every row after the last chained one, in id order (normally just the row written). */
function chainPending(db: Db): void {
  const last = db.select().from(auditChain).orderBy(desc(auditChain.auditId)).limit(1).get();
  let previous = last?.hash ?? AUDIT_GENESIS;
  // As stored: the time in ms and the details' JSON text, exactly what the verifier reads.
  const pending = db
    .select({
      id: auditLog.id,
      at: sql<number>`${auditLog.at}`,
      userId: auditLog.userId,
      actor: auditLog.actor,
      action: auditLog.action,
      outcome: auditLog.outcome,
      caseId: auditLog.caseId,
      target: auditLog.target,
      ip: auditLog.ip,
      details: sql<string | null>`${auditLog.details}`,
    })
    .from(auditLog)
    .where(gt(auditLog.id, last?.auditId ?? 0))
    .orderBy(auditLog.id)
    .all();
  for (const row of pending) {
    previous = chainHash(previous, row);
    db.insert(auditChain).values({ auditId: row.id, hash: previous }).run();
  }
}

/**
 * The append-only audit log, on either dialect (db/database.ts): each row chained to the one before
 * (audit-chain.ts) in the same transaction, and the chain's head checkpointed.
 */
import { and, asc, desc, eq, gt, lte, sql } from 'drizzle-orm';
import { Repository } from '../../../db/repository.ts';
import type { AuditChainVerdict } from '../shared/api/audit-chain.ts';
import { AUDIT_GENESIS, AuditChainWalk, chainHash, checkpointSignature, type AuditRow, type CheckpointRow } from './audit-chain.ts';

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

/** The PostgreSQL advisory lock (transaction-scoped) under which rows are appended and chained: "ezal" "audit". */
const CHAIN_LOCK = sql`select pg_advisory_xact_lock(1700946540, 1)`;

/** Rows the chain verification reads at a time on PostgreSQL. */
const VERIFY_PAGE = 5000;

/**
 * Writes to the append-only audit log, each row chained to the one before (audit-chain.ts) in the
 * same transaction: the caller's when called inside one (the entry commits, or not, with the change
 * it records), else a transaction of its own. There is deliberately no update or delete here.
 * Several processes may write (the server's nodes, the admin and intake commands): the chain
 * follows the rows' order in the database, and a row another process wrote without a hash (before
 * the chain existed) is chained by the next write.
 *
 * On PostgreSQL, appending takes a transaction-scoped advisory lock first, held to the commit: rows
 * are numbered and chained one transaction at a time across all nodes, so no row can commit
 * behind one already chained. (On SQLite the one writer already does that.)
 */
export class AuditRepository extends Repository {
  async record(entry: AuditEntry): Promise<void> {
    const { auditLog } = this.tables;
    await this.database.transaction(async () => {
      await this.#lockChain();
      await this.db.insert(auditLog).values({ ...entry, at: new Date() });
      await this.#chainPending();
    });
  }

  /** Writes a checkpoint of the chain's head, signed with `key` (at start and daily). Returns it, or null for an empty log. */
  async checkpoint(key: string): Promise<{ auditId: number; hash: string } | null> {
    const { auditChain, auditCheckpoints } = this.tables;
    return this.database.transaction(async () => {
      await this.#lockChain();
      await this.#chainPending();
      const [head] = await this.db.select().from(auditChain).orderBy(desc(auditChain.auditId)).limit(1);
      if (!head) return null;
      const [last] = await this.db.select().from(auditCheckpoints).orderBy(desc(auditCheckpoints.id)).limit(1);
      if (last?.auditId !== head.auditId) {
        await this.db.insert(auditCheckpoints).values({ at: new Date(), auditId: head.auditId, hash: head.hash, signature: checkpointSignature(key, head.auditId, head.hash) });
      }
      return { auditId: head.auditId, hash: head.hash };
    });
  }

  /**
   * Walks the chain and its checkpoints (the verdict of audit-chain.ts's `verifyAuditChain`), reading
   * committed rows in pages: for PostgreSQL, where no file can be handed to a worker thread. The
   * checkpoints and the last row are read first, so the walk covers every row a checkpoint names
   * and none written during it.
   */
  async verifyChain(key: string, pageSize = VERIFY_PAGE): Promise<AuditChainVerdict> {
    const { auditLog, auditChain, auditCheckpoints } = this.tables;
    const checkpoints: CheckpointRow[] = (
      await this.db
        .select({ id: auditCheckpoints.id, at: auditCheckpoints.at, auditId: auditCheckpoints.auditId, hash: auditCheckpoints.hash, signature: auditCheckpoints.signature })
        .from(auditCheckpoints)
        .orderBy(asc(auditCheckpoints.id))
    ).map((c) => ({ ...c, at: c.at.getTime() }));
    const [end] = await this.db.select({ id: auditLog.id }).from(auditLog).orderBy(desc(auditLog.id)).limit(1);
    const walk = new AuditChainWalk();
    let after = 0;
    while (end && after < end.id) {
      const page = await this.db
        .select({ ...this.#storedColumns(), hash: auditChain.hash })
        .from(auditLog)
        .leftJoin(auditChain, eq(auditChain.auditId, auditLog.id))
        .where(and(gt(auditLog.id, after), lte(auditLog.id, end.id)))
        .orderBy(asc(auditLog.id))
        .limit(pageSize);
      if (page.length === 0) break;
      for (const row of page) walk.add(row);
      after = page.at(-1)!.id;
    }
    return walk.verdict(checkpoints, key);
  }

  async #lockChain(): Promise<void> {
    if (this.database.dialect === 'postgres') await this.database.rows(CHAIN_LOCK);
  }

  /**
   * The row's fields as stored, which is what is hashed: the time in ms and the details' JSON text
   * (SQLite keeps them so; PostgreSQL's `timestamptz` and `json` are read back into the same).
   */
  #storedColumns() {
    const { auditLog } = this.tables;
    const sqlite = this.database.dialect === 'sqlite';
    return {
      id: auditLog.id,
      at: (sqlite ? sql`${auditLog.at}` : sql`(extract(epoch from ${auditLog.at}) * 1000)::bigint`).mapWith(Number),
      userId: auditLog.userId,
      actor: auditLog.actor,
      action: auditLog.action,
      outcome: auditLog.outcome,
      caseId: auditLog.caseId,
      target: auditLog.target,
      ip: auditLog.ip,
      details: sqlite ? sql<string | null>`${auditLog.details}` : sql<string | null>`${auditLog.details}::text`,
    };
  }

  /** Chains every row after the last chained one, in id order (normally just the row written). */
  async #chainPending(): Promise<void> {
    const { auditLog, auditChain } = this.tables;
    const [last] = await this.db.select().from(auditChain).orderBy(desc(auditChain.auditId)).limit(1);
    let previous = last?.hash ?? AUDIT_GENESIS;
    const pending: AuditRow[] = await this.db
      .select(this.#storedColumns())
      .from(auditLog)
      .where(gt(auditLog.id, last?.auditId ?? 0))
      .orderBy(asc(auditLog.id));
    for (const row of pending) {
      previous = chainHash(previous, row);
      await this.db.insert(auditChain).values({ auditId: row.id, hash: previous });
    }
  }
}

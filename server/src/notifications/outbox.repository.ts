/**
 * The notification outbox (notification_outbox), on either dialect (db/database.ts): rows are
 * added in the same transaction as the change they announce, then a dispatcher claims the due ones
 * one at a time and records what became of each.
 *
 * The dispatcher reaches the outbox only through `OutboxQueue`. A message is claimed with a lease
 * (`claimed_by`, `lease_until`) before it is sent, and its outcome recorded only while the claim
 * is still the claimer's, so the dispatcher runs the same steps whether it is alone (SQLite, one
 * process) or one of several nodes' dispatchers on one outbox (PostgreSQL).
 *
 * Why a message is sent once although several dispatchers poll the same table: a dispatcher
 * claims one message at a time with `UPDATE … WHERE id IN (SELECT … LIMIT 1) RETURNING *`, one
 * statement in a transaction of its own, committed before the message is sent. The one place the
 * dialects differ is that statement's locking (`claimNext`): on PostgreSQL the subquery is `FOR
 * UPDATE SKIP LOCKED`, so two claims at the same moment take different rows (the second skips the
 * row the first is claiming instead of waiting for it and then claiming it too); on SQLite the
 * process is the file's one writer, its transactions run one at a time, and no lock is needed.
 * The lease then keeps every other node off the row after the commit, while the message is being
 * sent. Proved by tests/integration/outbox-nodes.spec.ts.
 */
import crypto from 'node:crypto';
import { and, asc, eq, inArray, isNull, lte, or, sql, type SQLWrapper } from 'drizzle-orm';
import type { Tables } from '../../../db/database.ts';
import { Repository } from '../../../db/repository.ts';
import type { NotificationChannel, NotificationKind } from '../../../db/schema.ts';
import type { NoticeStatus } from '../shared/api/scheduling.ts';

type Outbox = Tables['notificationOutbox'];
export type OutboxRow = Outbox['$inferSelect'];

export type NewNotice = {
  kind: NotificationKind;
  channel: NotificationChannel;
  recipient: string;
  locale: 'kk' | 'ru';
  subject: string | null;
  body: string;
  hearingId: string | null;
  summonsId: string | null;
};

/** A message held by one dispatcher: `node` is the claim's owner as written in `claimed_by`. */
export type Claim = { id: string; node: string };

/**
 * What a dispatcher needs of the outbox. Each `mark…` records an outcome only if `claim` still
 * holds the message, and says whether it did: false means the lease ran out and another node may
 * have taken the message over (see the dispatcher's note on delivery).
 */
export interface OutboxQueue {
  /**
   * Takes the oldest due message no other node holds, marks it `node`'s until `leaseUntil`, and
   * commits that before returning (so the claim is visible to every node before anything is sent).
   * Called outside any transaction: inside one it would be part of it, and commit only with it.
   */
  claimNext(node: string, now: Date, leaseUntil: Date): Promise<OutboxRow | null>;
  markSent(claim: Claim, attempts: number, at: Date): Promise<boolean>;
  markRetry(claim: Claim, attempts: number, nextAttemptAt: Date, error: string): Promise<boolean>;
  /** Gives up on a message: `failed` after its last attempt, `skipped` when its channel is off. */
  markDone(claim: Claim, status: 'failed' | 'skipped', attempts: number, error: string): Promise<boolean>;
  /** When the next pending message may be claimed (it is due and nobody's lease holds it), if any may. */
  nextDueAt(): Promise<Date | null>;
}

/**
 * Ends the claim: set with every outcome, so a message waiting for its retry is free for any node.
 * `claimed_by` stays: it says which node sent the message, or last tried to.
 */
const RELEASED = { leaseUntil: null } as const;

/** PostgreSQL's select builder's locking clause, which the builders' (SQLite) types do not show. */
type Lockable = { for(strength: 'update', config: { skipLocked: true }): SQLWrapper };

export class OutboxRepository extends Repository implements OutboxQueue {
  /**
   * Adds messages: `pending` and due at once on a channel this server sends through, `skipped`
   * on one it does not (so the record says plainly that nothing was sent). Called inside the
   * announcing change's transaction, which it joins: the messages commit with the change, or not
   * at all.
   */
  async enqueue(notices: NewNotice[], enabled: ReadonlySet<NotificationChannel>, now: Date): Promise<void> {
    if (notices.length === 0) return;
    const { notificationOutbox } = this.tables;
    await this.database.transaction(async () => {
      await this.db.insert(notificationOutbox).values(newOutboxRows(notices, enabled, now));
    });
  }

  /**
   * One statement, in a transaction of its own (see the note at the top): choosing the message and
   * claiming it cannot be separated. The dialects differ only in the subquery's lock.
   */
  async claimNext(node: string, now: Date, leaseUntil: Date): Promise<OutboxRow | null> {
    const { notificationOutbox: t } = this.tables;
    return this.database.transaction(async () => {
      const due = this.db.select({ id: t.id }).from(t).where(claimable(t, now)).orderBy(asc(t.nextAttemptAt), asc(t.createdAt)).limit(1);
      // PostgreSQL: several nodes claim at once, and the lock keeps two claims off one row.
      // SQLite: this process is the only writer, and its transactions run one after another.
      const next: SQLWrapper = this.database.dialect === 'postgres' ? (due as unknown as Lockable).for('update', { skipLocked: true }) : due;
      const [row] = await this.db.update(t).set({ claimedBy: node, leaseUntil }).where(inArray(t.id, next)).returning();
      return row ?? null;
    });
  }

  async markSent(claim: Claim, attempts: number, at: Date): Promise<boolean> {
    return this.#record(claim, { status: 'sent', attempts, sentAt: at, nextAttemptAt: null, lastError: null });
  }

  async markRetry(claim: Claim, attempts: number, nextAttemptAt: Date, error: string): Promise<boolean> {
    return this.#record(claim, { attempts, nextAttemptAt, lastError: error });
  }

  async markDone(claim: Claim, status: 'failed' | 'skipped', attempts: number, error: string): Promise<boolean> {
    return this.#record(claim, { status, attempts, nextAttemptAt: null, lastError: error });
  }

  async nextDueAt(): Promise<Date | null> {
    const { notificationOutbox: t } = this.tables;
    // A message is claimable at the later of its due time and its lease's end (no lease: when due).
    // A comparison with a null lease is not true, so the case takes the due time: the same SQL on both.
    const [row] = await this.db
      .select({ at: sql<Date | null>`min(case when ${t.leaseUntil} > ${t.nextAttemptAt} then ${t.leaseUntil} else ${t.nextAttemptAt} end)`.mapWith(t.nextAttemptAt) })
      .from(t)
      .where(eq(t.status, 'pending'));
    return row?.at ?? null;
  }

  /**
   * Every message about these hearings, oldest first; those written together (one change's) by id,
   * which says nothing of the order they were written in.
   */
  async forHearings(hearingIds: string[]): Promise<NoticeStatus[]> {
    if (hearingIds.length === 0) return [];
    const { notificationOutbox: t } = this.tables;
    const rows = await this.db.select().from(t).where(inArray(t.hearingId, hearingIds)).orderBy(asc(t.createdAt), asc(t.id));
    return rows.map((r) => ({
      id: r.id,
      summonsId: r.summonsId,
      kind: r.kind,
      channel: r.channel,
      recipient: r.recipient,
      status: r.status,
      attempts: r.attempts,
      createdAt: r.createdAt.toISOString(),
      sentAt: r.sentAt?.toISOString() ?? null,
      nextAttemptAt: r.nextAttemptAt?.toISOString() ?? null,
      lastError: r.lastError,
    }));
  }

  /** Writes an outcome, and ends the lease, only where `claim` still holds the message; true if it did. */
  async #record(claim: Claim, outcome: Partial<OutboxRow>): Promise<boolean> {
    const { notificationOutbox: t } = this.tables;
    const changed = await this.database.transaction(async () =>
      this.db
        .update(t)
        .set({ ...outcome, ...RELEASED })
        .where(heldBy(t, claim))
        .returning({ id: t.id }),
    );
    return changed.length === 1;
  }
}

/** The rows `enqueue` writes. */
function newOutboxRows(notices: NewNotice[], enabled: ReadonlySet<NotificationChannel>, now: Date) {
  return notices.map((n) => {
    const on = enabled.has(n.channel);
    return {
      ...n,
      id: crypto.randomUUID(),
      createdAt: now,
      status: on ? ('pending' as const) : ('skipped' as const),
      nextAttemptAt: on ? now : null,
      lastError: on ? null : 'channel_off',
    };
  });
}

/** Pending, due, and held by no live lease (a lease past its time is one whose node stopped or hung). */
function claimable(t: Outbox, now: Date) {
  return and(eq(t.status, 'pending'), lte(t.nextAttemptAt, now), or(isNull(t.leaseUntil), lte(t.leaseUntil, now)));
}

/** Still pending and still claimed by this claim's node: the only rows an outcome may be written to. */
function heldBy(t: Outbox, claim: Claim) {
  return and(eq(t.id, claim.id), eq(t.status, 'pending'), eq(t.claimedBy, claim.node));
}

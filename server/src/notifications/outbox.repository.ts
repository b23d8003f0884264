/**
 * The notification outbox (db/schema.ts, notification_outbox): rows are added in the same
 * transaction as the change they announce, then the dispatcher takes the due ones and records
 * what became of each.
 */
import crypto from 'node:crypto';
import { and, asc, eq, inArray, lte, min, sql } from 'drizzle-orm';
import { notificationOutbox, type NotificationChannel, type NotificationKind } from '../../../db/schema.ts';
import type { Db } from '../../../db/client.ts';
import type { NoticeStatus } from '../shared/api/scheduling.ts';

export type OutboxRow = typeof notificationOutbox.$inferSelect;

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

export class OutboxRepository {
  #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /**
   * Adds messages: `pending` and due at once on a channel this server sends through, `skipped`
   * on one it does not (so the record says plainly that nothing was sent).
   */
  enqueue(notices: NewNotice[], enabled: ReadonlySet<NotificationChannel>, now: Date): void {
    if (notices.length === 0) return;
    this.#db
      .insert(notificationOutbox)
      .values(
        notices.map((n) => {
          const on = enabled.has(n.channel);
          return {
            ...n,
            id: crypto.randomUUID(),
            createdAt: now,
            status: on ? ('pending' as const) : ('skipped' as const),
            nextAttemptAt: on ? now : null,
            lastError: on ? null : 'channel_off',
          };
        }),
      )
      .run();
  }

  /** Pending messages due by `now`, oldest due first. */
  due(now: Date, limit: number): OutboxRow[] {
    return this.#db
      .select()
      .from(notificationOutbox)
      .where(and(eq(notificationOutbox.status, 'pending'), lte(notificationOutbox.nextAttemptAt, now)))
      .orderBy(asc(notificationOutbox.nextAttemptAt), asc(notificationOutbox.createdAt))
      .limit(limit)
      .all();
  }

  /** When the next pending message is due, if any is. */
  nextDueAt(): Date | null {
    const row = this.#db
      .select({ at: min(notificationOutbox.nextAttemptAt) })
      .from(notificationOutbox)
      .where(eq(notificationOutbox.status, 'pending'))
      .get();
    return row?.at ?? null;
  }

  markSent(id: string, attempts: number, at: Date): void {
    this.#db.update(notificationOutbox).set({ status: 'sent', attempts, sentAt: at, nextAttemptAt: null, lastError: null }).where(eq(notificationOutbox.id, id)).run();
  }

  markRetry(id: string, attempts: number, nextAttemptAt: Date, error: string): void {
    this.#db.update(notificationOutbox).set({ attempts, nextAttemptAt, lastError: error }).where(eq(notificationOutbox.id, id)).run();
  }

  /** Gives up on a message: `failed` after its last attempt, `skipped` when its channel is off. */
  markDone(id: string, status: 'failed' | 'skipped', attempts: number, error: string): void {
    this.#db.update(notificationOutbox).set({ status, attempts, nextAttemptAt: null, lastError: error }).where(eq(notificationOutbox.id, id)).run();
  }

  /** Every message about these hearings, oldest first. */
  forHearings(hearingIds: string[]): NoticeStatus[] {
    if (hearingIds.length === 0) return [];
    return this.#db
      .select()
      .from(notificationOutbox)
      .where(inArray(notificationOutbox.hearingId, hearingIds))
      .orderBy(asc(notificationOutbox.createdAt), sql`rowid`)
      .all()
      .map((r) => ({
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
}

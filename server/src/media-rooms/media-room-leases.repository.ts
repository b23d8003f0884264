/**
 * The leases on the hearings' media rooms (db table `media_room_leases`; docs/media.md, "Media
 * failover"): a hearing's room lives on one node at a time, the one holding the unexpired lease.
 * A node takes the lease before it makes the room (a new row, or one that has expired, or one it
 * already holds), renews it while the room is open, and releases it when the room closes; a node
 * that died stops renewing and its lease runs out by itself, after which the next node asked for
 * the hearing's media takes it over. Each step is one statement, so two nodes racing for one lease
 * never both get it. Times are the nodes' clocks: the nodes of a court keep them in step (NTP).
 */
import { and, eq, lte, or } from 'drizzle-orm';
import { Repository } from '../../../db/repository.ts';

export type MediaRoomLease = { hearingId: string; nodeId: string; nodeAddress: string; acquiredAt: Date; expiresAt: Date };

/** The answer to `acquire`: the lease is this node's now, or another node's whose lease still runs. */
export type LeaseOutcome = { held: true; lease: MediaRoomLease } | { held: false; lease: MediaRoomLease };

export class MediaRoomLeasesRepository extends Repository {
  /**
   * Takes the hearing's lease for `node` until `now + ttlMs`: inserts it, or takes the row over
   * when it has expired or is this node's already. Otherwise answers with the live holder.
   */
  async acquire(hearingId: string, node: { id: string; address: string }, ttlMs: number, now = new Date()): Promise<LeaseOutcome> {
    const { mediaRoomLeases: t } = this.tables;
    const row = { hearingId, nodeId: node.id, nodeAddress: node.address, acquiredAt: now, expiresAt: new Date(now.getTime() + ttlMs) };
    // The upsert decides (PostgreSQL's row lock keeps two nodes from both taking it); the read
    // after it, in the same transaction, says who holds it now.
    const lease = await this.database.transaction(async () => {
      await this.db
        .insert(t)
        .values(row)
        .onConflictDoUpdate({
          target: t.hearingId,
          set: { nodeId: row.nodeId, nodeAddress: row.nodeAddress, acquiredAt: row.acquiredAt, expiresAt: row.expiresAt },
          setWhere: or(lte(t.expiresAt, now), eq(t.nodeId, node.id)),
        });
      return this.find(hearingId);
    });
    if (!lease) throw new Error(`the media room lease of hearing ${hearingId} vanished while it was taken`);
    return { held: lease.nodeId === node.id, lease };
  }

  /** Extends this node's lease to `now + ttlMs`; false when it is no longer this node's (taken over after it expired). */
  async renew(hearingId: string, nodeId: string, ttlMs: number, now = new Date()): Promise<boolean> {
    const { mediaRoomLeases: t } = this.tables;
    const renewed = await this.database.transaction(() =>
      this.db
        .update(t)
        .set({ expiresAt: new Date(now.getTime() + ttlMs) })
        .where(and(eq(t.hearingId, hearingId), eq(t.nodeId, nodeId)))
        .returning({ hearingId: t.hearingId }),
    );
    return renewed.length > 0;
  }

  /**
   * Gives this node's lease back (its room closed); another node's lease is left alone, and so is a
   * newer one of this node when `acquiredAt` names the one to give back.
   */
  async release(hearingId: string, nodeId: string, acquiredAt?: Date): Promise<void> {
    const { mediaRoomLeases: t } = this.tables;
    await this.database.transaction(() => this.db.delete(t).where(and(eq(t.hearingId, hearingId), eq(t.nodeId, nodeId), acquiredAt ? eq(t.acquiredAt, acquiredAt) : undefined)));
  }

  /** The hearing's lease row, expired or not. */
  async find(hearingId: string): Promise<MediaRoomLease | undefined> {
    const { mediaRoomLeases: t } = this.tables;
    const [row] = await this.db.select().from(t).where(eq(t.hearingId, hearingId));
    return row;
  }
}

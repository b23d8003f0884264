/**
 * The case's status and its history (`case_status_changes`), on either dialect (db/database.ts).
 * Writes run inside the caller's transaction (the hearing command's).
 */
import { desc, eq } from 'drizzle-orm';
import { Repository } from '../../../db/repository.ts';
import type { CaseStatus } from '../../../db/schema.ts';

/** A case as far as its status goes. */
export type CaseStatusRow = { id: string; status: CaseStatus; receivedAt: Date; suspendedAt: Date | null };
export type NewStatusChange = {
  caseId: string;
  at: Date;
  from: CaseStatus;
  to: CaseStatus;
  since: Date;
  reason: string | null;
  hearingId: string | null;
  eventVersion: number | null;
  actorUserId: string | null;
  actorName: string;
};

export class CaseStatusRepository extends Repository {
  async caseOfHearing(hearingId: string): Promise<CaseStatusRow | undefined> {
    const { cases, hearings } = this.tables;
    const [row] = await this.db
      .select({ id: cases.id, status: cases.status, receivedAt: cases.receivedAt, suspendedAt: cases.suspendedAt })
      .from(hearings)
      .innerJoin(cases, eq(cases.id, hearings.caseId))
      .where(eq(hearings.id, hearingId));
    return row;
  }

  /** When the case's latest change took place (undefined before any). */
  async lastChangeAt(caseId: string): Promise<Date | undefined> {
    const { caseStatusChanges } = this.tables;
    const [row] = await this.db.select({ at: caseStatusChanges.at }).from(caseStatusChanges).where(eq(caseStatusChanges.caseId, caseId)).orderBy(desc(caseStatusChanges.id)).limit(1);
    return row?.at;
  }

  /** Writes the change and the case's new picture: status, the current suspension's start, the closing. */
  async record(change: NewStatusChange): Promise<void> {
    const { cases, caseStatusChanges } = this.tables;
    await this.db.insert(caseStatusChanges).values({
      caseId: change.caseId,
      at: change.at,
      fromStatus: change.from,
      toStatus: change.to,
      since: change.since,
      reason: change.reason,
      hearingId: change.hearingId,
      eventVersion: change.eventVersion,
      actorUserId: change.actorUserId,
      actorName: change.actorName,
    });
    await this.db
      .update(cases)
      .set({
        status: change.to,
        suspendedAt: change.to === 'suspended' ? change.at : null,
        ...(change.to === 'closed' ? { closedAt: change.at } : {}),
      })
      .where(eq(cases.id, change.caseId));
  }
}

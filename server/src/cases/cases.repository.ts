/** Cases in the database and how users stand to them, on either dialect (db/database.ts). */
import { and, asc, desc, eq, gte, inArray, or, type SQL } from 'drizzle-orm';
import type { Tables } from '../../../db/database.ts';
import { Repository } from '../../../db/repository.ts';
import type { ParticipantRole } from '../../../db/schema.ts';
import { changeKind } from './case-status-rules.ts';
import type { HearingWithCase, HearingSummary, CaseSummary, CaseDetail, CaseStatusEntry } from '../shared/api/cases.ts';

/** How one user stands to one case; a user may have several relations (rare, but possible). */
export type CaseRelation =
  | { kind: 'staff'; role: 'judge' | 'secretary' }
  | { kind: 'participant'; role: ParticipantRole; participantId: string }
  | { kind: 'court'; role: 'office' | 'chair' }
  /** The wall screen of a hall while a hearing of the case is in session there: it shows the presented pages. */
  | { kind: 'hall_display'; hallId: string };

export type Viewer = { id: string; courtId: string | null; courtWide: boolean };

export class CasesRepository extends Repository {
  /** Every relation `userId` has to `caseId`, court-wide roles included. */
  async relations(viewer: Viewer & { roles: readonly string[] }, caseId: string): Promise<CaseRelation[]> {
    const { cases, caseStaff, caseParticipants, hearings, hallDisplays } = this.tables;
    const [row] = await this.db.select({ courtId: cases.courtId }).from(cases).where(eq(cases.id, caseId));
    if (!row) return [];
    const relations: CaseRelation[] = [];
    const staff = await this.db
      .select({ role: caseStaff.role })
      .from(caseStaff)
      .where(and(eq(caseStaff.caseId, caseId), eq(caseStaff.userId, viewer.id)));
    for (const s of staff) relations.push({ kind: 'staff', role: s.role });
    const seats = await this.db
      .select({ role: caseParticipants.role, id: caseParticipants.id })
      .from(caseParticipants)
      .where(and(eq(caseParticipants.caseId, caseId), eq(caseParticipants.userId, viewer.id)));
    for (const p of seats) relations.push({ kind: 'participant', role: p.role, participantId: p.id });
    if (viewer.courtId !== null && viewer.courtId === row.courtId) {
      for (const role of ['office', 'chair'] as const) {
        if (viewer.roles.includes(role)) relations.push({ kind: 'court', role });
      }
    }
    if (viewer.roles.includes('hall_display')) {
      const [live] = await this.db
        .select({ hallId: hearings.hallId })
        .from(hearings)
        .innerJoin(hallDisplays, eq(hallDisplays.hallId, hearings.hallId))
        .where(and(eq(hearings.caseId, caseId), eq(hallDisplays.userId, viewer.id), inArray(hearings.status, ['in_progress', 'break'])))
        .limit(1);
      if (live) relations.push({ kind: 'hall_display', hallId: live.hallId });
    }
    return relations;
  }

  /**
   * The hearing of the case sitting (in session or on a break) in the hall whose wall screen
   * `userId` is, and the document it shows now (wall-screen.ts); null when none sits there.
   */
  async screenSight(userId: string, caseId: string): Promise<{ hearingId: string; shownDocumentId: string | null } | null> {
    const { hearings, hallDisplays, hearingStates } = this.tables;
    const [row] = await this.db
      .select({ hearingId: hearings.id, state: hearingStates.state })
      .from(hearings)
      .innerJoin(hallDisplays, eq(hallDisplays.hallId, hearings.hallId))
      .leftJoin(hearingStates, eq(hearingStates.hearingId, hearings.id))
      .where(and(eq(hearings.caseId, caseId), eq(hallDisplays.userId, userId), inArray(hearings.status, ['in_progress', 'break'])))
      .limit(1);
    if (!row) return null;
    const shown = (row.state as { shown?: { documentId?: unknown } | null } | null)?.shown;
    return { hearingId: row.hearingId, shownDocumentId: typeof shown?.documentId === 'string' ? shown.documentId : null };
  }

  async exists(caseId: string): Promise<boolean> {
    const { cases } = this.tables;
    const [row] = await this.db.select({ id: cases.id }).from(cases).where(eq(cases.id, caseId));
    return row !== undefined;
  }

  /** The condition "this case is visible to the viewer", as SQL, so lists are filtered in the database. */
  #visibleTo(viewer: Viewer): SQL {
    const { cases, caseStaff, caseParticipants } = this.tables;
    const assigned = this.db.select({ id: caseStaff.caseId }).from(caseStaff).where(eq(caseStaff.userId, viewer.id));
    const party = this.db.select({ id: caseParticipants.caseId }).from(caseParticipants).where(eq(caseParticipants.userId, viewer.id));
    const conditions = [inArray(cases.id, assigned), inArray(cases.id, party)];
    if (viewer.courtWide && viewer.courtId !== null) conditions.push(eq(cases.courtId, viewer.courtId));
    return or(...conditions) as SQL;
  }

  /** The hearings held in the hall whose wall screen the viewer is (none for anyone else). */
  #inDisplayedHall(viewer: Viewer): SQL {
    const { hearings, hallDisplays } = this.tables;
    return inArray(hearings.hallId, this.db.select({ id: hallDisplays.hallId }).from(hallDisplays).where(eq(hallDisplays.userId, viewer.id)));
  }

  async listVisible(viewer: Viewer): Promise<CaseSummary[]> {
    const { cases } = this.tables;
    const rows = await this.db.select().from(cases).where(this.#visibleTo(viewer)).orderBy(desc(cases.receivedAt));
    return rows.map(toSummary);
  }

  /** Hearings of the cases the viewer can see (and, for a hall's wall screen, of its hall), from `from` on, earliest first. */
  async hearingsVisible(viewer: Viewer, from: Date): Promise<HearingWithCase[]> {
    const { hearings, halls, users, cases } = this.tables;
    const rows = await this.db
      .select({ hearing: hearings, hall: halls, judge: { id: users.id, fullName: users.fullName }, kase: cases })
      .from(hearings)
      .innerJoin(cases, eq(cases.id, hearings.caseId))
      .innerJoin(halls, eq(halls.id, hearings.hallId))
      .innerJoin(users, eq(users.id, hearings.presidingJudgeId))
      .where(and(or(this.#visibleTo(viewer), this.#inDisplayedHall(viewer)), gte(hearings.scheduledAt, from)))
      .orderBy(asc(hearings.scheduledAt));
    return rows.map((r) => ({ ...toHearing(r), case: toSummary(r.kase) }));
  }

  async detail(caseId: string): Promise<CaseDetail | undefined> {
    const { cases, caseStaff, users, caseParticipants, hearings, halls, caseStatusChanges } = this.tables;
    const [row] = await this.db.select().from(cases).where(eq(cases.id, caseId));
    if (!row) return undefined;
    const staff = await this.db
      .select({ userId: caseStaff.userId, role: caseStaff.role, fullName: users.fullName })
      .from(caseStaff)
      .innerJoin(users, eq(users.id, caseStaff.userId))
      .where(eq(caseStaff.caseId, caseId));
    const participants = await this.db
      .select({ id: caseParticipants.id, role: caseParticipants.role, fullName: caseParticipants.fullName })
      .from(caseParticipants)
      .where(eq(caseParticipants.caseId, caseId))
      .orderBy(asc(caseParticipants.createdAt));
    const hearingRows = await this.db
      .select({ hearing: hearings, hall: halls, judge: { id: users.id, fullName: users.fullName } })
      .from(hearings)
      .innerJoin(halls, eq(halls.id, hearings.hallId))
      .innerJoin(users, eq(users.id, hearings.presidingJudgeId))
      .where(eq(hearings.caseId, caseId))
      .orderBy(asc(hearings.scheduledAt));
    const changes = await this.db.select().from(caseStatusChanges).where(eq(caseStatusChanges.caseId, caseId)).orderBy(asc(caseStatusChanges.id));
    const statusHistory = changes.map((c): CaseStatusEntry => ({
      at: c.at.toISOString(),
      from: c.fromStatus,
      to: c.toStatus,
      kind: changeKind(c.fromStatus, c.toStatus),
      reason: c.reason,
      hearingId: c.hearingId,
      by: { userId: c.actorUserId, fullName: c.actorName },
    }));
    // The reason of the suspension in force: that of the change that suspended the case.
    const suspendedBy = row.status === 'suspended' ? statusHistory.findLast((c) => c.to === 'suspended') : undefined;
    return {
      ...toSummary(row),
      qualification: row.qualification,
      staff,
      participants,
      hearings: hearingRows.map(toHearing),
      suspension: row.status === 'suspended' ? { at: (row.suspendedAt ?? row.receivedAt).toISOString(), reason: suspendedBy?.reason ?? null } : null,
      closedAt: row.closedAt?.toISOString() ?? null,
      statusHistory,
    };
  }
}

function toSummary(row: Tables['cases']['$inferSelect']): CaseSummary {
  return {
    id: row.id,
    caseNumber: row.caseNumber,
    erdrNumber: row.erdrNumber,
    summary: { kk: row.summaryKk, ru: row.summaryRu, en: row.summaryEn },
    category: row.category,
    language: row.language,
    status: row.status,
    receivedAt: row.receivedAt.toISOString(),
  };
}

function toHearing(r: { hearing: Tables['hearings']['$inferSelect']; hall: Tables['halls']['$inferSelect']; judge: { id: string; fullName: string } }): HearingSummary {
  return {
    id: r.hearing.id,
    caseId: r.hearing.caseId,
    scheduledAt: r.hearing.scheduledAt.toISOString(),
    status: r.hearing.status,
    stage: r.hearing.stage,
    closed: r.hearing.closed,
    hall: { id: r.hall.id, name: { kk: r.hall.nameKk, ru: r.hall.nameRu, en: r.hall.nameEn } },
    presidingJudge: r.judge,
  };
}

/**
 * What scheduling reads and writes: the facts the rules need (the case's court, halls, staff,
 * participants, bookings that could collide) and the hearing, its summonses and its schedule log.
 * The service calls these inside one transaction.
 */
import crypto from 'node:crypto';
import { and, eq, gt, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm';
import { caseParticipants, cases, caseStaff, courts, halls, hearings, hearingScheduleLog, summons, userRoles, users, type ScheduleAction, type StaffRole } from '../../../db/schema.ts';
import type { Db } from '../../../db/client.ts';
import { BOOKING_STATUSES, MAX_DURATION_MINUTES, overlaps, slotOf, type Conflicts, type Slot, type StaffFacts } from './scheduling.rules.ts';
import type { HallRecord, ParticipantContact, PersonRef } from '../shared/api/scheduling.ts';

export type CaseFacts = {
  id: string;
  courtId: string;
  caseNumber: string;
  language: 'kk' | 'ru';
  status: string;
  court: { kk: string; ru: string; timeZone: string };
};

export type HearingRecord = typeof hearings.$inferSelect;
export type HearingValues = Pick<HearingRecord, 'hallId' | 'scheduledAt' | 'durationMinutes' | 'presidingJudgeId' | 'secretaryId' | 'closed'>;

export class SchedulingRepository {
  #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  caseFacts(caseId: string): CaseFacts | undefined {
    const row = this.#db.select({ kase: cases, court: courts }).from(cases).innerJoin(courts, eq(courts.id, cases.courtId)).where(eq(cases.id, caseId)).get();
    if (!row) return undefined;
    const { kase, court } = row;
    return {
      id: kase.id,
      courtId: kase.courtId,
      caseNumber: kase.caseNumber,
      language: kase.language,
      status: kase.status,
      court: { kk: court.nameKk, ru: court.nameRu, timeZone: court.timezone },
    };
  }

  hall(id: string): HallRecord | undefined {
    const row = this.#db.select().from(halls).where(eq(halls.id, id)).get();
    return row && toHall(row);
  }

  hallsOfCourt(courtId: string): HallRecord[] {
    return this.#db.select().from(halls).where(eq(halls.courtId, courtId)).orderBy(halls.code).all().map(toHall);
  }

  staffFacts(userId: string): (StaffFacts & { fullName: string }) | undefined {
    const row = this.#db.select().from(users).where(eq(users.id, userId)).get();
    if (!row) return undefined;
    const roles = this.#db.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, userId)).all();
    return { id: row.id, fullName: row.fullName, courtId: row.courtId, active: row.active, roles: roles.map((r) => r.role) };
  }

  /** The active users of a court holding `role`, by name. */
  staffOfCourt(courtId: string, role: StaffRole): PersonRef[] {
    return this.#db
      .select({ id: users.id, fullName: users.fullName })
      .from(users)
      .innerJoin(userRoles, and(eq(userRoles.userId, users.id), eq(userRoles.role, role)))
      .where(and(eq(users.courtId, courtId), eq(users.active, true)))
      .orderBy(users.fullName)
      .all();
  }

  /** The judges and secretaries assigned to the case, earliest assigned first. */
  caseStaff(caseId: string): { userId: string; role: 'judge' | 'secretary' }[] {
    return this.#db.select({ userId: caseStaff.userId, role: caseStaff.role }).from(caseStaff).where(eq(caseStaff.caseId, caseId)).orderBy(caseStaff.assignedAt).all();
  }

  participants(caseId: string): ParticipantContact[] {
    return (
      this.#db
        .select({
          id: caseParticipants.id,
          role: caseParticipants.role,
          fullName: caseParticipants.fullName,
          ownEmail: caseParticipants.email,
          ownPhone: caseParticipants.phone,
          language: caseParticipants.language,
          accountEmail: users.email,
          accountPhone: users.phone,
          accountLocale: users.locale,
        })
        .from(caseParticipants)
        .leftJoin(users, eq(users.id, caseParticipants.userId))
        .where(eq(caseParticipants.caseId, caseId))
        // The case file's order; rowid breaks ties of those recorded together.
        .orderBy(caseParticipants.createdAt, sql`case_participants.rowid`)
        .all()
        .map((p) => ({
          id: p.id,
          role: p.role,
          fullName: p.fullName,
          email: p.ownEmail ?? p.accountEmail,
          phone: p.ownPhone ?? p.accountPhone,
          language: p.language,
          accountLocale: p.accountLocale,
        }))
    );
  }

  hearing(id: string): HearingRecord | undefined {
    return this.#db.select().from(hearings).where(eq(hearings.id, id)).get();
  }

  /** Bookings of the hall, the judge or the secretary that overlap `slot` (the first found of each). */
  conflicts(slot: Slot, who: { hallId: string; judgeId: string; secretaryId: string }, excludeHearingId: string | null): Conflicts {
    const rows = this.#db
      .select()
      .from(hearings)
      .where(
        and(
          inArray(hearings.status, [...BOOKING_STATUSES]),
          excludeHearingId ? ne(hearings.id, excludeHearingId) : undefined,
          // Only hearings starting within the longest booking before the slot can reach into it.
          lt(hearings.scheduledAt, slot.end),
          gt(hearings.scheduledAt, new Date(slot.start.getTime() - MAX_DURATION_MINUTES * 60_000)),
          or(eq(hearings.hallId, who.hallId), eq(hearings.presidingJudgeId, who.judgeId), eq(hearings.secretaryId, who.secretaryId)),
        ),
      )
      .orderBy(hearings.scheduledAt)
      .all();
    const conflicts: Conflicts = {};
    for (const row of rows) {
      const booked = slotOf(row.scheduledAt, row.durationMinutes);
      if (!overlaps(slot, booked)) continue;
      if (row.hallId === who.hallId) conflicts.hall ??= booked;
      if (row.presidingJudgeId === who.judgeId) conflicts.judge ??= booked;
      if (row.secretaryId === who.secretaryId) conflicts.secretary ??= booked;
    }
    return conflicts;
  }

  insertHearing(caseId: string, values: HearingValues, now: Date): string {
    const id = crypto.randomUUID();
    this.#db
      .insert(hearings)
      .values({ id, caseId, ...values, status: 'scheduled', createdAt: now })
      .run();
    return id;
  }

  updateHearing(id: string, values: HearingValues): void {
    this.#db.update(hearings).set(values).where(eq(hearings.id, id)).run();
  }

  cancelHearing(id: string): void {
    this.#db.update(hearings).set({ status: 'cancelled' }).where(eq(hearings.id, id)).run();
  }

  /** Makes the presiding judge and the secretary case staff (they need the case file), if not yet. */
  assignToCase(caseId: string, userId: string, role: 'judge' | 'secretary', now: Date): boolean {
    const result = this.#db.insert(caseStaff).values({ caseId, userId, role, assignedAt: now }).onConflictDoNothing().run();
    return result.changes > 0;
  }

  /** The summonses in force: participant id → summons id. */
  activeSummons(hearingId: string): Map<string, string> {
    const rows = this.#db
      .select({ id: summons.id, participantId: summons.participantId })
      .from(summons)
      .where(and(eq(summons.hearingId, hearingId), isNull(summons.withdrawnAt)))
      .all();
    return new Map(rows.map((r) => [r.participantId, r.id]));
  }

  /** Summons a participant (again, if a summons was withdrawn earlier); returns the summons id. */
  summon(hearingId: string, participantId: string, now: Date): string {
    const earlier = this.#db
      .select({ id: summons.id })
      .from(summons)
      .where(and(eq(summons.hearingId, hearingId), eq(summons.participantId, participantId)))
      .get();
    if (earlier) {
      this.#db.update(summons).set({ summonedAt: now, withdrawnAt: null }).where(eq(summons.id, earlier.id)).run();
      return earlier.id;
    }
    const id = crypto.randomUUID();
    this.#db.insert(summons).values({ id, hearingId, participantId, summonedAt: now }).run();
    return id;
  }

  withdraw(summonsId: string, now: Date): void {
    this.#db.update(summons).set({ withdrawnAt: now }).where(eq(summons.id, summonsId)).run();
  }

  log(entry: { hearingId: string; userId: string; action: ScheduleAction; at: Date; reason?: string | null; changes?: Record<string, { from: unknown; to: unknown }> | null }): void {
    this.#db.insert(hearingScheduleLog).values(entry).run();
  }
}

function toHall(row: typeof halls.$inferSelect): HallRecord {
  return {
    id: row.id,
    courtId: row.courtId,
    code: row.code,
    name: { kk: row.nameKk, ru: row.nameRu, en: row.nameEn },
    address: { kk: row.addressKk, ru: row.addressRu },
  };
}

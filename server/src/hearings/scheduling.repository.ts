/**
 * What scheduling reads and writes: the facts the rules need (the case's court, halls, staff,
 * participants, bookings that could collide) and the hearing, its summonses and its schedule log.
 * The service calls these inside one transaction. On either dialect (db/database.ts).
 */
import crypto from 'node:crypto';
import { and, asc, eq, gt, inArray, isNull, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Database, Tables } from '../../../db/database.ts';
import { Repository } from '../../../db/repository.ts';
import type { ScheduleAction, StaffRole } from '../../../db/schema.ts';
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

export type HearingRecord = Tables['hearings']['$inferSelect'];
export type HearingValues = Pick<HearingRecord, 'hallId' | 'scheduledAt' | 'durationMinutes' | 'presidingJudgeId' | 'secretaryId' | 'closed'>;

export class SchedulingRepository extends Repository {
  async caseFacts(caseId: string): Promise<CaseFacts | undefined> {
    const { cases, courts } = this.tables;
    const [row] = await this.db.select({ kase: cases, court: courts }).from(cases).innerJoin(courts, eq(courts.id, cases.courtId)).where(eq(cases.id, caseId));
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

  async hall(id: string): Promise<HallRecord | undefined> {
    const { halls } = this.tables;
    const [row] = await this.db.select().from(halls).where(eq(halls.id, id));
    return row && toHall(row);
  }

  async hallsOfCourt(courtId: string): Promise<HallRecord[]> {
    const { halls } = this.tables;
    const rows = await this.db.select().from(halls).where(eq(halls.courtId, courtId)).orderBy(asc(halls.code));
    return rows.map(toHall);
  }

  async staffFacts(userId: string): Promise<(StaffFacts & { fullName: string }) | undefined> {
    const { users, userRoles } = this.tables;
    const [row] = await this.db.select().from(users).where(eq(users.id, userId));
    if (!row) return undefined;
    const roles = await this.db.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, userId)).orderBy(asc(userRoles.role));
    return { id: row.id, fullName: row.fullName, courtId: row.courtId, active: row.active, roles: roles.map((r) => r.role) };
  }

  /** The active users of a court holding `role`, by name. */
  async staffOfCourt(courtId: string, role: StaffRole): Promise<PersonRef[]> {
    const { users, userRoles } = this.tables;
    return this.db
      .select({ id: users.id, fullName: users.fullName })
      .from(users)
      .innerJoin(userRoles, and(eq(userRoles.userId, users.id), eq(userRoles.role, role)))
      .where(and(eq(users.courtId, courtId), eq(users.active, true)))
      .orderBy(asc(users.fullName), asc(users.id));
  }

  /** The judges and secretaries assigned to the case, earliest assigned first. */
  async caseStaff(caseId: string): Promise<{ userId: string; role: 'judge' | 'secretary' }[]> {
    const { caseStaff } = this.tables;
    return this.db.select({ userId: caseStaff.userId, role: caseStaff.role }).from(caseStaff).where(eq(caseStaff.caseId, caseId)).orderBy(asc(caseStaff.assignedAt), asc(caseStaff.userId));
  }

  async participants(caseId: string): Promise<ParticipantContact[]> {
    const { caseParticipants, users } = this.tables;
    const rows = await this.db
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
      .orderBy(...participantOrder(this.database));
    return rows.map((p) => ({
      id: p.id,
      role: p.role,
      fullName: p.fullName,
      email: p.ownEmail ?? p.accountEmail,
      phone: p.ownPhone ?? p.accountPhone,
      language: p.language,
      accountLocale: p.accountLocale,
    }));
  }

  async hearing(id: string): Promise<HearingRecord | undefined> {
    const { hearings } = this.tables;
    const [row] = await this.db.select().from(hearings).where(eq(hearings.id, id));
    return row;
  }

  /** Bookings of the hall, the judge or the secretary that overlap `slot` (the first found of each). */
  async conflicts(slot: Slot, who: { hallId: string; judgeId: string; secretaryId: string }, excludeHearingId: string | null): Promise<Conflicts> {
    const { hearings } = this.tables;
    const rows = await this.db
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
      .orderBy(asc(hearings.scheduledAt), asc(hearings.id));
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

  // The writes below run in the service's transaction (SchedulingService).

  /**
   * Inside a transaction: holds until the commit the right to book the court's halls and staff,
   * so two nodes cannot both find a slot free and both take it (PostgreSQL: a transaction-scoped
   * advisory lock per court; SQLite's one writer already excludes the others).
   */
  async lockSchedule(courtId: string): Promise<void> {
    if (this.database.dialect === 'postgres') await this.database.rows(sql`select pg_advisory_xact_lock(1700946541, hashtext(${courtId}))`);
  }

  /** Inside a transaction: the hearing, its row held until the commit (against a hearing command opening it meanwhile). */
  async hearingForUpdate(id: string): Promise<HearingRecord | undefined> {
    if (!(await this.database.lockHearing(id))) return undefined;
    return this.hearing(id);
  }

  async insertHearing(caseId: string, values: HearingValues, now: Date): Promise<string> {
    const { hearings } = this.tables;
    const id = crypto.randomUUID();
    await this.db.insert(hearings).values({ id, caseId, ...values, status: 'scheduled', createdAt: now });
    return id;
  }

  async updateHearing(id: string, values: HearingValues): Promise<void> {
    const { hearings } = this.tables;
    await this.db.update(hearings).set(values).where(eq(hearings.id, id));
  }

  async cancelHearing(id: string): Promise<void> {
    const { hearings } = this.tables;
    await this.db.update(hearings).set({ status: 'cancelled' }).where(eq(hearings.id, id));
  }

  /** Makes the presiding judge and the secretary case staff (they need the case file), if not yet. */
  async assignToCase(caseId: string, userId: string, role: 'judge' | 'secretary', now: Date): Promise<boolean> {
    const { caseStaff } = this.tables;
    const added = await this.db.insert(caseStaff).values({ caseId, userId, role, assignedAt: now }).onConflictDoNothing().returning({ userId: caseStaff.userId });
    return added.length > 0;
  }

  /** The summonses in force: participant id → summons id. */
  async activeSummons(hearingId: string): Promise<Map<string, string>> {
    const { summons } = this.tables;
    const rows = await this.db
      .select({ id: summons.id, participantId: summons.participantId })
      .from(summons)
      .where(and(eq(summons.hearingId, hearingId), isNull(summons.withdrawnAt)));
    return new Map(rows.map((r) => [r.participantId, r.id]));
  }

  /** Summons a participant (again, if a summons was withdrawn earlier); returns the summons id. */
  async summon(hearingId: string, participantId: string, now: Date): Promise<string> {
    const { summons } = this.tables;
    const [earlier] = await this.db
      .select({ id: summons.id })
      .from(summons)
      .where(and(eq(summons.hearingId, hearingId), eq(summons.participantId, participantId)));
    if (earlier) {
      await this.db.update(summons).set({ summonedAt: now, withdrawnAt: null }).where(eq(summons.id, earlier.id));
      return earlier.id;
    }
    const id = crypto.randomUUID();
    await this.db.insert(summons).values({ id, hearingId, participantId, summonedAt: now });
    return id;
  }

  async withdraw(summonsId: string, now: Date): Promise<void> {
    const { summons } = this.tables;
    await this.db.update(summons).set({ withdrawnAt: now }).where(eq(summons.id, summonsId));
  }

  async log(entry: { hearingId: string; userId: string; action: ScheduleAction; at: Date; reason?: string | null; changes?: Record<string, { from: unknown; to: unknown }> | null }): Promise<void> {
    const { hearingScheduleLog } = this.tables;
    await this.db.insert(hearingScheduleLog).values(entry);
  }
}

/**
 * The case file's order of participants: by when they were recorded; ties (those recorded
 * together) in the order they were written — SQLite's rowid; PostgreSQL keeps no such order, so
 * there by id, as the hearing's list orders them (hearings.repository.ts).
 */
export function participantOrder(database: Database): SQL[] {
  const { caseParticipants } = database.tables;
  return [asc(caseParticipants.createdAt), database.dialect === 'sqlite' ? sql`${caseParticipants}.rowid` : asc(caseParticipants.id)];
}

function toHall(row: Tables['halls']['$inferSelect']): HallRecord {
  return {
    id: row.id,
    courtId: row.courtId,
    code: row.code,
    name: { kk: row.nameKk, ru: row.nameRu, en: row.nameEn },
    address: { kk: row.addressKk, ru: row.addressRu },
  };
}

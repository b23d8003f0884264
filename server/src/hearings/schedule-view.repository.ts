/**
 * The hearings of a case as the case page lists them: time, hall, judge, secretary, who is
 * summoned, and the schedule's history. Contacts and notices are added by the service for those
 * who schedule (they are personal data, and the parties do not need them).
 */
import { asc, eq, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { caseParticipants, halls, hearings, hearingScheduleLog, summons, users } from '../../../db/schema.ts';
import type { Db } from '../../../db/client.ts';
import type { SummonsView, ScheduleEntry, ScheduledHearing } from '../shared/api/scheduling.ts';

export class ScheduleViewRepository {
  #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** The case's hearings, earliest first; or just the one hearing when `hearingId` is given. */
  list(filter: { caseId: string } | { hearingId: string }): ScheduledHearing[] {
    const secretary = alias(users, 'secretary');
    const rows = this.#db
      .select({ hearing: hearings, hall: halls, judge: { id: users.id, fullName: users.fullName }, secretary: { id: secretary.id, fullName: secretary.fullName } })
      .from(hearings)
      .innerJoin(halls, eq(halls.id, hearings.hallId))
      .innerJoin(users, eq(users.id, hearings.presidingJudgeId))
      .leftJoin(secretary, eq(secretary.id, hearings.secretaryId))
      .where('caseId' in filter ? eq(hearings.caseId, filter.caseId) : eq(hearings.id, filter.hearingId))
      .orderBy(asc(hearings.scheduledAt))
      .all();
    const ids = rows.map((r) => r.hearing.id);
    const summonsByHearing = this.#summons(ids);
    const historyByHearing = this.#history(ids);
    return rows.map(({ hearing: h, hall, judge, secretary: s }) => ({
      id: h.id,
      caseId: h.caseId,
      scheduledAt: h.scheduledAt.toISOString(),
      endsAt: new Date(h.scheduledAt.getTime() + h.durationMinutes * 60_000).toISOString(),
      durationMinutes: h.durationMinutes,
      status: h.status,
      stage: h.stage,
      closed: h.closed,
      hall: { id: hall.id, name: { kk: hall.nameKk, ru: hall.nameRu, en: hall.nameEn }, address: { kk: hall.addressKk, ru: hall.addressRu } },
      presidingJudge: judge,
      secretary: s?.id ? { id: s.id, fullName: s.fullName } : null,
      summons: summonsByHearing.get(h.id) ?? [],
      history: historyByHearing.get(h.id) ?? [],
    }));
  }

  #summons(hearingIds: string[]): Map<string, SummonsView[]> {
    const byHearing = new Map<string, SummonsView[]>();
    if (hearingIds.length === 0) return byHearing;
    const rows = this.#db
      .select({ summons, participant: { role: caseParticipants.role, fullName: caseParticipants.fullName } })
      .from(summons)
      .innerJoin(caseParticipants, eq(caseParticipants.id, summons.participantId))
      .where(inArray(summons.hearingId, hearingIds))
      // The case file's order of participants; rowid breaks ties of those recorded together.
      .orderBy(asc(caseParticipants.createdAt), sql`case_participants.rowid`)
      .all();
    for (const { summons: s, participant } of rows) {
      const list = byHearing.get(s.hearingId) ?? [];
      list.push({
        id: s.id,
        participantId: s.participantId,
        role: participant.role,
        fullName: participant.fullName,
        summonedAt: s.summonedAt.toISOString(),
        withdrawnAt: s.withdrawnAt?.toISOString() ?? null,
      });
      byHearing.set(s.hearingId, list);
    }
    return byHearing;
  }

  #history(hearingIds: string[]): Map<string, ScheduleEntry[]> {
    const byHearing = new Map<string, ScheduleEntry[]>();
    if (hearingIds.length === 0) return byHearing;
    const rows = this.#db
      .select({ entry: hearingScheduleLog, by: users.fullName })
      .from(hearingScheduleLog)
      .innerJoin(users, eq(users.id, hearingScheduleLog.userId))
      .where(inArray(hearingScheduleLog.hearingId, hearingIds))
      .orderBy(asc(hearingScheduleLog.id))
      .all();
    for (const { entry, by } of rows) {
      const list = byHearing.get(entry.hearingId) ?? [];
      list.push({ action: entry.action, at: entry.at.toISOString(), by, reason: entry.reason, changes: entry.changes });
      byHearing.set(entry.hearingId, list);
    }
    return byHearing;
  }
}

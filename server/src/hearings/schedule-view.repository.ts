/**
 * The hearings of a case as the case page lists them: time, hall, judge, secretary, who is
 * summoned, and the schedule's history. Contacts and notices are added by the service for those
 * who schedule (they are personal data, and the parties do not need them). On either dialect
 * (db/database.ts).
 */
import { asc, eq, inArray } from 'drizzle-orm';
import { alias as pgAlias, type PgTable } from 'drizzle-orm/pg-core';
import { alias as sqliteAlias } from 'drizzle-orm/sqlite-core';
import type { Tables } from '../../../db/database.ts';
import { Repository } from '../../../db/repository.ts';
import { participantOrder } from './scheduling.repository.ts';
import type { SummonsView, ScheduleEntry, ScheduledHearing } from '../shared/api/scheduling.ts';

type SecretaryAlias = ReturnType<typeof sqliteAlias<Tables['users'], 'secretary'>>;

export class ScheduleViewRepository extends Repository {
  /** The users table once more, as `secretary` (an alias is made with its dialect's own function). */
  #secretaryAlias(): SecretaryAlias {
    const { users } = this.tables;
    return this.database.dialect === 'sqlite' ? sqliteAlias(users, 'secretary') : (pgAlias(users as unknown as PgTable, 'secretary') as unknown as SecretaryAlias);
  }

  /** The case's hearings, earliest first; or just the one hearing when `hearingId` is given. */
  async list(filter: { caseId: string } | { hearingId: string }): Promise<ScheduledHearing[]> {
    const { hearings, halls, users } = this.tables;
    const secretary = this.#secretaryAlias();
    const rows = await this.db
      .select({ hearing: hearings, hall: halls, judge: { id: users.id, fullName: users.fullName }, secretary: { id: secretary.id, fullName: secretary.fullName } })
      .from(hearings)
      .innerJoin(halls, eq(halls.id, hearings.hallId))
      .innerJoin(users, eq(users.id, hearings.presidingJudgeId))
      .leftJoin(secretary, eq(secretary.id, hearings.secretaryId))
      .where('caseId' in filter ? eq(hearings.caseId, filter.caseId) : eq(hearings.id, filter.hearingId))
      .orderBy(asc(hearings.scheduledAt), asc(hearings.id));
    const ids = rows.map((r) => r.hearing.id);
    const summonsByHearing = await this.#summons(ids);
    const historyByHearing = await this.#history(ids);
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

  async #summons(hearingIds: string[]): Promise<Map<string, SummonsView[]>> {
    const { summons, caseParticipants } = this.tables;
    const byHearing = new Map<string, SummonsView[]>();
    if (hearingIds.length === 0) return byHearing;
    const rows = await this.db
      .select({ summons, participant: { role: caseParticipants.role, fullName: caseParticipants.fullName } })
      .from(summons)
      .innerJoin(caseParticipants, eq(caseParticipants.id, summons.participantId))
      .where(inArray(summons.hearingId, hearingIds))
      // The case file's order of participants (scheduling.repository.ts).
      .orderBy(...participantOrder(this.database));
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

  async #history(hearingIds: string[]): Promise<Map<string, ScheduleEntry[]>> {
    const { hearingScheduleLog, users } = this.tables;
    const byHearing = new Map<string, ScheduleEntry[]>();
    if (hearingIds.length === 0) return byHearing;
    const rows = await this.db
      .select({ entry: hearingScheduleLog, by: users.fullName })
      .from(hearingScheduleLog)
      .innerJoin(users, eq(users.id, hearingScheduleLog.userId))
      .where(inArray(hearingScheduleLog.hearingId, hearingIds))
      .orderBy(asc(hearingScheduleLog.id));
    for (const { entry, by } of rows) {
      const list = byHearing.get(entry.hearingId) ?? [];
      list.push({ action: entry.action, at: entry.at.toISOString(), by, reason: entry.reason, changes: entry.changes });
      byHearing.set(entry.hearingId, list);
    }
    return byHearing;
  }
}

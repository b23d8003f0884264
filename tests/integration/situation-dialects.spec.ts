/**
 * The situation centre's figures on both dialects (issue 20): the same court — cases received
 * around a court-local midnight, open, suspended (counted, their limits standing still), resumed
 * after a suspension (its limits that much longer), closed, in custody, with hearings finished,
 * running and scheduled — written through db/database.ts into SQLite and PostgreSQL gives the same
 * dashboard and the same cases behind every figure, in the same order; the figures hand-counted.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Database } from '../../db/database.ts';
import type { SessionUser } from '../../server/src/auth/auth.service.ts';
import { DEFAULT_DEADLINE_RULES } from '../../server/src/situation/deadline-rules.ts';
import { SituationRepository } from '../../server/src/situation/situation.repository.ts';
import { SituationService } from '../../server/src/situation/situation.service.ts';
import { FIGURES } from '../../server/src/shared/api/situation.ts';
import { onBothDialects, seedCase, seedCourt, seedUser, T0, type SeedCase } from '../helpers/both-dialects.ts';

/** The moment asked about: Wednesday 1 April 2026, 09:00 in Almaty (UTC+5). */
const AT = '2026-04-01T04:00:00.000Z';
const at = (iso: string) => new Date(iso);

async function seed(database: Database): Promise<void> {
  const { tables } = database;
  await database.transaction(async () => {
    await seedCourt(database, { id: 'court-t', code: 'T', timezone: 'Asia/Almaty' });
    await seedCourt(database, { id: 'court-u', code: 'U', timezone: 'Asia/Almaty' });
    await database.db.insert(tables.halls).values({ id: 'hall-t', courtId: 'court-t', code: '1', nameKk: 'зал', nameRu: 'зал', nameEn: 'hall' });
    await seedUser(database, { id: 'judge-x', fullName: 'Судья Икс', courtId: 'court-t' });
    await seedUser(database, { id: 'judge-y', fullName: 'Судья Игрек', courtId: 'court-t' });
    const cases: SeedCase[] = [
      // Received around midnight of 1 April, local: 19:00Z is 00:00.
      { id: 'A', courtId: 'court-t', receivedAt: at('2026-03-31T19:00:00Z'), judgeId: 'judge-x' },
      { id: 'B', courtId: 'court-t', receivedAt: at('2026-03-31T18:59:59Z'), category: 'misdemeanor' },
      { id: 'H', courtId: 'court-t', receivedAt: at('2026-04-01T05:00:00Z') }, // after the moment asked about
      // Limits: first hearing 20 days (P's last day 31 March: breached; Q's 1 April: due soon).
      { id: 'P', courtId: 'court-t', receivedAt: at('2026-03-11T18:59:00Z'), judgeId: 'judge-x' },
      { id: 'Q', courtId: 'court-t', receivedAt: at('2026-03-11T19:00:00Z'), judgeId: 'judge-x' },
      { id: 'R', courtId: 'court-t', receivedAt: at('2026-03-11T18:59:00Z'), judgeId: 'judge-y', status: 'in_trial' },
      { id: 'S', courtId: 'court-t', receivedAt: at('2026-01-10T05:00:00Z'), judgeId: 'judge-y', status: 'in_trial' },
      // Suspended: counted as suspended, not as open; their limits are not computed.
      { id: 'U', courtId: 'court-t', receivedAt: at('2025-12-01T05:00:00Z'), judgeId: 'judge-y', status: 'suspended', suspendedAt: at('2026-03-01T05:00:00Z') },
      { id: 'V', courtId: 'court-t', receivedAt: at('2025-11-01T05:00:00Z'), judgeId: 'judge-x', status: 'suspended', suspendedAt: at('2026-02-01T05:00:00Z'), category: 'misdemeanor' },
      // Resumed after 28 days suspended: its 60-day trial limit runs to 6 April, not 9 March.
      { id: 'W', courtId: 'court-t', receivedAt: at('2026-01-08T05:00:00Z'), judgeId: 'judge-y', status: 'in_trial' },
      { id: 'Z', courtId: 'court-t', receivedAt: at('2026-03-20T05:00:00Z'), judgeId: 'judge-x', status: 'closed' },
      { id: 'O', courtId: 'court-u', receivedAt: at('2026-03-31T20:00:00Z') },
    ];
    for (const c of cases) await seedCase(database, c);
    for (const [caseId, inCustody] of [
      ['S', true],
      ['U', true],
      ['R', false],
    ] as const)
      await database.db.insert(tables.caseParticipants).values({ id: `${caseId}-defendant`, caseId, role: 'defendant', fullName: 'Подсудимый', inCustody, createdAt: T0 });
    const hearing = async (id: string, caseId: string, scheduledAt: string, status: 'finished' | 'in_progress' | 'scheduled' | 'cancelled', judge: string) =>
      database.db.insert(tables.hearings).values({ id, caseId, hallId: 'hall-t', scheduledAt: at(scheduledAt), presidingJudgeId: judge, status, createdAt: T0 });
    await hearing('r-1', 'R', '2026-03-25T05:00:00Z', 'finished', 'judge-y');
    await hearing('r-2', 'R', '2026-03-31T18:00:00Z', 'in_progress', 'judge-y');
    await hearing('s-1', 'S', '2026-02-20T05:00:00Z', 'finished', 'judge-y');
    await hearing('q-1', 'Q', '2026-04-01T04:00:00Z', 'scheduled', 'judge-x');
    await hearing('p-1', 'P', '2026-03-20T05:00:00Z', 'cancelled', 'judge-x');
    await hearing('w-1', 'W', '2026-01-20T05:00:00Z', 'finished', 'judge-y');
    await database.db.insert(tables.caseStatusChanges).values({
      caseId: 'W',
      at: at('2026-03-01T05:00:00Z'),
      fromStatus: 'suspended',
      toStatus: 'in_trial',
      since: at('2026-02-01T05:00:00Z'),
      actorName: 'Судья Игрек',
    });
  });
}

const admin: SessionUser = { id: 'admin', username: 'admin', fullName: 'admin', roles: ['admin'], locale: 'en', courtId: null, sessionId: 's' };

describe('the situation centre on SQLite and on PostgreSQL', () => {
  const dialects = onBothDialects({ seed, make: (database) => new SituationRepository(database) });
  let services: [SituationService, SituationService];

  before(() => {
    services = dialects.repositories.map((situation) => new SituationService({ situation, audit: undefined as never, rules: DEFAULT_DEADLINE_RULES })) as [SituationService, SituationService];
  });

  test('the same dashboard from both, with the hand-counted figures (a suspended case counted)', async () => {
    const [sqlite, postgres] = await Promise.all(services.map((service) => service.dashboard(admin, { courtId: 'court-t', at: AT }, null)));
    assert.deepEqual(postgres, sqlite);
    assert.deepEqual(sqlite.received, { day: 1, week: 2, month: 1 });
    assert.equal(sqlite.open, 7);
    assert.equal(sqlite.suspended.total, 2);
    assert.deepEqual(
      sqlite.suspended.longest.map((c) => [c.caseNumber, c.daysSuspended]),
      [
        ['№ V', 59],
        ['№ U', 31],
      ],
    );
    assert.deepEqual(sqlite.hearings, { today: { scheduled: 1 }, todayTotal: 1, running: 1 });
    const deadline = (rule: string) => sqlite.deadlines.find((d) => d.rule === rule)!;
    assert.deepEqual([deadline('first_hearing').open, deadline('first_hearing').breached, deadline('first_hearing').dueSoon], [7, 2, 1]);
    // S (received 10 January) is past 60 days; W, resumed, is due on 6 April: about to pass.
    assert.deepEqual([deadline('trial_length').breached, deadline('trial_length').dueSoon], [1, 1]);
    assert.deepEqual([deadline('custody').open, deadline('custody').breached], [1, 0]);
    const y = sqlite.byJudge.find((j) => j.judgeId === 'judge-y')!;
    assert.deepEqual([y.open, y.suspended], [3, 1]);
  });

  test('all courts, and a past moment, give the same figures from both', async () => {
    for (const input of [{ at: AT }, { courtId: 'court-t', at: '2026-03-31T18:59:59.999Z' }, { courtId: 'court-u', at: AT }]) {
      const [sqlite, postgres] = await Promise.all(services.map((service) => service.dashboard(admin, input, null)));
      assert.deepEqual(postgres, sqlite, JSON.stringify(input));
    }
    const [all] = await Promise.all(services.map((service) => service.dashboard(admin, { at: AT }, null)));
    assert.equal(all!.received.day, 2);
  });

  test('every figure lists the same cases in the same order, filtered the same way', async () => {
    const list = (service: SituationService, query: Parameters<SituationService['cases']>[1]) => service.cases(admin, query, null);
    for (const figure of FIGURES) {
      for (const filter of [{}, { judgeId: 'judge-x' }, { category: 'misdemeanor' as const }]) {
        const query = { courtId: 'court-t', at: AT, figure, limit: 100, offset: 0, ...filter };
        const [sqlite, postgres] = await Promise.all(services.map((service) => list(service, query)));
        assert.deepEqual(postgres, sqlite, JSON.stringify(query));
      }
    }
    const [suspended] = await Promise.all(services.map((service) => list(service, { courtId: 'court-t', at: AT, figure: 'suspended', limit: 100, offset: 0 })));
    assert.deepEqual(
      suspended!.cases.map((c) => c.caseNumber),
      ['№ V', '№ U'],
    );
    const [breached, breachedPg] = await Promise.all(services.map((service) => list(service, { courtId: 'court-t', at: AT, figure: 'breached', limit: 100, offset: 0 })));
    assert.deepEqual(
      breached!.cases.map((c) => `${c.caseNumber} ${c.deadline?.rule} ${c.deadline?.due}`),
      ['№ S first_hearing 2026-01-30', '№ S trial_length 2026-03-11', '№ P first_hearing 2026-03-31'],
    );
    assert.deepEqual(breachedPg, breached);
    const [page, pagePg] = await Promise.all(services.map((service) => list(service, { courtId: 'court-t', at: AT, figure: 'open', limit: 2, offset: 2 })));
    assert.equal(page!.cases.length, 2);
    assert.deepEqual(pagePg, page);
  });

  test('the CSV rows and the court of a case or hearing read the same', async () => {
    const [sqlite, postgres] = await Promise.all(services.map((service) => service.exportCases(admin, { courtId: 'court-t', at: AT, figure: 'open', limit: 100, offset: 0 }, null)));
    assert.deepEqual(postgres, sqlite);
    for (const database of dialects.both.all) {
      const repository = new SituationRepository(database);
      assert.equal(await repository.courtOfCase('O'), 'court-u');
      assert.equal(await repository.courtOfHearing('r-1'), 'court-t');
      assert.equal(await repository.courtOfHearing('none'), undefined);
      assert.deepEqual(await repository.courtName('court-t'), { kk: 'T соты', ru: 'Суд T', en: 'Court T' });
    }
  });
});

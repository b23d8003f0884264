/**
 * CasesRepository on both dialects (issue 20): who stands how to a case, which cases and hearings a
 * viewer sees, a case's page and what a hall's wall screen sees, asked of SQLite and of
 * PostgreSQL over the same seed, with the same answers.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Database } from '../../db/database.ts';
import { CasesRepository, type Viewer } from '../../server/src/cases/cases.repository.ts';
import { hoursAfterT0, onBothDialects, seedCase, seedCourt, seedUser, T0 } from '../helpers/both-dialects.ts';

const at = hoursAfterT0;

async function seed(database: Database): Promise<void> {
  const { tables } = database;
  await database.transaction(async () => {
    await seedCourt(database, { id: 'court-1', code: 'C1' });
    await seedCourt(database, { id: 'court-2', code: 'C2' });
    for (const [id, courtId] of [
      ['judge', 'court-1'],
      ['secretary', 'court-1'],
      ['office', 'court-1'],
      ['office-2', 'court-2'],
      ['lawyer', null],
      ['screen', 'court-1'],
    ] as const) {
      await seedUser(database, { id, fullName: `Name ${id}`, courtId });
    }
    await database.db.insert(tables.halls).values({ id: 'hall-1', courtId: 'court-1', code: 'H1', nameKk: 'Зал 1', nameRu: 'Зал 1', nameEn: 'Hall 1' });
    await database.db.insert(tables.hallDisplays).values({ userId: 'screen', hallId: 'hall-1' });
    await seedCase(database, { id: 'case-a', courtId: 'court-1', judgeId: 'judge', receivedAt: at(1) });
    await seedCase(database, { id: 'case-b', courtId: 'court-1', status: 'suspended', receivedAt: at(2), suspendedAt: at(3) });
    await seedCase(database, { id: 'case-c', courtId: 'court-2', receivedAt: at(3) });
    await database.db.insert(tables.caseStaff).values({ caseId: 'case-a', userId: 'secretary', role: 'secretary', assignedAt: T0 });
    await database.db.insert(tables.caseParticipants).values([
      { id: 'p-1', caseId: 'case-a', role: 'defender', fullName: 'Адвокат', userId: 'lawyer', createdAt: T0 },
      { id: 'p-2', caseId: 'case-a', role: 'defendant', fullName: 'Подсудимый', createdAt: at(1) },
      { id: 'p-3', caseId: 'case-b', role: 'defender', fullName: 'Адвокат', userId: 'lawyer', createdAt: T0 },
    ]);
    await database.db.insert(tables.hearings).values([
      { id: 'h-1', caseId: 'case-a', hallId: 'hall-1', scheduledAt: at(24), presidingJudgeId: 'judge', secretaryId: 'secretary', status: 'in_progress' },
      { id: 'h-2', caseId: 'case-a', hallId: 'hall-1', scheduledAt: at(-24), presidingJudgeId: 'judge' },
      { id: 'h-3', caseId: 'case-b', hallId: 'hall-1', scheduledAt: at(48), presidingJudgeId: 'judge' },
    ]);
    await database.db.insert(tables.hearingStates).values({ hearingId: 'h-1', state: { shown: { documentId: 'doc-7', page: 2 } }, updatedAt: T0 });
    await database.db.insert(tables.caseStatusChanges).values([
      { caseId: 'case-b', at: at(2), fromStatus: 'received', toStatus: 'in_trial', since: at(2), reason: null, hearingId: null, eventVersion: null, actorUserId: 'judge', actorName: 'Name judge' },
      { caseId: 'case-b', at: at(3), fromStatus: 'in_trial', toStatus: 'suspended', since: at(3), reason: 'болезнь', hearingId: 'h-3', eventVersion: 4, actorUserId: 'judge', actorName: 'Name judge' },
    ]);
  });
}

const viewers: Record<string, Viewer & { roles: string[] }> = {
  judge: { id: 'judge', courtId: 'court-1', courtWide: false, roles: ['judge'] },
  lawyer: { id: 'lawyer', courtId: null, courtWide: false, roles: ['lawyer'] },
  office: { id: 'office', courtId: 'court-1', courtWide: true, roles: ['office'] },
  office2: { id: 'office-2', courtId: 'court-2', courtWide: true, roles: ['office'] },
  screen: { id: 'screen', courtId: 'court-1', courtWide: false, roles: ['hall_display'] },
};

describe('cases on SQLite and on PostgreSQL', () => {
  const { same } = onBothDialects({ seed, make: (database) => new CasesRepository(database) });

  test('relations of each viewer to each case', async () => {
    assert.deepEqual(await same((c) => c.relations(viewers.judge!, 'case-a')), [{ kind: 'staff', role: 'judge' }]);
    assert.deepEqual(await same((c) => c.relations(viewers.lawyer!, 'case-a')), [{ kind: 'participant', role: 'defender', participantId: 'p-1' }]);
    assert.deepEqual(await same((c) => c.relations(viewers.office!, 'case-b')), [{ kind: 'court', role: 'office' }]);
    assert.deepEqual(await same((c) => c.relations(viewers.office2!, 'case-a')), []);
    assert.deepEqual(await same((c) => c.relations(viewers.screen!, 'case-a')), [{ kind: 'hall_display', hallId: 'hall-1' }]);
    assert.deepEqual(await same((c) => c.relations(viewers.screen!, 'case-b')), [], 'no hearing of case-b sits in its hall');
    assert.deepEqual(await same((c) => c.relations(viewers.judge!, 'no-such-case')), []);
  });

  test('exists and what the wall screen sees', async () => {
    assert.equal(await same((c) => c.exists('case-a')), true);
    assert.equal(await same((c) => c.exists('nope')), false);
    assert.deepEqual(await same((c) => c.screenSight('screen', 'case-a')), { hearingId: 'h-1', shownDocumentId: 'doc-7' });
    assert.equal(await same((c) => c.screenSight('screen', 'case-b')), null);
    assert.equal(await same((c) => c.screenSight('judge', 'case-a')), null);
  });

  test('the cases and the hearings a viewer sees', async () => {
    assert.deepEqual(
      (await same((c) => c.listVisible(viewers.office!))).map((c) => c.id),
      ['case-b', 'case-a'],
      'newest received first',
    );
    assert.deepEqual(
      (await same((c) => c.listVisible(viewers.lawyer!))).map((c) => c.id),
      ['case-b', 'case-a'],
    );
    assert.deepEqual(
      (await same((c) => c.listVisible(viewers.office2!))).map((c) => c.id),
      ['case-c'],
    );
    assert.deepEqual(await same((c) => c.listVisible(viewers.screen!)), []);
    assert.deepEqual(
      (await same((c) => c.hearingsVisible(viewers.judge!, T0))).map((h) => h.id),
      ['h-1'],
      'from T0 on: not the past one, not the case the judge does not sit in',
    );
    assert.deepEqual(
      (await same((c) => c.hearingsVisible(viewers.screen!, T0))).map((h) => h.id),
      ['h-1', 'h-3'],
      "the wall screen: its hall's hearings",
    );
    assert.deepEqual(
      (await same((c) => c.hearingsVisible(viewers.office!, at(-48)))).map((h) => [h.id, h.scheduledAt, h.case.id]),
      [
        ['h-2', at(-24).toISOString(), 'case-a'],
        ['h-1', at(24).toISOString(), 'case-a'],
        ['h-3', at(48).toISOString(), 'case-b'],
      ],
    );
  });

  test("a case's page", async () => {
    const a = await same((c) => c.detail('case-a'));
    assert.deepEqual(a?.staff.map((s) => [s.userId, s.role]).sort(), [
      ['judge', 'judge'],
      ['secretary', 'secretary'],
    ]);
    assert.deepEqual(
      a?.participants.map((p) => p.id),
      ['p-1', 'p-2'],
    );
    assert.deepEqual(
      a?.hearings.map((h) => h.id),
      ['h-2', 'h-1'],
    );
    const b = await same((c) => c.detail('case-b'));
    assert.deepEqual(b?.suspension, { at: at(3).toISOString(), reason: 'болезнь' });
    assert.deepEqual(
      b?.statusHistory.map((s) => [s.at, s.from, s.to, s.reason]),
      [
        [at(2).toISOString(), 'received', 'in_trial', null],
        [at(3).toISOString(), 'in_trial', 'suspended', 'болезнь'],
      ],
    );
    assert.equal(await same((c) => c.detail('nope')), undefined);
  });
});

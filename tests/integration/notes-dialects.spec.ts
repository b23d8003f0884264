/**
 * NotesRepository on both dialects (issue 20): notes written, listed in case-file order, read one
 * by one with their place in the file, changed and removed — the same on SQLite and on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Database } from '../../db/database.ts';
import { NotesRepository } from '../../server/src/notes/notes.repository.ts';
import { onBothDialects, seedCase, seedCourt, seedUser, seedVolume, T0 } from '../helpers/both-dialects.ts';

const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

async function seed(database: Database): Promise<void> {
  await database.transaction(async () => {
    await seedCourt(database, { id: 'court-1', code: 'C1' });
    await seedUser(database, { id: 'judge', fullName: 'Судья', courtId: 'court-1' });
    await seedUser(database, { id: 'other', fullName: 'Другой', courtId: 'court-1' });
    await seedCase(database, { id: 'case-a', courtId: 'court-1', judgeId: 'judge' });
    await seedVolume(database, 'case-a', 1, [
      { id: 'doc-1', sheets: 3 },
      { id: 'doc-2', sheets: 2 },
    ]);
    await seedVolume(database, 'case-a', 2, [{ id: 'doc-3', sheets: 4 }]);
  });
}

describe('notes on SQLite and on PostgreSQL', () => {
  const dialects = onBothDialects({ seed, make: (database) => new NotesRepository(database) });
  const { same } = dialects;

  test('written, listed in case-file order, read with their place, changed, removed', async () => {
    for (const notes of dialects.repositories) {
      await notes.insert({ id: 'n-3', caseId: 'case-a', userId: 'judge', documentId: 'doc-3', page: 1, region: null, text: 'третья', at: at(1) });
      await notes.insert({ id: 'n-2', caseId: 'case-a', userId: 'judge', documentId: 'doc-2', page: 2, region: { x: 0.1, y: 0.2, w: 0.3, h: 0.4 }, text: '', at: at(2) });
      await notes.insert({ id: 'n-1', caseId: 'case-a', userId: 'judge', documentId: 'doc-1', page: 3, region: null, text: 'первая', at: at(3) });
      await notes.insert({ id: 'n-0', caseId: 'case-a', userId: 'other', documentId: 'doc-1', page: 1, region: null, text: 'чужая', at: at(4) });
    }
    assert.deepEqual(
      (await same((n) => n.list('case-a', 'judge'))).map((n) => [n.id, n.volume, n.sheetFrom, n.page]),
      [
        ['n-1', 1, 1, 3],
        ['n-2', 1, 4, 2],
        ['n-3', 2, 1, 1],
      ],
    );
    assert.deepEqual(await same((n) => n.get('case-a', 'n-2')), {
      id: 'n-2',
      documentId: 'doc-2',
      page: 2,
      region: { x: 0.1, y: 0.2, w: 0.3, h: 0.4 },
      text: '',
      createdAt: at(2),
      updatedAt: at(2),
      volume: 1,
      sheetFrom: 4,
      userId: 'judge',
    });
    assert.equal(await same((n) => n.get('other-case', 'n-2')), undefined);
    assert.deepEqual(await same((n) => n.pagedDocument('case-a', 'doc-3')), { pages: 4 });
    assert.equal(await same((n) => n.pagedDocument('case-a', 'nope')), undefined);

    for (const notes of dialects.repositories) {
      await notes.update('n-2', { text: 'исправлено', region: null, at: at(10) });
      await notes.delete('n-3');
    }
    const changed = await same((n) => n.get('case-a', 'n-2'));
    assert.deepEqual([changed?.text, changed?.region, changed?.updatedAt], ['исправлено', null, at(10)]);
    assert.deepEqual(
      (await same((n) => n.list('case-a', 'judge'))).map((n) => n.id),
      ['n-1', 'n-2'],
    );
  });
});

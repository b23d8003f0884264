/**
 * UsersRepository on both dialects (issue 20): an account with its roles, by name and by id, its
 * court, and a change of its language, the same on SQLite and on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Database } from '../../db/database.ts';
import { UsersRepository } from '../../server/src/users/users.repository.ts';
import { onBothDialects, seedCourt, seedUser } from '../helpers/both-dialects.ts';

async function seed(database: Database): Promise<void> {
  await database.transaction(async () => {
    await seedCourt(database, { id: 'court-1', code: 'C1', timezone: 'Asia/Aqtobe' });
    await seedUser(database, { id: 'judge', fullName: 'Судья Первый', courtId: 'court-1' });
    await seedUser(database, { id: 'lawyer', fullName: 'Адвокат' });
    await database.db.insert(database.tables.userRoles).values([
      { userId: 'judge', role: 'judge' },
      { userId: 'judge', role: 'chair' },
      { userId: 'lawyer', role: 'defender' },
    ]);
  });
}

describe('users on SQLite and on PostgreSQL', () => {
  const dialects = onBothDialects({ seed, make: (database) => new UsersRepository(database) });
  const { same } = dialects;

  test('an account with its roles, by name and by id', async () => {
    const judge = await same((u) => u.findByUsername('judge'));
    assert.deepEqual(
      { ...judge, roles: [...judge!.roles].sort() },
      { id: 'judge', username: 'judge', passwordHash: 'x', fullName: 'Судья Первый', locale: 'ru', courtId: 'court-1', active: true, roles: ['chair', 'judge'] },
    );
    assert.deepEqual((await same((u) => u.findById('lawyer')))?.roles, ['defender']);
    assert.equal(await same((u) => u.findByUsername('nobody')), undefined);
  });

  test("the account's court, and its language changed", async () => {
    assert.deepEqual(await same((u) => u.court('court-1')), { id: 'court-1', code: 'C1', name: { kk: 'C1 соты', ru: 'Суд C1', en: 'Court C1' }, timezone: 'Asia/Aqtobe' });
    assert.equal(await same((u) => u.court('nope')), undefined);
    await Promise.all(dialects.repositories.map((u) => u.setLocale('lawyer', 'kk')));
    assert.equal((await same((u) => u.findById('lawyer')))?.locale, 'kk');
  });
});

/**
 * SessionsRepository on both dialects (issue 20): a session made, found by its token while live,
 * not once expired or deleted, and the expired ones swept — the same on SQLite and on PostgreSQL.
 * A session made inside a transaction that fails is not there.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SessionsRepository, sessionIdOf } from '../../server/src/auth/sessions.repository.ts';
import { openBothDialects, seedUser, type BothDialects } from '../helpers/both-dialects.ts';

describe('sessions on SQLite and on PostgreSQL', () => {
  let both: BothDialects;
  let repositories: [SessionsRepository, SessionsRepository];

  before(async () => {
    both = await openBothDialects();
    for (const database of both.all) await database.transaction(() => seedUser(database, { id: 'judge', fullName: 'Судья' }));
    repositories = [new SessionsRepository(both.sqlite), new SessionsRepository(both.postgres)];
  });
  after(async () => both?.close());

  test('made, found while live, gone when deleted or expired, swept', async () => {
    for (const sessions of repositories) {
      const live = await sessions.create({ userId: 'judge', ttlMs: 3600_000, ip: '10.0.0.1', userAgent: 'test' });
      assert.equal(live.id, sessionIdOf(live.token));
      assert.deepEqual(await sessions.findLive(live.token), { id: live.id, userId: 'judge', expiresAt: live.expiresAt });
      const expired = await sessions.create({ userId: 'judge', ttlMs: -1000, ip: null, userAgent: null });
      assert.equal(await sessions.findLive(expired.token), undefined);
      assert.equal(await sessions.findLive('not-a-token'), undefined);
      assert.equal(await sessions.deleteExpired(), 1);
      assert.equal(await sessions.deleteExpired(), 0);
      await sessions.delete(live.id);
      assert.equal(await sessions.findLive(live.token), undefined);
    }
  });

  test('a session made in a transaction that fails is not there', async () => {
    for (const [i, sessions] of repositories.entries()) {
      const database = both.all[i]!;
      let token = '';
      await assert.rejects(
        database.transaction(async () => {
          token = (await sessions.create({ userId: 'judge', ttlMs: 3600_000, ip: null, userAgent: null })).token;
          throw new Error('the audit entry could not be written');
        }),
        /could not be written/,
      );
      assert.equal(await sessions.findLive(token), undefined);
    }
  });
});

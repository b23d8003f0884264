/**
 * SessionsRepository on both dialects (issue 20): a session made, found by its token while live,
 * not once expired or deleted, and the expired ones swept — the same on SQLite and on PostgreSQL.
 * A session made inside a transaction that fails is not there.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SessionsRepository, sessionIdOf } from '../../server/src/auth/sessions.repository.ts';
import { onBothDialects, seedUser } from '../helpers/both-dialects.ts';

describe('sessions on SQLite and on PostgreSQL', () => {
  const dialects = onBothDialects({
    seed: (database) => database.transaction(() => seedUser(database, { id: 'judge', fullName: 'Судья' })),
    make: (database) => new SessionsRepository(database),
  });

  test('made, found while live, gone when deleted or expired, swept', async () => {
    for (const sessions of dialects.repositories) {
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
    for (const [i, sessions] of dialects.repositories.entries()) {
      const database = dialects.both.all[i]!;
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

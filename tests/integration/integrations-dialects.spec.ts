/**
 * IntegrationClients on both dialects (issue 20): a token issued, accepted, replaced, revoked and
 * listed, the same on SQLite and on PostgreSQL.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { IntegrationClients } from '../../server/src/integrations/integration-clients.ts';
import { onBothDialects } from '../helpers/both-dialects.ts';

describe('integration clients on SQLite and on PostgreSQL', () => {
  const dialects = onBothDialects({ make: (database) => new IntegrationClients(database) });

  test('issued, accepted, replaced, revoked, listed', async () => {
    const answers = [];
    for (const clients of dialects.repositories) {
      const first = await clients.create('erdr');
      assert.match(first, /^ezal_/);
      assert.equal((await clients.authenticate(first))?.name, 'erdr');
      const second = await clients.create('erdr');
      assert.equal(await clients.authenticate(first), undefined, 'the earlier token is replaced');
      assert.equal((await clients.authenticate(second))?.name, 'erdr');
      await clients.create('other.client');
      assert.equal(await clients.revoke('erdr'), true);
      assert.equal(await clients.revoke('erdr'), false, 'no live token any more');
      assert.equal(await clients.revoke('nobody'), false);
      assert.equal(await clients.authenticate(second), undefined);
      assert.equal(await clients.authenticate(undefined), undefined);
      await assert.rejects(clients.create('bad name!'), /client name/);
      const list = await clients.list();
      answers.push(list.map((c) => [c.name, c.createdAt instanceof Date, c.revokedAt instanceof Date]).sort());
    }
    assert.deepEqual(answers[1], answers[0]);
    assert.deepEqual(answers[0], [
      ['erdr', true, true],
      ['other.client', true, false],
    ]);
  });
});

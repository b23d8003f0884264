/**
 * The media room leases on both dialects (issue 21, item 4; docs/media.md, "Media failover"):
 * MediaRoomLeasesRepository gives the same answers on the SQLite file and on PostgreSQL — a node
 * takes a free lease, renews it, is refused while another node's lease runs (and told which node
 * holds it), takes it over once it has expired; a node whose lease was taken over can neither
 * renew nor release it; two nodes racing for one free lease never both get it.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MediaRoomLeasesRepository } from '../../server/src/media-rooms/media-room-leases.repository.ts';
import { onBothDialects, seedHearings, T0 } from '../helpers/both-dialects.ts';

const HEARINGS = ['h-rules', 'h-race', 'h-release'];
const A = { id: 'a', address: '10.0.0.1:3000' };
const B = { id: 'b', address: '10.0.0.2:3000' };
const TTL = 6000;
const at = (ms: number) => new Date(T0.getTime() + ms);

describe('media room leases on both dialects', () => {
  const setup = onBothDialects({ seed: (database) => seedHearings(database, HEARINGS), make: (database) => new MediaRoomLeasesRepository(database) });

  test('take, renew, refuse while live, take over when expired', async () => {
    const taken = await setup.same((leases) => leases.acquire('h-rules', A, TTL, at(0)));
    assert.deepEqual(taken, { held: true, lease: { hearingId: 'h-rules', nodeId: 'a', nodeAddress: A.address, acquiredAt: at(0), expiresAt: at(TTL) } });

    // a renews at 2 s and 4 s: its lease now runs to 10 s.
    assert.equal(await setup.same((leases) => leases.renew('h-rules', 'a', TTL, at(2000))), true);
    assert.equal(await setup.same((leases) => leases.renew('h-rules', 'a', TTL, at(4000))), true);

    // b is refused while a's lease runs (9.999 s), and told a holds it until 10 s.
    const refused = await setup.same((leases) => leases.acquire('h-rules', B, TTL, at(9999)));
    assert.equal(refused.held, false);
    assert.equal(refused.lease.nodeId, 'a');
    assert.equal(refused.lease.nodeAddress, A.address);
    assert.deepEqual(refused.lease.expiresAt, at(10_000));
    assert.equal(await setup.same((leases) => leases.renew('h-rules', 'b', TTL, at(9999))), false, 'b cannot renew what it does not hold');

    // a taking it again (its own room made again after a lost worker) is allowed while it runs.
    assert.equal((await setup.same((leases) => leases.acquire('h-rules', A, TTL, at(5000)))).held, true);

    // a died at 5 s: its lease ran to 11 s; at 11 s b takes it over.
    const takenOver = await setup.same((leases) => leases.acquire('h-rules', B, TTL, at(11_000)));
    assert.deepEqual(takenOver, { held: true, lease: { hearingId: 'h-rules', nodeId: 'b', nodeAddress: B.address, acquiredAt: at(11_000), expiresAt: at(17_000) } });

    // a (back, or only cut off) can neither renew nor release b's lease; a asking again is refused.
    assert.equal(await setup.same((leases) => leases.renew('h-rules', 'a', TTL, at(12_000))), false);
    await setup.same((leases) => leases.release('h-rules', 'a'));
    const back = await setup.same((leases) => leases.acquire('h-rules', A, TTL, at(12_000)));
    assert.equal(back.held, false);
    assert.equal(back.lease.nodeId, 'b');
  });

  test('a release gives back only the hold it names', async () => {
    const first = await setup.same((leases) => leases.acquire('h-release', A, TTL, at(0)));
    assert.equal(first.held, true);
    // The room closed and a new one was made at once on the same node: the new hold stays.
    const second = await setup.same((leases) => leases.acquire('h-release', A, TTL, at(100)));
    await setup.same((leases) => leases.release('h-release', 'a', first.lease.acquiredAt));
    assert.deepEqual(await setup.same((leases) => leases.find('h-release')), second.lease);
    await setup.same((leases) => leases.release('h-release', 'a', second.lease.acquiredAt));
    assert.equal(await setup.same((leases) => leases.find('h-release')), undefined);
    // Released: b takes it at once, long before a's TTL would have run out.
    assert.equal((await setup.same((leases) => leases.acquire('h-release', B, TTL, at(200)))).held, true);
  });

  test('two nodes racing for a free lease: exactly one gets it', async () => {
    for (const [index, repository] of setup.repositories.entries()) {
      const outcomes = await Promise.all([repository.acquire('h-race', A, TTL, at(0)), repository.acquire('h-race', B, TTL, at(0))]);
      const holders = outcomes.filter((outcome) => outcome.held).map((outcome) => outcome.lease.nodeId);
      assert.equal(holders.length, 1, `dialect ${index}: one holder, got ${holders.join(', ')}`);
      for (const outcome of outcomes) assert.equal(outcome.lease.nodeId, holders[0]);
    }
  });
});

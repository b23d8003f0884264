import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LoginGuard, type Admission } from './login-guard.ts';

const make = (now: { t: number }) => new LoginGuard({ addressMaxFailures: 3, addressWindowMs: 60_000, accountDelayBaseMs: 100, accountDelayMaxMs: 400, now: () => now.t });
const fail = (admission: Admission) => {
  assert.equal(admission.refused, false);
  if (!admission.refused) void admission.settle(false);
  return admission;
};

test('failures from one address across accounts refuse the address until the oldest leaves the window', () => {
  const now = { t: 0 };
  const guard = make(now);
  for (const account of ['a', 'b', 'c']) fail(guard.admit({ address: '1', account, device: null }));
  now.t = 10_000;
  const refused = guard.admit({ address: '1', account: 'd', device: null });
  assert.deepEqual(refused, { refused: true, scope: 'address', retryAfterSeconds: 50 });
  assert.equal(guard.admit({ address: '2', account: 'd', device: null }).refused, false, 'another address is not affected');
  assert.equal(guard.admit({ address: '1', account: 'a', device: 'dev-a' }).refused, false, 'a known device is exempt');
  now.t = 60_001;
  assert.equal(guard.admit({ address: '1', account: 'd', device: null }).refused, false, 'the window has passed');
});

test("an account's failures double its wait up to the maximum; attempts at once queue; success ends it", () => {
  const now = { t: 0 };
  const guard = make(now);
  const waits: number[] = [];
  for (let i = 0; i < 5; i++) {
    const admission = guard.admit({ address: `a${i}`, account: 'judge', device: null });
    assert.equal(admission.refused, false);
    if (!admission.refused) {
      waits.push(admission.waitMs);
      now.t += admission.waitMs;
      void admission.settle(false);
    }
  }
  assert.deepEqual(waits, [0, 100, 200, 400, 400]);
  const atOnce = [1, 2, 3, 4].map((i) => guard.admit({ address: `b${i}`, account: 'judge', device: null }));
  assert.deepEqual(
    atOnce.map((a) => (a.refused ? 'refused' : a.waitMs)),
    [400, 800, 1200, 'refused'],
  );
  const known = guard.admit({ address: 'b9', account: 'judge', device: 'dev-judge' });
  assert.equal(!known.refused && known.waitMs, 0, 'the known device does not wait');
  if (!known.refused) void known.settle(true);
  const after = guard.admit({ address: 'b10', account: 'judge', device: null });
  assert.equal(!after.refused && after.waitMs, 0, 'the owner logged in: the slowdown ends');
});

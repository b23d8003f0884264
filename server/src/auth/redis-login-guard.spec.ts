import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { createClient } from 'redis';
import { startRedis, type TestRedis } from '../../../tests/helpers/redis.ts';
import { LoginGuard, type Admission, type LoginGuardOptions } from './login-guard.ts';
import { RedisLoginGuard } from './redis-login-guard.ts';

const options: LoginGuardOptions = { addressMaxFailures: 5, addressWindowMs: 60_000, accountDelayBaseMs: 100, accountDelayMaxMs: 400 };
type Log = { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
const quiet: Log = { info() {}, warn() {} };

let redis: TestRedis;
const guards: RedisLoginGuard[] = [];
/** A node's guard on the test's Redis, with a fallback of its own. */
const node = (log: Log = quiet) => {
  const guard = new RedisLoginGuard({ url: redis.url, options, fallback: new LoginGuard(options), log });
  guards.push(guard);
  return guard;
};

before(async () => {
  redis = await startRedis();
});
beforeEach(async () => {
  const client = await createClient({ url: redis.url }).connect();
  await client.flushAll();
  client.destroy();
});
after(async () => {
  for (const guard of guards) guard.close();
  await redis.close();
});

test('two nodes deciding at once admit no more attempts from one address than the limit', async () => {
  const [a, b] = [node(), node()];
  // 20 attempts at the same moment, half on each node: only as many may be checked as may fail.
  const admissions = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).admit({ address: '10.0.0.1', account: `clerk${i}`, device: null })));
  const admitted = admissions.filter((x): x is Extract<Admission, { refused: false }> => !x.refused);
  assert.equal(admitted.length, options.addressMaxFailures);
  assert.ok(admissions.every((x) => !x.refused || x.scope === 'address'));
  for (const x of admitted) await x.settle(false);
  const next = await a.admit({ address: '10.0.0.1', account: 'clerk99', device: null });
  assert.deepEqual(next.refused && next.scope, 'address', 'the failures are counted: the address stays refused');
  const known = await b.admit({ address: '10.0.0.1', account: 'judge', device: 'dev-judge' });
  assert.equal(known.refused, false, 'a known device is exempt, on either node');
});

test("an account's failures on one node slow it on the other; a success on either ends it", async () => {
  const [a, b] = [node(), node()];
  const waits: number[] = [];
  for (let i = 0; i < 4; i++) {
    const admission = await (i % 2 ? a : b).admit({ address: `10.1.0.${i}`, account: 'judge', device: null });
    assert.equal(admission.refused, false);
    if (admission.refused) return;
    waits.push(admission.waitMs);
    await new Promise((resolve) => setTimeout(resolve, admission.waitMs));
    await admission.settle(false);
  }
  // 0, then base, 2×base, 4×base: the doubling counts the failures made on both nodes. Redis's
  // clock ticks on while the test waits, so each wait may be a few ms shorter than the delay.
  assert.deepEqual(
    waits.map((w) => Math.round(w / 50) * 50),
    [0, 100, 200, 400],
  );
  const owner = await a.admit({ address: '10.1.0.9', account: 'judge', device: 'dev-judge' });
  if (!owner.refused) await owner.settle(true);
  const after = await b.admit({ address: '10.1.0.10', account: 'judge', device: null });
  assert.equal(!after.refused && after.waitMs, 0, 'the owner logged in on A: B no longer slows the account');
});

test('while Redis is down a node falls back to its own guard, says so once, and counts in Redis again once it is back', async () => {
  const warnings: string[] = [];
  const infos: string[] = [];
  const guard = node({ info: (_: object, msg: string) => void infos.push(msg), warn: (_: object, msg: string) => void warnings.push(msg) });
  const first = await guard.admit({ address: '10.2.0.1', account: 'judge', device: null });
  if (!first.refused) await first.settle(true);
  await redis.stop();
  try {
    const started = performance.now();
    for (let i = 0; i < options.addressMaxFailures; i++) {
      const admission = await guard.admit({ address: '10.2.0.1', account: `clerk${i}`, device: null });
      assert.equal(admission.refused, false);
      if (!admission.refused) await admission.settle(false);
    }
    assert.ok(performance.now() - started < 2000, 'logins are not held up waiting for Redis');
    const refused = await guard.admit({ address: '10.2.0.1', account: 'clerk9', device: null });
    assert.equal(refused.refused, true, "the node's own guard still limits the address");
    assert.equal(warnings.filter((w) => w.includes('login limit is counted on this node alone')).length, 1);
  } finally {
    await redis.start();
  }
  // The client reconnects on its own; the first attempt after counts in Redis again.
  const deadline = Date.now() + 10_000;
  while (!infos.some((m) => m.includes('counted in Redis again')) && Date.now() < deadline) {
    const admission = await guard.admit({ address: '10.2.0.2', account: 'someone', device: null });
    if (!admission.refused) await admission.settle(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.ok(infos.some((m) => m.includes('counted in Redis again')));
});

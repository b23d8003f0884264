import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { resolveWorkerBin } from '../worker/worker-bin.ts';
import { MediaWorkerPool } from './worker-pool.ts';

const quietLog = { info() {}, error() {} };

describe('the media worker pool', () => {
  let pool: MediaWorkerPool;
  const died: number[] = [];

  before(async () => {
    pool = await MediaWorkerPool.start({
      workers: 2,
      workerBin: resolveWorkerBin(),
      rtcMinPort: 40000,
      rtcMaxPort: 40999,
      log: quietLog,
      onWorkerDied: (index) => died.push(index),
    });
  });
  after(() => pool.close());

  test('starts one worker per slot and reports them alive', async () => {
    const health = await pool.health();
    assert.equal(health.status, 'ok');
    assert.equal(health.workers.length, 2);
    assert.notEqual(health.workers[0].pid, health.workers[1].pid);
  });

  test('hands out workers round-robin, and a router can be made on each', async () => {
    const first = pool.nextWorker();
    const second = pool.nextWorker();
    assert.notEqual(first.pid, second.pid);
    assert.equal(pool.nextWorker().pid, first.pid);
    for (const worker of [first, second]) {
      const router = await worker.createRouter({ mediaCodecs: [{ kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 }] });
      assert.ok(router.rtpCapabilities.codecs?.some((c) => c.mimeType === 'audio/opus'));
      router.close();
    }
  });

  test('a killed worker is detected, reported and replaced', async () => {
    const victim = (await pool.health()).workers[0];
    process.kill(victim.pid, 'SIGKILL');

    const deadline = Date.now() + 10_000;
    let health = await pool.health();
    while (!(health.workers[0].alive && health.workers[0].pid !== victim.pid) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      health = await pool.health();
    }
    assert.deepEqual(died, [0], 'the pool told its owner which worker died');
    assert.equal(health.status, 'ok');
    assert.notEqual(health.workers[0].pid, victim.pid, 'a new worker took its place');
    assert.equal(health.workers[0].restarts, 1);
  });
});

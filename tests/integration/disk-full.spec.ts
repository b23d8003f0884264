/**
 * The court's disk fills up under a running server: health says so (503, `disk_full`),
 * a judge's command and a login are answered `storage_unavailable` (503), not `internal`; once the
 * disk is freed, health is 200 again and the same command goes through. The server is
 * `node server/src/main.ts` on a small disk of its own (helpers/small-disk.ts), with real SQLite.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { closeAll, inStep, workstation, type Workstation } from '../helpers/hall.ts';
import { startMainProcess, type MainProcess } from '../helpers/main-process.ts';
import { SmallDisk } from '../helpers/small-disk.ts';

const disk = await SmallDisk.mount(32);
const skip = 'skip' in disk ? disk.skip : false;

type Health = { status: number; body: { status: string; reasons: { code: string; level: string; where: string }[]; database: { status: string }; storage: { status: string } } };

describe('a full disk under the running server', { skip }, () => {
  const small = disk as SmallDisk;
  let server: MainProcess;
  let judge: Workstation | undefined;

  const health = async (): Promise<Health> => {
    const response = await fetch(`${server.url}/api/health`);
    return { status: response.status, body: (await response.json()) as Health['body'] };
  };
  /** Health is cached for a few seconds (it is polled): asks until it answers `status`. */
  const healthUntil = async (status: number): Promise<Health> => {
    let last = await health();
    const deadline = Date.now() + 15_000;
    while (last.status !== status && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      last = await health();
    }
    return last;
  };
  const login = (username: string) =>
    fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'ezal-demo' }) });

  before(async () => {
    // No free-space thresholds: what health reports here comes from its writes failing.
    server = await startMainProcess({ DATA_DIR: small.dir, MEDIA_WORKERS: '0', HEALTH_MIN_FREE_MB: '0', HEALTH_CRITICAL_FREE_MB: '0' }, { prefix: small.command() });
  });

  after(async () => {
    closeAll(judge ? [judge] : []);
    if (server) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    await small.close();
  });

  test('health fails with disk_full, a command and a login answer storage_unavailable; freed, all works again', async () => {
    const healthy = await health();
    assert.equal(healthy.status, 200, JSON.stringify(healthy.body));
    assert.equal(healthy.body.status, 'ok');
    assert.deepEqual(healthy.body.reasons, []);

    const demo: { hearingId: string } = JSON.parse(
      small.runNode(
        `import Database from 'better-sqlite3';
         import { demoHearing } from './tests/helpers/hall.ts';
         const sqlite = new Database(process.env.DB, { readonly: true });
         console.log(JSON.stringify(demoHearing(sqlite)));`,
        { DB: `${small.dir}/ezal.sqlite` },
      ),
    );
    judge = await workstation(server.url, 'judge', demo.hearingId);
    await inStep(judge);

    small.fillUnderDatabase('ezal.sqlite');

    const failing = await healthUntil(503);
    assert.equal(failing.status, 503, JSON.stringify(failing.body));
    assert.equal(failing.body.status, 'failing');
    assert.equal(failing.body.database.status, 'not_writable');
    assert.equal(failing.body.storage.status, 'failing');
    const codes = new Set(failing.body.reasons.map((r) => `${r.code}:${r.where}`));
    for (const expected of ['disk_full:database', 'disk_full:data', 'disk_full:files', 'disk_full:recordings']) assert.ok(codes.has(expected), `${expected} in ${[...codes]}`);

    const refused = await judge.follower.send('hearing:open', {});
    assert.ok('error' in refused, 'the hearing cannot open on a full disk');
    assert.equal(refused.error.code, 'storage_unavailable', refused.error.message);

    const noLogin = await login('secretary');
    assert.equal(noLogin.status, 503);
    assert.equal(((await noLogin.json()) as { error: { code: string } }).error.code, 'storage_unavailable');

    small.free();
    const recovered = await healthUntil(200);
    assert.equal(recovered.status, 200, JSON.stringify(recovered.body));
    assert.equal(recovered.body.status, 'ok');
    assert.equal(recovered.body.database.status, 'ok');

    const opened = await judge.follower.send('hearing:open', {});
    assert.ok('data' in opened, JSON.stringify(opened));
    await judge.follower.reached(opened.data.version);
    assert.equal(judge.follower.replica.state?.status, 'in_progress');
    assert.equal((await login('secretary')).status, 200);
  });
});

/**
 * `npm start` as an operator runs it: a separate process, configured only by environment
 * variables, with real mediasoup workers, stopped by SIGTERM.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { startMainProcess, type MainProcess } from '../helpers/main-process.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const dataDirs: string[] = [];

/** The server process on a fresh DATA_DIR (removed after the tests). */
function startMain(env: Record<string, string>): Promise<MainProcess> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-main-'));
  dataDirs.push(dataDir);
  return startMainProcess({ DATA_DIR: dataDir, ...env });
}

describe('the server process', () => {
  after(() => {
    for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('starts on an empty DATA_DIR with demo data and two media workers, reports health, and stops cleanly on SIGTERM', async () => {
    const server = await startMain({ MEDIA_WORKERS: '2' });
    try {
      const health = (await (await fetch(`${server.url}/api/health`)).json()) as any;
      assert.equal(health.status, 'ok');
      assert.equal(health.database.status, 'ok');
      assert.equal(health.media.status, 'ok');
      assert.equal(health.media.workers.length, 2);
      // Browsers are given this machine's addresses, never the listening wildcard.
      assert.ok(health.media.announced.length > 0 && health.media.announced.every((a: { address: string }) => a.address !== '0.0.0.0'), JSON.stringify(health.media.announced));
      assert.ok(health.media.workers.every((w: { alive: boolean; pid: number }) => w.alive && w.pid > 0));

      const login = await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'judge', password: 'ezal-demo' }),
      });
      assert.equal(login.status, 200, 'the demo judge can log in');

      const workerPids: number[] = health.media.workers.map((w: { pid: number }) => w.pid);
      server.child.kill('SIGTERM');
      assert.equal(await server.exited, 0);
      assert.match(server.output(), /shut down cleanly/);
      for (const pid of workerPids) assert.throws(() => process.kill(pid, 0), 'media worker process is gone');
    } finally {
      server.child.kill('SIGKILL');
    }
  });

  test('EZAL_DEMO=0 never creates demo users', async () => {
    const server = await startMain({ EZAL_DEMO: '0', MEDIA_WORKERS: '0' });
    try {
      const login = await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'judge', password: 'ezal-demo' }),
      });
      assert.equal(login.status, 401);
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  });

  test('a bad configuration stops the start with a message naming every bad variable', async () => {
    const child = spawn(process.execPath, ['server/src/main.ts'], {
      cwd: root,
      env: { ...process.env, PORT: 'eighty', EZAL_DEMO: 'maybe' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(code, 1);
    assert.match(stderr, /PORT must be a whole number from 0 to 65535, got 'eighty'/);
    assert.match(stderr, /EZAL_DEMO must be 1 or 0/);
  });
});

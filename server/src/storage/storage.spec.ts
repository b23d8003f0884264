import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { LocalFileStore } from './file-store.ts';
import { Staging } from './staging.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-storage-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

test('a staged file is adopted under its hash, and the same content twice is one file', async () => {
  const store = new LocalFileStore(path.join(root, 'files'));
  const staging = new Staging(path.join(root, 'staging'));
  const dir = await staging.create();
  fs.writeFileSync(path.join(dir, 'a'), 'protocol of interrogation');
  fs.writeFileSync(path.join(dir, 'b'), 'protocol of interrogation');
  const hash = sha256('protocol of interrogation');
  await store.adoptAll([
    { stagedPath: path.join(dir, 'a'), sha256: hash },
    { stagedPath: path.join(dir, 'b'), sha256: hash },
  ]);
  assert.equal(fs.readFileSync(store.pathOf(hash), 'utf8'), 'protocol of interrogation');
  assert.equal(store.pathOf(hash), path.join(store.root, hash.slice(0, 2), hash));
  assert.deepEqual(await Array.fromAsync(store.list()), [hash]);
  assert.throws(() => store.pathOf('../../etc/passwd'), /not a sha256/);
  await staging.remove(dir);
});

test('the sweep removes only unreferenced files, and stops while another process imports', async () => {
  const store = new LocalFileStore(path.join(root, 'sweep'));
  const staging = new Staging(path.join(root, 'sweep-staging'));
  const dir = await staging.create();
  const kept = sha256('kept');
  const orphan = sha256('orphan');
  for (const [name, hash] of [
    ['kept', kept],
    ['orphan', orphan],
  ]) {
    fs.writeFileSync(path.join(dir, name), name);
    await store.adoptAll([{ stagedPath: path.join(dir, name), sha256: hash }]);
  }
  await staging.remove(dir);

  // A folder owned by a live process other than this one (pid 1 is always alive).
  fs.mkdirSync(path.join(staging.root, 'busy'));
  fs.writeFileSync(path.join(staging.root, 'busy', '.owner'), '1');
  assert.equal(await staging.othersAreWorking(), true);
  assert.equal(await store.sweepOrphans(async (h) => h !== kept && !(await staging.othersAreWorking())), 0);
  assert.ok(await store.has(orphan), 'nothing is removed while another process may be importing');

  fs.rmSync(path.join(staging.root, 'busy'), { recursive: true });
  assert.equal(await store.sweepOrphans(async (h) => h !== kept && !(await staging.othersAreWorking())), 1);
  assert.ok(await store.has(kept));
  assert.equal(await store.has(orphan), false);
});

test('staging folders of dead processes are swept, live ones kept', async () => {
  const staging = new Staging(path.join(root, 'abandoned'));
  const mine = await staging.create();
  const dead = spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' }).stdout.trim(); // a pid that has exited
  fs.mkdirSync(path.join(staging.root, 'crashed'));
  fs.writeFileSync(path.join(staging.root, 'crashed', '.owner'), dead);
  fs.mkdirSync(path.join(staging.root, 'no-owner'));
  assert.equal(await staging.sweepAbandoned(), 2);
  assert.deepEqual(fs.readdirSync(staging.root), [path.basename(mine)]);
});

test("a file beside the 256 folders (health's probe, left by a killed process) does not stop the sweep", async () => {
  const store = new LocalFileStore(path.join(root, 'files-with-probe'));
  fs.writeFileSync(path.join(store.root, '.health-probe-1-x'), 'probe');
  assert.equal(await store.sweepOrphans(async () => true), 0);
});

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { StorageProbe } from './storage-probe.ts';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-probe-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));

const sqliteError = (code: string) => Object.assign(new Error(code.toLowerCase()), { code });

test('writes in every folder (made if missing), leaves no probe file, and reports the space left', async () => {
  const recordings = path.join(root, 'not-yet', 'recordings');
  const probe = new StorageProbe({
    writeDatabase: async () => {},
    locations: [
      { name: 'data', dir: root },
      { name: 'recordings', dir: recordings },
    ],
  });
  const report = await probe.check();
  assert.deepEqual(report.database, { failure: null, error: null });
  assert.deepEqual(
    report.locations.map((l) => [l.name, l.failure]),
    [
      ['data', null],
      ['recordings', null],
    ],
  );
  assert.ok(report.locations.every((l) => l.freeBytes !== null && l.freeBytes > 0));
  assert.ok(fs.existsSync(recordings));
  assert.deepEqual(fs.readdirSync(root), ['not-yet'], 'no probe file left behind');
});

test('a database that cannot commit is disk_full or not_writable by its SQLite code', async () => {
  const full = await new StorageProbe({
    writeDatabase: async () => {
      throw sqliteError('SQLITE_FULL');
    },
    locations: [],
  }).check();
  assert.equal(full.database.failure, 'disk_full');
  const readOnly = await new StorageProbe({
    writeDatabase: async () => {
      throw sqliteError('SQLITE_READONLY');
    },
    locations: [],
  }).check();
  assert.equal(readOnly.database.failure, 'not_writable');
});

test('a folder that cannot be written to fails its location', async () => {
  const file = path.join(root, 'a-file');
  fs.writeFileSync(file, 'not a folder');
  const report = await new StorageProbe({ writeDatabase: async () => {}, locations: [{ name: 'files', dir: path.join(file, 'files') }] }).check();
  assert.equal(report.locations[0].failure, 'unknown', 'ENOTDIR: a failure, though not a full disk');
});

test('polled: a good result is kept for okForMs, a failure only failingForMs; callers at once share one probe', async () => {
  let now = 0;
  let writes = 0;
  let failing = false;
  const probe = new StorageProbe({
    writeDatabase: async () => {
      writes++;
      if (failing) throw sqliteError('SQLITE_FULL');
    },
    locations: [],
    okForMs: 5_000,
    failingForMs: 1_000,
    now: () => now,
  });
  await Promise.all([probe.check(), probe.check(), probe.check()]);
  assert.equal(writes, 1);
  now = 4_999;
  await probe.check();
  assert.equal(writes, 1, 'still fresh');
  failing = true;
  now = 5_000;
  assert.equal((await probe.check()).database.failure, 'disk_full');
  now = 5_999;
  await probe.check();
  assert.equal(writes, 2);
  failing = false;
  now = 6_000;
  assert.equal((await probe.check()).database.failure, null, 'a freed disk is seen a second later');
  assert.equal(writes, 3);
});

test('another process writing (SQLITE_BUSY) is no verdict: the last one stands, health does not wait', async () => {
  let now = 0;
  let error: Error | null = sqliteError('SQLITE_FULL');
  const probe = new StorageProbe({
    writeDatabase: async () => {
      if (error) throw error;
    },
    locations: [],
    failingForMs: 0,
    now: () => now,
  });
  assert.equal((await probe.check()).database.failure, 'disk_full');
  error = sqliteError('SQLITE_BUSY');
  now = 1;
  assert.equal((await probe.check()).database.failure, 'disk_full');
  const fresh = new StorageProbe({
    writeDatabase: async () => {
      throw sqliteError('SQLITE_BUSY');
    },
    locations: [],
  });
  assert.equal((await fresh.check()).database.failure, null);
});

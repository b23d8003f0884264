import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { openDatabase } from './client.ts';

// SQLite's safety levels as `PRAGMA synchronous` reports them.
const NORMAL = 1;
const FULL = 2;

test('atomically flushes every commit unless told not to, and an unflushed one leaves the next flushed', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-client-'));
  const database = openDatabase(dataDir);
  try {
    const { sqlite, atomically } = database;
    const level = () => sqlite.pragma('synchronous', { simple: true }) as number;
    sqlite.exec('create table probe (id integer primary key, body text not null)');
    const insert = sqlite.prepare('insert into probe (body) values (?)');
    const count = () => (sqlite.prepare('select count(*) as n from probe').get() as { n: number }).n;

    assert.equal(
      atomically(() => (insert.run('flushed'), level())),
      FULL,
    );
    assert.equal(
      atomically(() => (insert.run('written'), level()), { flush: false }),
      NORMAL,
    );
    assert.equal(level(), FULL, 'back to flushing after an unflushed commit');

    assert.throws(() => atomically(() => (insert.run('rolled back'), assert.fail('refused')), { flush: false }), /refused/);
    assert.equal(level(), FULL, 'back to flushing after a failed transaction');
    assert.equal(count(), 2, 'the failed transaction wrote nothing');

    // Inside a flushed transaction, a nested unflushed one commits with it: flushed.
    assert.equal(
      atomically(() => atomically(() => (insert.run('nested'), level()), { flush: false })),
      FULL,
    );
    assert.equal(count(), 3);
  } finally {
    database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

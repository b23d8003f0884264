import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startCheckpointer } from './checkpointer.ts';
import { openDatabase } from './client.ts';

/** Writes about 4 MB in 40 commits, as a busy hall would over a while. */
function write(sqlite: import('better-sqlite3').Database) {
  sqlite.exec('create table if not exists probe (id integer primary key, body blob)');
  const insert = sqlite.prepare('insert into probe (body) values (?)');
  for (let i = 0; i < 40; i++) sqlite.transaction(() => insert.run(Buffer.alloc(100_000, i)))();
}

test('with automatic checkpoints off, the WAL reaches the database file only through the background checkpointer', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-checkpoint-'));
  const database = openDatabase(dataDir, { autoCheckpoint: false });
  try {
    const size = () => fs.statSync(database.file).size;
    const before = size();
    write(database.sqlite);
    await sleep(300);
    assert.equal(size(), before, 'no commit copied the WAL into the database file');

    const checkpointer = startCheckpointer(database.file, 50);
    try {
      const deadline = Date.now() + 10_000;
      while (size() < before + 4_000_000 && Date.now() < deadline) await sleep(20);
      assert.ok(size() >= before + 4_000_000, `the database file holds the writes (${size() - before} bytes more)`);
    } finally {
      await checkpointer.stop();
    }
    assert.equal((database.sqlite.prepare('select count(*) as n from probe').get() as { n: number }).n, 40);
  } finally {
    database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

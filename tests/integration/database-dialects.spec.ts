/**
 * db/database.ts on both dialects (issue 20): the same repository-style code — drizzle builders on
 * `tables`, awaited, in `transaction` — runs on the SQLite file and on PostgreSQL, and holds the
 * two properties a hearing's log rests on:
 * - nobody outside a transaction sees it before it commits, and a failed one leaves nothing;
 * - commands for one hearing that arrive at the same moment — on PostgreSQL from two nodes (two
 *   pools) — queue on the hearing's row (`lockHearing`), so its versions run 1..N with no gap
 *   and no command fails. Without the lock, the same load on PostgreSQL breaks (last test), which
 *   is what makes the gap-free test mean something.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { asc, eq } from 'drizzle-orm';
import { openPostgresDb, openSqliteDb, type Database } from '../../db/database.ts';
import { startPrivatePostgres, type PrivatePostgres } from '../helpers/postgres.ts';

const T0 = new Date(Date.UTC(2026, 11, 1, 5, 0, 0));

/** A court, a judge, a case and its hearings at version 0, written through the interface itself. */
async function seedHearings(database: Database, hearingIds: string[]): Promise<void> {
  const { tables } = database;
  // `database.db` is read at each query, never kept: only then is it the transaction's.
  await database.transaction(async () => {
    await database.db.insert(tables.courts).values({ id: 'court-1', code: 'C1', nameKk: 'Сот', nameRu: 'Суд', nameEn: 'Court', createdAt: T0 });
    await database.db.insert(tables.halls).values({ id: 'hall-1', courtId: 'court-1', code: 'H1', nameKk: 'Зал', nameRu: 'Зал', nameEn: 'Hall' });
    await database.db.insert(tables.users).values({ id: 'judge-1', username: 'judge', passwordHash: 'x', fullName: 'Судья', courtId: 'court-1', createdAt: T0 });
    await database.db.insert(tables.cases).values({
      id: 'case-1',
      courtId: 'court-1',
      caseNumber: '1-1/2026',
      category: 'crime',
      language: 'ru',
      summaryKk: '',
      summaryRu: '',
      summaryEn: '',
      qualification: [],
      receivedAt: T0,
      createdAt: T0,
    });
    for (const id of hearingIds) await database.db.insert(tables.hearings).values({ id, caseId: 'case-1', hallId: 'hall-1', scheduledAt: T0, presidingJudgeId: 'judge-1' });
  });
}

/**
 * What a hearing command does to the log, reduced to its bones: read the version, append the next
 * event, store the new version — in one transaction, with (or without) the hearing's row lock.
 */
async function appendMark(database: Database, hearingId: string, text: string, options: { lock: boolean } = { lock: true }): Promise<number> {
  return database.transaction(async () => {
    const { tables } = database;
    if (options.lock) assert.equal(await database.lockHearing(hearingId), true);
    const [hearing] = await database.db.select({ version: tables.hearings.version }).from(tables.hearings).where(eq(tables.hearings.id, hearingId));
    const version = hearing!.version + 1;
    // A turn of the event loop between reading and writing, as a real command has (rules, lookups).
    await sleep(0);
    await database.db.insert(tables.hearingEvents).values({ hearingId, version, at: new Date(), actorUserId: 'judge-1', actorRole: 'secretary', type: 'mark.added', payload: { text } });
    await database.db.update(tables.hearings).set({ version }).where(eq(tables.hearings.id, hearingId));
    return version;
  });
}

async function storedVersions(database: Database, hearingId: string): Promise<number[]> {
  const { tables } = database;
  const rows = await database.db
    .select({ version: tables.hearingEvents.version })
    .from(tables.hearingEvents)
    .where(eq(tables.hearingEvents.hearingId, hearingId))
    .orderBy(asc(tables.hearingEvents.version));
  return rows.map((row) => row.version);
}

const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

/** The tests both dialects must pass; `nodes` are that many handles on one database (PostgreSQL: one pool each, as nodes have). */
function dialectTests(name: string, open: () => Promise<{ nodes: [Database, Database]; close(): Promise<void> }>, more?: () => void) {
  describe(name, () => {
    let nodes: [Database, Database];
    let close: () => Promise<void>;

    before(async () => {
      ({ nodes, close } = await open());
      await seedHearings(nodes[0], ['hearing-1', 'hearing-2']);
    });
    after(async () => close?.());

    test('a transaction is seen by nobody else until it commits, and a failed one leaves nothing', async () => {
      const [a, b] = nodes;
      const { tables } = a;
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const inside = a.transaction(async () => {
        await a.db.update(tables.hearings).set({ stage: 'preparatory' }).where(eq(tables.hearings.id, 'hearing-1'));
        await held; // real time passes with the change written, not committed
      });
      await sleep(50);
      const during = await b.db.select({ stage: tables.hearings.stage }).from(tables.hearings).where(eq(tables.hearings.id, 'hearing-1'));
      assert.equal(during[0]!.stage, null, 'a reader saw a transaction in progress');
      release();
      await inside;
      const afterCommit = await b.db.select({ stage: tables.hearings.stage }).from(tables.hearings).where(eq(tables.hearings.id, 'hearing-1'));
      assert.equal(afterCommit[0]!.stage, 'preparatory');

      await assert.rejects(
        a.transaction(async () => {
          await a.db.update(tables.hearings).set({ stage: 'investigation' }).where(eq(tables.hearings.id, 'hearing-1'));
          throw new Error('the rules refused');
        }),
        /the rules refused/,
      );
      const afterRollback = await a.db.select({ stage: tables.hearings.stage }).from(tables.hearings).where(eq(tables.hearings.id, 'hearing-1'));
      assert.equal(afterRollback[0]!.stage, 'preparatory');
    });

    test('200 marks through one handle and 200 through the other at once: versions 1..400, no gap, none refused', async () => {
      const [a, b] = nodes;
      const sent = oneTo(200).flatMap((i) => [appendMark(a, 'hearing-1', `a${i}`), appendMark(b, 'hearing-1', `b${i}`)]);
      const acknowledged = await Promise.all(sent);
      assert.deepEqual(
        [...acknowledged].sort((x, y) => x - y),
        oneTo(400),
      );
      assert.deepEqual(await storedVersions(b, 'hearing-1'), oneTo(400));
      const [hearing] = await a.db.select({ version: a.tables.hearings.version }).from(a.tables.hearings).where(eq(a.tables.hearings.id, 'hearing-1'));
      assert.equal(hearing!.version, 400);
    });

    test('what is to follow a commit runs after it, once, and never after a rollback', async () => {
      const [a] = nodes;
      const heard: string[] = [];
      await a.transaction(async () => {
        a.afterCommit(() => heard.push('outer'));
        // A transaction inside one is part of it: its own follow-up waits for the outer commit.
        await a.transaction(async () => a.afterCommit(() => heard.push('inner')));
        assert.deepEqual(heard, [], 'told before the commit');
      });
      assert.deepEqual(heard, ['outer', 'inner']);
      await assert.rejects(
        a.transaction(async () => {
          a.afterCommit(() => heard.push('rolled back'));
          throw new Error('refused');
        }),
      );
      assert.deepEqual(heard, ['outer', 'inner']);
    });

    test('a timer started inside a transaction reads committed data once it has ended, not the finished transaction', async () => {
      const [a] = nodes;
      const { tables } = a;
      let later!: Promise<unknown>;
      await a.transaction(async () => {
        later = new Promise((resolve, reject) => setTimeout(() => a.db.select({ id: tables.hearings.id }).from(tables.hearings).then(resolve, reject), 20));
      });
      assert.equal(((await later) as unknown[]).length, 2);
      // And a write from there needs a transaction of its own, which it gets.
      await new Promise<void>((resolve, reject) => setTimeout(() => a.transaction(async () => a.afterCommit(resolve)).catch(reject), 0));
    });

    test('lockHearing says when there is no such hearing, and refuses outside a transaction', async () => {
      const [a] = nodes;
      assert.equal(await a.transaction(() => a.lockHearing('no-such-hearing')), false);
      await assert.rejects(a.lockHearing('hearing-1'), /outside a transaction/);
    });

    more?.();
  });
}

dialectTests('SQLite (the embedded default)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-db-'));
  const db = openSqliteDb(dir);
  return {
    // One process has one handle; its transactions queue in it.
    nodes: [db, db],
    async close() {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('SQLite: a write outside a transaction', () => {
  test('fails instead of slipping past the queue of transactions', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-db-'));
    const db = openSqliteDb(dir);
    try {
      await assert.rejects(
        (async () => db.db.insert(db.tables.courts).values({ id: 'c', code: 'c', nameKk: 'c', nameRu: 'c', nameEn: 'c', createdAt: T0 }))(),
        /readonly|read-only|query_only|attempt to write/i,
      );
    } finally {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

let cluster: PrivatePostgres | undefined;
before(async () => {
  cluster = await startPrivatePostgres();
});
after(() => cluster?.stop());

dialectTests(
  'PostgreSQL (two nodes)',
  async () => {
    const a = await openPostgresDb(cluster!.url, { poolSize: 4 });
    const b = await openPostgresDb(cluster!.url, { poolSize: 4 });
    return {
      nodes: [a, b],
      async close() {
        await a.close();
        await b.close();
      },
    };
  },
  () => {
    test('without the row lock the same load refuses commands (two read one version): the lock is what keeps the log whole', async () => {
      const a = await openPostgresDb(cluster!.url, { poolSize: 4 });
      const b = await openPostgresDb(cluster!.url, { poolSize: 4 });
      try {
        const sent = oneTo(50).flatMap((i) => [appendMark(a, 'hearing-2', `a${i}`, { lock: false }), appendMark(b, 'hearing-2', `b${i}`, { lock: false })]);
        const outcomes = await Promise.allSettled(sent);
        assert.ok(
          outcomes.some((o) => o.status === 'rejected'),
          'every unlocked command went through',
        );
      } finally {
        await a.close();
        await b.close();
      }
    });
  },
);

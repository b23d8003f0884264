/**
 * The same database on both dialects for one test file: an SQLite file in a temp folder and a
 * private PostgreSQL cluster (tests/helpers/postgres.ts), both opened through db/database.ts, and
 * seeds written through its builders, so the seed itself runs on both. For repositories' specs
 * that ask the same questions of both and expect the same answers.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { openPostgresDb, openSqliteDb, type Database } from '../../db/database.ts';
import type { Qualification } from '../../server/src/shared/domain.ts';
import { startPrivatePostgres } from './postgres.ts';

/** `postgresUrl`: for a second pool on the same database (another node). */
export type BothDialects = { sqlite: Database; postgres: Database; postgresUrl: string; all: [Database, Database]; close(): Promise<void> };

export async function openBothDialects(): Promise<BothDialects> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-dialects-'));
  const sqlite = openSqliteDb(dir);
  const cluster = await startPrivatePostgres().catch(async (error: unknown) => {
    await sqlite.close();
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  });
  const postgres = await openPostgresDb(cluster.url, { poolSize: 4 });
  return {
    sqlite,
    postgres,
    postgresUrl: cluster.url,
    all: [sqlite, postgres],
    async close() {
      await sqlite.close();
      await postgres.close();
      cluster.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What `onBothDialects` gives a `describe`: filled in its `before`, so read it inside the tests. */
export type OnBothDialects<R> = {
  /** The two databases. */
  readonly both: BothDialects;
  /** What `make` built on each: [on SQLite, on PostgreSQL]. */
  readonly repositories: [R, R];
  /** Asks both the same question at once; the answers must be equal, and this one is returned. */
  same<T>(ask: (repository: R, index: number) => Promise<T>): Promise<T>;
};

/**
 * The setup of a two-dialect spec, called inside its `describe`: before the tests, opens both
 * dialects, runs `seed` on each (if given) and builds a repository on each with `make`; after
 * them, closes both.
 */
export function onBothDialects<R>({ seed, make }: { seed?: (database: Database) => Promise<void>; make: (database: Database) => R }): OnBothDialects<R> {
  let both: BothDialects | undefined;
  let repositories: [R, R] | undefined;
  before(async () => {
    both = await openBothDialects();
    if (seed) for (const database of both.all) await seed(database);
    repositories = [make(both.sqlite), make(both.postgres)];
  });
  after(async () => both?.close());

  const opened = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('both dialects are opened in `before`: read them inside a test');
    return value;
  };
  return {
    get both() {
      return opened(both);
    },
    get repositories() {
      return opened(repositories);
    },
    async same(ask) {
      const [sqlite, postgres] = await Promise.all(opened(repositories).map((repository, index) => ask(repository, index)));
      assert.deepEqual(postgres, sqlite);
      return sqlite;
    },
  };
}

export const T0 = new Date(Date.UTC(2026, 11, 1, 5, 0, 0));
/** `hours` after T0 (or before, when negative). */
export const hoursAfterT0 = (hours: number): Date => new Date(T0.getTime() + hours * 3600_000);

export async function seedCourt(database: Database, court: { id: string; code: string; timezone?: string }): Promise<void> {
  await database.db.insert(database.tables.courts).values({ ...court, nameKk: `${court.code} соты`, nameRu: `Суд ${court.code}`, nameEn: `Court ${court.code}`, createdAt: T0 });
}

export async function seedUser(database: Database, user: { id: string; fullName: string; courtId?: string | null }): Promise<void> {
  await database.db.insert(database.tables.users).values({ id: user.id, username: user.id, passwordHash: 'x', fullName: user.fullName, courtId: user.courtId ?? null, createdAt: T0 });
}

export type SeedCase = {
  id: string;
  courtId: string;
  language?: 'kk' | 'ru';
  category?: 'crime' | 'misdemeanor';
  status?: 'received' | 'in_trial' | 'suspended' | 'closed';
  receivedAt?: Date;
  suspendedAt?: Date | null;
  qualification?: Qualification[];
  judgeId?: string;
};

export async function seedCase(database: Database, c: SeedCase): Promise<void> {
  const { tables } = database;
  await database.db.insert(tables.cases).values({
    id: c.id,
    courtId: c.courtId,
    caseNumber: `№ ${c.id}`,
    category: c.category ?? 'crime',
    language: c.language ?? 'ru',
    summaryKk: '',
    summaryRu: '',
    summaryEn: '',
    qualification: c.qualification ?? [],
    status: c.status ?? 'received',
    receivedAt: c.receivedAt ?? T0,
    suspendedAt: c.suspendedAt ?? null,
    createdAt: T0,
  });
  if (c.judgeId) await database.db.insert(tables.caseStaff).values({ caseId: c.id, userId: c.judgeId, role: 'judge', assignedAt: T0 });
}

/** Court C1 with hall H1, judge-1 presiding over case-1, and that case's hearings `hearingIds` at T0, in one transaction. */
export async function seedHearings(database: Database, hearingIds: string[]): Promise<void> {
  const { tables } = database;
  await database.transaction(async () => {
    await seedCourt(database, { id: 'court-1', code: 'C1' });
    await database.db.insert(tables.halls).values({ id: 'hall-1', courtId: 'court-1', code: 'H1', nameKk: 'Зал', nameRu: 'Зал', nameEn: 'Hall' });
    await seedUser(database, { id: 'judge-1', fullName: 'Судья', courtId: 'court-1' });
    await seedCase(database, { id: 'case-1', courtId: 'court-1', judgeId: 'judge-1' });
    for (const id of hearingIds) await database.db.insert(tables.hearings).values({ id, caseId: 'case-1', hallId: 'hall-1', scheduledAt: T0, presidingJudgeId: 'judge-1' });
  });
}

/** A volume of the case with PDF documents of `sheets` sheets each, one after another. */
export async function seedVolume(database: Database, caseId: string, volume: number, documents: { id: string; sheets: number }[]): Promise<void> {
  const { tables } = database;
  const volumeId = `${caseId}-v${volume}`;
  const total = documents.reduce((n, d) => n + d.sheets, 0);
  await database.db.insert(tables.volumes).values({ id: volumeId, caseId, number: volume, title: `Том ${volume}`, sheets: total });
  let sheet = 1;
  for (const [position, document] of documents.entries()) {
    const sha256 = crypto.createHash('sha256').update(document.id).digest('hex');
    await database.db.insert(tables.storedFiles).values({ sha256, size: 1, content: Buffer.from('x'), storedAt: T0 });
    await database.db.insert(tables.documents).values({
      id: document.id,
      caseId,
      volumeId,
      position,
      sourceId: document.id,
      kind: 'pdf',
      type: 'protocol',
      title: document.id,
      fileSha256: sha256,
      fileName: `${document.id}.pdf`,
      size: 1,
      mimeType: 'application/pdf',
      pages: document.sheets,
      sheetFrom: sheet,
      sheetTo: sheet + document.sheets - 1,
      createdAt: T0,
    });
    sheet += document.sheets;
  }
}

/**
 * What the hall's tests and benchmark need around the real server: a case file for the demo case
 * (volumes and documents written straight into the database — the hearing only needs to know where
 * each page sits), a second case with its own lawyer and hearing, and people at their workstations:
 * a logged-in API client, a socket.io connection and a HearingFollower on it.
 */
import crypto from 'node:crypto';
import type Database from 'better-sqlite3';
import { io as connect } from 'socket.io-client';
import type { Database as AnyDatabase } from '../../db/database.ts';
import { HearingFollower, type HearingSocket } from '../../server/src/shared/socket/hearing-follower.ts';
import { ApiClient } from './server.ts';
import { sqlOf, type SqlParam } from './sql.ts';

/** A better-sqlite3 connection (the synchronous form, for the browser tests and benchmarks), or the server's `Database` on either dialect (asynchronous). */
const isSqliteFile = (db: Database.Database | AnyDatabase): db is Database.Database => 'prepare' in db;

const DEMO_HEARING_SQL = "select h.id, h.case_id from hearings h join cases c on c.id = h.case_id where c.case_number = '7511-26-00-1/245'";
const PARTICIPANTS_SQL = 'select id, role from case_participants where case_id = ?';

function demoHearingOf(hearing: { id: string; case_id: string }, rows: { id: string; role: string }[]): DemoHearing {
  return {
    hearingId: hearing.id,
    caseId: hearing.case_id,
    participants: Object.fromEntries(rows.map((r) => [r.role, r.id])) as DemoHearing['participants'],
  };
}

export type DemoHearing = {
  hearingId: string;
  caseId: string;
  /** Participant ids of the demo case by role (one of each). */
  participants: Record<'defendant' | 'victim' | 'witness' | 'prosecutor' | 'defender', string>;
};

export type CaseFile = {
  /** Volume 1: sheets 1–4. */
  indictment: string;
  /** Volume 1: sheets 5–10. */
  protocol: string;
  /** Volume 2: sheets 1–8. */
  expertOpinion: string;
  /** Volume 2: a video, no sheets. */
  video: string;
};

export function demoHearing(sqlite: Database.Database): DemoHearing;
export function demoHearing(database: AnyDatabase): Promise<DemoHearing>;
export function demoHearing(db: Database.Database | AnyDatabase): DemoHearing | Promise<DemoHearing> {
  if (isSqliteFile(db)) {
    const hearing = db.prepare(DEMO_HEARING_SQL).get() as { id: string; case_id: string };
    return demoHearingOf(hearing, db.prepare(PARTICIPANTS_SQL).all(hearing.case_id) as { id: string; role: string }[]);
  }
  const sql = sqlOf(db);
  return (async () => {
    const hearing = (await sql.one<{ id: string; case_id: string }>(DEMO_HEARING_SQL))!;
    return demoHearingOf(hearing, await sql.all<{ id: string; role: string }>(PARTICIPANTS_SQL, hearing.case_id));
  })();
}

/**
 * Two volumes and four documents for the demo case; idempotent per database. A server started
 * with demo data already gave the demo case a case file of this layout (db/demo-case-file.ts):
 * then its documents are the ones.
 */
export function seedCaseFile(sqlite: Database.Database, caseId: string): CaseFile;
export function seedCaseFile(database: AnyDatabase, caseId: string): Promise<CaseFile>;
export function seedCaseFile(db: Database.Database | AnyDatabase, caseId: string): CaseFile | Promise<CaseFile> {
  return isSqliteFile(db) ? seedCaseFileSync(db, caseId) : seedCaseFileAsync(db, caseId);
}

type SourceRow = { source_id: string; id: string };

/** The demo data's case file (db/demo-case-file.ts), and the one `seedCaseFile` writes: each document's source id. */
const DEMO_SOURCES = ['d1', 'd2', 'd4', 'm1'] as const;
const HALL_SOURCES = ['hall-d1', 'hall-d2', 'hall-d3', 'hall-m1'] as const;
const DEMO_DOCUMENTS_SQL = "select source_id, id from documents where case_id = ? and source_id in ('d1', 'd2', 'd4', 'm1')";
const HALL_DOCUMENTS_SQL = "select source_id, id from documents where case_id = ? and source_id like 'hall-%'";

/** The case file whose four documents are `rows`, if all four are there (`sources`: indictment, protocol, expert opinion, video). */
function caseFileOf(rows: SourceRow[], sources: readonly [string, string, string, string]): CaseFile | undefined {
  if (rows.length !== 4) return undefined;
  const by = Object.fromEntries(rows.map((d) => [d.source_id, d.id]));
  const [indictment, protocol, expertOpinion, video] = sources;
  return { indictment: by[indictment], protocol: by[protocol], expertOpinion: by[expertOpinion], video: by[video] };
}

/**
 * A new case file: the statements that write it, in order and for one transaction (`?`
 * placeholders), and the ids they give its documents. `now` as the connection takes a time: a
 * `Date` through sqlOf, ms on a better-sqlite3 connection.
 */
function caseFileStatements(caseId: string, now: Date | number): { statements: [string, ...SqlParam[]][]; caseFile: CaseFile } {
  const content = Buffer.from('%PDF-1.7 placeholder for the hall tests\n');
  const sha = crypto.createHash('sha256').update(content).digest('hex');
  const statements: [string, ...SqlParam[]][] = [['insert into stored_files (sha256, size, content, stored_at) values (?, ?, ?, ?) on conflict do nothing', sha, content.length, content, now]];
  const volume = (number: number, sheets: number) => {
    const id = crypto.randomUUID();
    statements.push(['insert into volumes (id, case_id, number, title, sheets) values (?, ?, ?, ?, ?)', id, caseId, number, `Том ${number}`, sheets]);
    return id;
  };
  const document = (volumeId: string, position: number, sourceId: string, kind: string, title: string, sheets: [number, number] | null) => {
    const id = crypto.randomUUID();
    statements.push([
      `insert into documents (id, case_id, volume_id, position, source_id, kind, type, title, file_sha256, file_name, size, mime_type, pages, sheet_from, sheet_to, created_at)
       values (?, ?, ?, ?, ?, ?, 'other', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      id,
      caseId,
      volumeId,
      position,
      sourceId,
      kind,
      title,
      sha,
      `${sourceId}.pdf`,
      content.length,
      kind === 'media' ? 'video/webm' : 'application/pdf',
      sheets ? sheets[1] - sheets[0] + 1 : null,
      sheets?.[0] ?? null,
      sheets?.[1] ?? null,
      now,
    ]);
    return id;
  };
  const v1 = volume(1, 10);
  const v2 = volume(2, 8);
  const caseFile = {
    indictment: document(v1, 1, 'hall-d1', 'pdf', 'Обвинительный акт', [1, 4]),
    protocol: document(v1, 2, 'hall-d2', 'pdf', 'Протокол осмотра места происшествия', [5, 10]),
    expertOpinion: document(v2, 1, 'hall-d3', 'pdf', 'Заключение эксперта', [1, 8]),
    video: document(v2, 2, 'hall-m1', 'media', 'Видеозапись допроса', null),
  };
  return { statements, caseFile };
}

/** The same as `seedCaseFileSync`, on either dialect. */
async function seedCaseFileAsync(database: AnyDatabase, caseId: string): Promise<CaseFile> {
  const sql = sqlOf(database);
  const found = caseFileOf(await sql.all<SourceRow>(DEMO_DOCUMENTS_SQL, caseId), DEMO_SOURCES) ?? caseFileOf(await sql.all<SourceRow>(HALL_DOCUMENTS_SQL, caseId), HALL_SOURCES);
  if (found) return found;
  const { statements, caseFile } = caseFileStatements(caseId, new Date());
  await sql.transaction(async (tx) => {
    for (const [query, ...params] of statements) await tx.run(query, ...params);
  });
  return caseFile;
}

function seedCaseFileSync(sqlite: Database.Database, caseId: string): CaseFile {
  const rows = (query: string) => sqlite.prepare(query).all(caseId) as SourceRow[];
  const found = caseFileOf(rows(DEMO_DOCUMENTS_SQL), DEMO_SOURCES) ?? caseFileOf(rows(HALL_DOCUMENTS_SQL), HALL_SOURCES);
  if (found) return found;
  const { statements, caseFile } = caseFileStatements(caseId, Date.now());
  sqlite.transaction(() => {
    for (const [query, ...params] of statements) sqlite.prepare(query).run(...params);
  })();
  return caseFile;
}

/**
 * Another case of the same court, heard in courtroom 2, with its own defence lawyer `defender2`
 * (password ezal-demo): the user of another case.
 */
export function seedOtherCase(sqlite: Database.Database): { caseId: string; hearingId: string };
export function seedOtherCase(database: AnyDatabase): Promise<{ caseId: string; hearingId: string }>;
export function seedOtherCase(db: Database.Database | AnyDatabase): { caseId: string; hearingId: string } | Promise<{ caseId: string; hearingId: string }> {
  return isSqliteFile(db) ? seedOtherCaseSync(db) : seedOtherCaseAsync(db);
}

/** The same as `seedOtherCaseSync`, on either dialect. */
async function seedOtherCaseAsync(database: AnyDatabase): Promise<{ caseId: string; hearingId: string }> {
  const sql = sqlOf(database);
  const found = await sql.one<{ hearing_id: string; case_id: string }>(
    "select h.id as hearing_id, c.id as case_id from cases c join hearings h on h.case_id = c.id where c.case_number = '7511-26-00-1/300'",
  );
  if (found) return { caseId: found.case_id, hearingId: found.hearing_id };
  const judge = (await sql.one<{ id: string; password_hash: string; court_id: string }>("select id, password_hash, court_id from users where username = 'judge'"))!;
  const hall2 = (await sql.one<{ id: string }>("select id from halls where court_id = ? and code = '2'", judge.court_id))!;
  const caseId = crypto.randomUUID();
  const hearingId = crypto.randomUUID();
  const lawyerId = crypto.randomUUID();
  const now = new Date();
  await sql.transaction(async (tx) => {
    await tx.run(
      "insert into users (id, username, password_hash, full_name, locale, court_id, active, created_at) values (?, 'defender2', ?, 'Серикова Дана Маратовна', 'ru', ?, ?, ?)",
      lawyerId,
      judge.password_hash,
      judge.court_id,
      true,
      now,
    );
    await tx.run("insert into user_roles (user_id, role) values (?, 'defender')", lawyerId);
    await tx.run(
      `insert into cases (id, court_id, case_number, category, language, summary_kk, summary_ru, summary_en, qualification, status, received_at, created_at)
       values (?, ?, '7511-26-00-1/300', 'crime', 'ru', 'Басқа іс', 'Другое дело', 'Another case', '[]', 'received', ?, ?)`,
      caseId,
      judge.court_id,
      now,
      now,
    );
    await tx.run("insert into case_staff (case_id, user_id, role, assigned_at) values (?, ?, 'judge', ?)", caseId, judge.id, now);
    await tx.run(
      "insert into case_participants (id, case_id, role, full_name, user_id, created_at) values (?, ?, 'defender', 'Серикова Дана Маратовна', ?, ?)",
      crypto.randomUUID(),
      caseId,
      lawyerId,
      now,
    );
    await tx.run(
      "insert into hearings (id, case_id, hall_id, scheduled_at, presiding_judge_id, status, closed, version, created_at) values (?, ?, ?, ?, ?, 'scheduled', ?, 0, ?)",
      hearingId,
      caseId,
      hall2.id,
      new Date(now.getTime() + 86_400_000),
      judge.id,
      false,
      now,
    );
  });
  return { caseId, hearingId };
}

function seedOtherCaseSync(sqlite: Database.Database): { caseId: string; hearingId: string } {
  const found = sqlite.prepare("select h.id as hearing_id, c.id as case_id from cases c join hearings h on h.case_id = c.id where c.case_number = '7511-26-00-1/300'").get() as
    { hearing_id: string; case_id: string } | undefined;
  if (found) return { caseId: found.case_id, hearingId: found.hearing_id };
  const judge = sqlite.prepare("select id, password_hash, court_id from users where username = 'judge'").get() as { id: string; password_hash: string; court_id: string };
  const hall2 = sqlite.prepare("select id from halls where court_id = ? and code = '2'").get(judge.court_id) as { id: string };
  const caseId = crypto.randomUUID();
  const hearingId = crypto.randomUUID();
  const lawyerId = crypto.randomUUID();
  sqlite.transaction(() => {
    sqlite
      .prepare("insert into users (id, username, password_hash, full_name, locale, court_id, active, created_at) values (?, 'defender2', ?, 'Серикова Дана Маратовна', 'ru', ?, 1, ?)")
      .run(lawyerId, judge.password_hash, judge.court_id, Date.now());
    sqlite.prepare("insert into user_roles (user_id, role) values (?, 'defender')").run(lawyerId);
    sqlite
      .prepare(
        `insert into cases (id, court_id, case_number, category, language, summary_kk, summary_ru, summary_en, qualification, status, received_at, created_at)
         values (?, ?, '7511-26-00-1/300', 'crime', 'ru', 'Басқа іс', 'Другое дело', 'Another case', '[]', 'received', ?, ?)`,
      )
      .run(caseId, judge.court_id, Date.now(), Date.now());
    sqlite.prepare("insert into case_staff (case_id, user_id, role, assigned_at) values (?, ?, 'judge', ?)").run(caseId, judge.id, Date.now());
    sqlite
      .prepare("insert into case_participants (id, case_id, role, full_name, user_id, created_at) values (?, ?, 'defender', 'Серикова Дана Маратовна', ?, ?)")
      .run(crypto.randomUUID(), caseId, lawyerId, Date.now());
    sqlite
      .prepare("insert into hearings (id, case_id, hall_id, scheduled_at, presiding_judge_id, status, closed, version, created_at) values (?, ?, ?, ?, ?, 'scheduled', 0, 0, ?)")
      .run(hearingId, caseId, hall2.id, Date.now() + 86_400_000, judge.id, Date.now());
  })();
  return { caseId, hearingId };
}

export type Workstation = { username: string; api: ApiClient; socket: HearingSocket; follower: HearingFollower };

/** Logs in, connects a socket with the session cookie, and follows the hearing (not yet waiting for the snapshot). */
export async function workstation(url: string, username: string, hearingId: string, options: { reconnection?: boolean } = {}): Promise<Workstation> {
  const api = new ApiClient(url);
  await api.login(username);
  return attach(url, api, username, hearingId, options);
}

/** The same logged-in person on another connection (a new server process, a second tab). */
export function attach(url: string, api: ApiClient, username: string, hearingId: string, options: { reconnection?: boolean } = {}): Workstation {
  const socket: HearingSocket = connect(url, {
    transports: ['websocket'],
    extraHeaders: { cookie: api.cookieHeader },
    reconnection: options.reconnection ?? false,
    reconnectionDelay: 50,
    reconnectionDelayMax: 200,
    forceNew: true,
  });
  const follower = new HearingFollower({ socket, hearingId, ackTimeoutMs: 20_000 });
  return { username, api, socket, follower };
}

/** Resolves when the follower is in step with the server (its first snapshot, or after a reconnection). */
export function inStep(station: Workstation, version = 0): Promise<void> {
  return station.follower.reached(version, 20_000);
}

export function closeAll(stations: Workstation[]): void {
  for (const s of stations) {
    s.follower.stop();
    s.socket.disconnect();
  }
}

/** The data of an acknowledgement, or a failed assertion naming the error. */
export function dataOf<T>(answer: { data: T } | { error: { code: string; message: string } }): T {
  if ('error' in answer) throw new Error(`refused: ${answer.error.code} (${answer.error.message})`);
  return answer.data;
}

/** Resolves once `check()` holds (checked every 10 ms; it may be asynchronous: a database query), or fails after `timeoutMs`. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`still not so after ${timeoutMs} ms: ${check}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

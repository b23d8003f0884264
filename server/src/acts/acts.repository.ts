/**
 * Judicial acts in the database: marking (`judicial_acts`, drizzle), and their text in the FTS5
 * table `acts_text` (plain SQL: drizzle cannot describe virtual tables) — `body` as written and
 * `public_body` depersonalised, row id = the act's `text_key`.
 *
 * Searching answers newest act first (descending `text_key`, the order FTS5 reads a doclist in),
 * so a common word stops after the page it needs instead of ranking every match. Who sees which
 * column is decided in the query itself: acts of cases the reader is entitled to are matched
 * against `body`, all others only against `public_body` — so a name typed by someone not entitled
 * to the case can never find its act, let alone show it.
 *
 * PostgreSQL mapping (docs/acts-search.md): one tsvector column per text ('simple' configuration
 * over the same stems, or 'russian'), a GIN index, `ts_headline` for snippets; the methods stay.
 */
import { and, asc, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Statement } from 'better-sqlite3';
import type { DbHandle } from '../../../db/client.ts';
import { caseParticipants, cases, caseStaff, caseTextKeys, courts, documents, documentText, judicialActs, users, volumes, type ActKind, type ActOutcome, type Qualification } from '../../../db/schema.ts';
import type { Person } from './depersonalise.ts';

export type ActRow = typeof judicialActs.$inferSelect;
export type ActFilters = { courtId?: string; judgeId?: string; article?: string; from?: string; to?: string; outcome?: ActOutcome; kind?: ActKind };
/** The reader, as the search query needs them: their own cases, and their court when they see it whole. */
export type Reader = { userId: string; courtWideId: string | null };
export type ActHit = { act: ActListing; entitled: boolean; snippet: string };
export type ActListing = {
  id: string;
  caseId: string;
  caseNumber: string;
  documentId: string;
  kind: ActKind;
  outcome: ActOutcome;
  date: string;
  articles: string[];
  court: { id: string; nameKk: string; nameRu: string; nameEn: string };
  judge: { id: string; fullName: string };
  indexed: boolean;
};

const CASE_SPAN = 2 ** 32;
const VOLUME_SPAN = 2 ** 16;
/** Matches counted at most; past this the answer says "more than". */
export const COUNT_CAP = 1000;

export class ActsRepository {
  #handle: DbHandle;
  #statements = new Map<string, Statement>();

  constructor(handle: DbHandle) {
    this.#handle = handle;
  }

  /** What marking needs of the case: its court, language, qualification and judge. */
  caseFacts(caseId: string): { courtId: string; language: 'kk' | 'ru'; qualification: Qualification[]; judgeId: string | null } | undefined {
    const { db } = this.#handle;
    const row = db.select({ courtId: cases.courtId, language: cases.language, qualification: cases.qualification }).from(cases).where(eq(cases.id, caseId)).get();
    if (!row) return undefined;
    const judge = db.select({ id: caseStaff.userId }).from(caseStaff).where(and(eq(caseStaff.caseId, caseId), eq(caseStaff.role, 'judge'))).get();
    return { ...row, judgeId: judge?.id ?? null };
  }

  documentInCase(caseId: string, documentId: string): boolean {
    const row = this.#handle.db
      .select({ id: documents.id })
      .from(documents)
      .where(and(eq(documents.id, documentId), eq(documents.caseId, caseId), sql`${documents.sheetFrom} is not null`))
      .get();
    return row !== undefined;
  }

  hearingInCase(caseId: string, hearingId: string): boolean {
    return this.#handle.sqlite.prepare('select 1 from hearings where id = ? and case_id = ?').get(hearingId, caseId) !== undefined;
  }

  byDocument(documentId: string): ActRow | undefined {
    return this.#handle.db.select().from(judicialActs).where(eq(judicialActs.documentId, documentId)).get();
  }

  get(actId: string): ActRow | undefined {
    return this.#handle.db.select().from(judicialActs).where(eq(judicialActs.id, actId)).get();
  }

  /** A new act, or new facts for an act already marked (its text stays indexed). */
  save(row: Omit<ActRow, 'textKey' | 'indexedAt'>): ActRow {
    const { db } = this.#handle;
    return this.#handle.atomically(() => {
      const existing = db.select().from(judicialActs).where(eq(judicialActs.documentId, row.documentId)).get();
      if (existing) {
        const { id: _id, ...facts } = row;
        return db.update(judicialActs).set(facts).where(eq(judicialActs.id, existing.id)).returning().get();
      }
      const next = db.select({ key: sql<number>`coalesce(max(${judicialActs.textKey}), 0) + 1` }).from(judicialActs).get()!.key;
      return db.insert(judicialActs).values({ ...row, textKey: next }).returning().get();
    });
  }

  listForCase(caseId: string): ActListing[] {
    return this.#listing().where(eq(judicialActs.caseId, caseId)).orderBy(asc(judicialActs.actDate)).all().map(toListing);
  }

  listing(actId: string): ActListing | undefined {
    const row = this.#listing().where(eq(judicialActs.id, actId)).get();
    return row ? toListing(row) : undefined;
  }

  #listing() {
    return this.#handle.db
      .select({ act: judicialActs, caseNumber: cases.caseNumber, court: { id: courts.id, nameKk: courts.nameKk, nameRu: courts.nameRu, nameEn: courts.nameEn }, judge: { id: users.id, fullName: users.fullName } })
      .from(judicialActs)
      .innerJoin(cases, eq(cases.id, judicialActs.caseId))
      .innerJoin(courts, eq(courts.id, judicialActs.courtId))
      .innerJoin(users, eq(users.id, judicialActs.judgeId));
  }

  /** Acts whose document's text has been read but that are not in the acts index yet. */
  pending(limit: number): { id: string; textKey: number; caseId: string; documentId: string }[] {
    return this.#handle.db
      .select({ id: judicialActs.id, textKey: judicialActs.textKey, caseId: judicialActs.caseId, documentId: judicialActs.documentId })
      .from(judicialActs)
      .innerJoin(documentText, eq(documentText.documentId, judicialActs.documentId))
      .where(and(isNull(judicialActs.indexedAt), eq(documentText.status, 'indexed')))
      .orderBy(asc(judicialActs.markedAt))
      .limit(limit)
      .all();
  }

  /** The text of a document of the case file: its pages from the case-text index, in order. */
  documentText(documentId: string): string {
    const { db, sqlite } = this.#handle;
    const where = db
      .select({ key: caseTextKeys.key, volume: volumes.number, from: documents.sheetFrom, to: documents.sheetTo })
      .from(documents)
      .innerJoin(volumes, eq(volumes.id, documents.volumeId))
      .innerJoin(caseTextKeys, eq(caseTextKeys.caseId, documents.caseId))
      .where(eq(documents.id, documentId))
      .get();
    if (!where || where.from === null || where.to === null) return '';
    const base = where.key * CASE_SPAN + where.volume * VOLUME_SPAN;
    const pages = sqlite.prepare('select body from case_text where rowid between ? and ? order by rowid').all(base + where.from, base + where.to) as { body: string }[];
    return pages.map((p) => p.body).join('\n');
  }

  participants(caseId: string): Person[] {
    return this.#handle.db
      .select({ fullName: caseParticipants.fullName, iin: caseParticipants.iin, birthDate: caseParticipants.birthDate, phone: caseParticipants.phone, email: caseParticipants.email, address: caseParticipants.address })
      .from(caseParticipants)
      .where(eq(caseParticipants.caseId, caseId))
      .all();
  }

  /** Puts an act's two texts into the index (replacing what was there) and marks it indexed. */
  index(act: { id: string; textKey: number }, body: string, publicBody: string, now: Date): void {
    const { db, sqlite } = this.#handle;
    this.#handle.atomically(() => {
      sqlite.prepare('delete from acts_text where rowid = ?').run(act.textKey);
      sqlite.prepare('insert into acts_text (rowid, body, public_body) values (?, ?, ?)').run(act.textKey, body, publicBody);
      db.update(judicialActs).set({ indexedAt: now }).where(eq(judicialActs.id, act.id)).run();
    });
  }

  /** One of the act's texts as indexed: `body` (as written) or `public_body` (depersonalised). */
  text(textKey: number, column: 'body' | 'public_body'): string | undefined {
    const row = this.#handle.sqlite.prepare(`select ${column} as text from acts_text where rowid = ?`).get(textKey) as { text: string } | undefined;
    return row?.text;
  }

  /**
   * Acts matching `match` (an FTS5 expression without a column filter), newest first: each act
   * matched against the text this reader may see. Returns the page asked for, with snippets, and
   * how many match (counted up to COUNT_CAP).
   */
  search(reader: Reader, match: string, filters: ActFilters, page: { limit: number; offset: number }): { total: number; capped: boolean; hits: ActHit[] } {
    const { where, params } = filterSql(filters);
    const readerParams = { uid: reader.userId, wide: reader.courtWideId ?? '', bodyMatch: `body : (${match})`, publicMatch: `public_body : (${match})` };
    const hits = this.#statement(`hits:${where}`, () => hitsSql(where)).all({ ...params, ...readerParams, limit: page.limit, offset: page.offset }) as { k: number; entitled: number }[];
    const counted = (this.#statement(`count:${where}`, () => `select count(*) as n from (${hitsSql(where, false)} limit ${COUNT_CAP + 1})`).get({ ...params, ...readerParams }) as { n: number }).n;
    const snippet = this.#statement('snippet', () => `select snippet(acts_text, :col, char(1), char(2), '…', 20) as s from acts_text where acts_text match :m and rowid = :k`);
    const listings = new Map(
      hits.length === 0
        ? []
        : this.#listing()
            .where(sql`${judicialActs.textKey} in ${hits.map((h) => h.k)}`)
            .orderBy(desc(judicialActs.textKey))
            .all()
            .map((row) => [row.act.textKey, toListing(row)] as const),
    );
    return {
      total: Math.min(counted, COUNT_CAP),
      capped: counted > COUNT_CAP,
      hits: hits.map((h) => {
        const entitled = h.entitled === 1;
        const s = snippet.get({ col: entitled ? 0 : 1, m: entitled ? readerParams.bodyMatch : readerParams.publicMatch, k: h.k }) as { s: string } | undefined;
        return { act: listings.get(h.k)!, entitled, snippet: s?.s ?? '' };
      }),
    };
  }

  #statement(key: string, make: () => string): Statement {
    let statement = this.#statements.get(key);
    if (!statement) {
      statement = this.#handle.sqlite.prepare(make());
      this.#statements.set(key, statement);
    }
    return statement;
  }
}

/** "Entitled to the act's case": assigned to it, a party with a login, or the court office / chair of its court. */
const ENTITLED = `(a.case_id in (select case_id from case_staff where user_id = :uid)
  or a.case_id in (select case_id from case_participants where user_id = :uid)
  or a.court_id = :wide)`;

function hitsSql(where: string, paged = true): string {
  return `
    select k, entitled from (
      select f.rowid as k, 1 as entitled from acts_text f join judicial_acts a on a.text_key = f.rowid
      where acts_text match :bodyMatch and ${ENTITLED} ${where}
      union all
      select f.rowid as k, 0 as entitled from acts_text f join judicial_acts a on a.text_key = f.rowid
      where acts_text match :publicMatch and not ${ENTITLED} ${where}
    ) order by k desc ${paged ? 'limit :limit offset :offset' : ''}`;
}

function filterSql(filters: ActFilters): { where: string; params: Record<string, string> } {
  const parts: string[] = [];
  const params: Record<string, string> = {};
  if (filters.courtId) (parts.push('a.court_id = :courtId'), (params.courtId = filters.courtId));
  if (filters.judgeId) (parts.push('a.judge_id = :judgeId'), (params.judgeId = filters.judgeId));
  if (filters.article) (parts.push('a.article_keys like :article'), (params.article = `%,${filters.article},%`));
  if (filters.from) (parts.push('a.act_date >= :from'), (params.from = filters.from));
  if (filters.to) (parts.push('a.act_date <= :to'), (params.to = filters.to));
  if (filters.outcome) (parts.push('a.outcome = :outcome'), (params.outcome = filters.outcome));
  if (filters.kind) (parts.push('a.kind = :kind'), (params.kind = filters.kind));
  return { where: parts.map((p) => `and ${p}`).join(' '), params };
}

function toListing(row: { act: ActRow; caseNumber: string; court: ActListing['court']; judge: ActListing['judge'] }): ActListing {
  const { act } = row;
  return {
    id: act.id,
    caseId: act.caseId,
    caseNumber: row.caseNumber,
    documentId: act.documentId,
    kind: act.kind,
    outcome: act.outcome,
    date: act.actDate,
    articles: act.articles,
    court: row.court,
    judge: row.judge,
    indexed: act.indexedAt !== null,
  };
}

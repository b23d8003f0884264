/**
 * Judicial acts in the database: marking (`judicial_acts`, drizzle), and their text in the FTS5
 * table `acts_text` (plain SQL: drizzle cannot describe virtual tables) — `body` as written and
 * `public_body` depersonalised, row id = the act's `text_key`.
 *
 * Searching answers newest act first (descending `text_key`, the order FTS5 reads a doclist in),
 * so a common word stops after the page it needs instead of ranking every match. Who sees which
 * column is decided by the query: acts of cases the reader is entitled to are matched against
 * `body`, all others only against `public_body` — so a name typed by someone not entitled to the
 * case can never find its act, let alone show it.
 *
 * PostgreSQL mapping (docs/acts-search.md): one tsvector column per text ('simple' configuration
 * over the same stems, or 'russian'), a GIN index, `ts_headline` for snippets; the methods stay.
 */
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Statement } from 'better-sqlite3';
import type { DbHandle } from '../../../db/client.ts';
import {
  caseParticipants,
  cases,
  caseStaff,
  caseTextKeys,
  courts,
  documents,
  documentText,
  judicialActs,
  users,
  volumes,
  type ActKind,
  type ActOutcome,
  type Qualification,
} from '../../../db/schema.ts';
import { courtTag, filterExpression, tagsOf } from './act-tags.ts';
import type { Person } from './depersonalise.ts';
import type { ActListing } from '../shared/api/acts.ts';

export type ActRow = typeof judicialActs.$inferSelect;
export type ActFilters = { courtId?: string; judgeId?: string; article?: string; from?: string; to?: string; outcome?: ActOutcome; kind?: ActKind };
/** The reader, as the search query needs them: their own cases, and their court when they see it whole. */
export type Reader = { userId: string; courtWideId: string | null };
export type ActHit = { act: ActListing; entitled: boolean; snippet: string };
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
    const judge = db
      .select({ id: caseStaff.userId })
      .from(caseStaff)
      .where(and(eq(caseStaff.caseId, caseId), eq(caseStaff.role, 'judge')))
      .get();
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

  /** A new act, or new facts for an act already marked (indexed again: its tags change). */
  save(row: Omit<ActRow, 'textKey' | 'indexedAt'>): ActRow {
    const { db } = this.#handle;
    return this.#handle.atomically(() => {
      const existing = db.select().from(judicialActs).where(eq(judicialActs.documentId, row.documentId)).get();
      if (existing) {
        const { id: _id, ...facts } = row;
        return db
          .update(judicialActs)
          .set({ ...facts, indexedAt: null })
          .where(eq(judicialActs.id, existing.id))
          .returning()
          .get();
      }
      const next = db
        .select({ key: sql<number>`coalesce(max(${judicialActs.textKey}), 0) + 1` })
        .from(judicialActs)
        .get()!.key;
      return db
        .insert(judicialActs)
        .values({ ...row, textKey: next })
        .returning()
        .get();
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
      .select({
        act: judicialActs,
        caseNumber: cases.caseNumber,
        court: { id: courts.id, nameKk: courts.nameKk, nameRu: courts.nameRu, nameEn: courts.nameEn },
        judge: { id: users.id, fullName: users.fullName },
      })
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
      .select({
        fullName: caseParticipants.fullName,
        iin: caseParticipants.iin,
        birthDate: caseParticipants.birthDate,
        phone: caseParticipants.phone,
        email: caseParticipants.email,
        address: caseParticipants.address,
      })
      .from(caseParticipants)
      .where(eq(caseParticipants.caseId, caseId))
      .all();
  }

  /** Puts an act's two texts into the index (replacing what was there) and marks it indexed. */
  index(act: { id: string; textKey: number }, body: string, publicBody: string, now: Date): void {
    const { db, sqlite } = this.#handle;
    this.#handle.atomically(() => {
      const facts = db.select().from(judicialActs).where(eq(judicialActs.id, act.id)).get()!;
      sqlite.prepare('delete from acts_text where rowid = ?').run(act.textKey);
      sqlite.prepare('insert into acts_text (rowid, body, public_body, tags) values (?, ?, ?, ?)').run(act.textKey, body, publicBody, tagsOf(facts));
      db.update(judicialActs).set({ indexedAt: now }).where(eq(judicialActs.id, act.id)).run();
    });
  }

  /** One of the act's texts as indexed: `body` (as written) or `public_body` (depersonalised). */
  text(textKey: number, column: 'body' | 'public_body'): string | undefined {
    const row = this.#handle.sqlite.prepare(`select ${column} as text from acts_text where rowid = ?`).get(textKey) as { text: string } | undefined;
    return row?.text;
  }

  /**
   * Acts matching `match` (an FTS5 expression without a column filter), newest first, each matched
   * against the text this reader may see; the page asked for with snippets, and how many match
   * (up to COUNT_CAP). Filters are tokens of the `tags` column (act-tags.ts), so every part is an
   * FTS5 doclist read, never a lookup per match:
   *   public  — every act's depersonalised text;
   *   entitled — the text as written, of the reader's court (court-wide readers, by its tag) and of
   *              the cases they are assigned to or a party in (body matches kept by row id).
   * An act found both ways is the reader's to read as written.
   */
  search(reader: Reader, match: string, filters: ActFilters, page: { limit: number; offset: number }): { total: number; capped: boolean; hits: ActHit[] } {
    const tags = filterExpression(filters);
    const within = (column: 'body' | 'public_body', extra?: string) =>
      [`${column} : (${match})`, ...(tags ? [`tags : (${tags})`] : []), ...(extra ? [`tags : "${extra}"`] : [])].map((p) => `(${p})`).join(' AND ');
    const ids = this.#statement('ids', () => 'select rowid as k from acts_text where acts_text match ? order by rowid desc limit ?');
    const keys = (expression: string, limit: number) => (ids.all(expression, limit) as { k: number }[]).map((r) => r.k);

    const publicKeys = keys(within('public_body'), COUNT_CAP + 1);
    const found = new Set(publicKeys);
    const entitled = new Set<number>();
    if (reader.courtWideId) for (const k of keys(within('body', courtTag(reader.courtWideId)), COUNT_CAP + 1)) entitled.add(k);
    const own = this.#ownKeys(reader.userId, filters);
    if (own.size > 0) {
      // The reader's own acts among the body matches, newest first — down to the oldest public
      // match that can still be on a page (below it, an act only adds to a count already capped).
      const floor = publicKeys.length > COUNT_CAP ? publicKeys[COUNT_CAP] : -1;
      const all = this.#statement('allIds', () => 'select rowid as k from acts_text where acts_text match ? order by rowid desc');
      for (const { k } of all.iterate(within('body')) as Iterable<{ k: number }>) {
        if (k < floor) break;
        if (own.has(k)) entitled.add(k);
      }
    }
    for (const k of entitled) found.add(k);

    const ordered = [...found].sort((a, b) => b - a);
    const pageKeys = ordered.slice(page.offset, page.offset + page.limit);
    const snippets = new Map<number, string>();
    for (const [column, index, group] of [
      ['body', 0, pageKeys.filter((k) => entitled.has(k))],
      ['public_body', 1, pageKeys.filter((k) => !entitled.has(k))],
    ] as const) {
      if (group.length === 0) continue;
      // One pass over the page's range of row ids: FTS5 reads only the rows that match in it.
      const wanted = new Set<number>(group);
      const rows = this.#statement(
        `snippets:${index}`,
        () => `select rowid as k, snippet(acts_text, ${index}, char(1), char(2), '…', 20) as s from acts_text where acts_text match ? and rowid between ? and ?`,
      );
      for (const row of rows.iterate(within(column), Math.min(...group), Math.max(...group)) as Iterable<{ k: number; s: string }>) {
        if (wanted.has(row.k)) snippets.set(row.k, row.s);
      }
    }
    const listings = new Map(
      pageKeys.length === 0
        ? []
        : this.#listing()
            .where(inArray(judicialActs.textKey, pageKeys))
            .all()
            .map((row) => [row.act.textKey, toListing(row)] as const),
    );
    return {
      total: Math.min(ordered.length, COUNT_CAP),
      capped: ordered.length > COUNT_CAP,
      hits: pageKeys.map((k) => ({ act: listings.get(k)!, entitled: entitled.has(k), snippet: snippets.get(k) ?? '' })),
    };
  }

  /**
   * The row ids of the acts of the cases the user is assigned to or a party in, that pass the
   * filters (so a search filtered to another court or judge skips the reader's own acts at once).
   */
  #ownKeys(userId: string, filters: ActFilters): Set<number> {
    const conditions: string[] = [];
    const params: Record<string, string> = { uid: userId };
    const add = (condition: string, name: string, value: string | undefined) => {
      if (!value) return;
      conditions.push(condition);
      params[name] = value;
    };
    add('court_id = :courtId', 'courtId', filters.courtId);
    add('judge_id = :judgeId', 'judgeId', filters.judgeId);
    add('article_keys like :article', 'article', filters.article ? `%,${filters.article},%` : undefined);
    add('act_date >= :from', 'from', filters.from);
    add('act_date <= :to', 'to', filters.to);
    add('outcome = :outcome', 'outcome', filters.outcome);
    add('kind = :kind', 'kind', filters.kind);
    const where = conditions.map((c) => ` and ${c}`).join('');
    const rows = this.#statement(
      `own:${where}`,
      () => `select text_key as k from judicial_acts
             where (case_id in (select case_id from case_staff where user_id = :uid) or case_id in (select case_id from case_participants where user_id = :uid))${where}`,
    ).all(params) as { k: number }[];
    return new Set(rows.map((r) => r.k));
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

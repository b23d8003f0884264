/**
 * Judicial acts in the database (db/database.ts, either dialect): marking (`judicial_acts`,
 * drizzle), and their text in `acts_text` — `body` as written, `public_body` depersonalised and
 * `tags`, the act's facts as tokens (act-tags.ts), keyed by the act's `text_key`. SQLite keeps
 * them in an FTS5 table (plain SQL: drizzle cannot describe virtual tables) searched with MATCH;
 * PostgreSQL in a table with a stored tsvector per text (db/migrations-pg/0001: Russian acts
 * stemmed, Kazakh ones as written, tags as written) searched with tsqueries of the same stems
 * (case-text/full-text.ts) — the same hits, in the same order, with the same marks.
 *
 * Searching answers newest act first (descending `text_key`, the order FTS5 reads a doclist in),
 * so a common word stops after the page it needs instead of ranking every match. Who sees which
 * column is decided by the query: acts of cases the reader is entitled to are matched against
 * `body`, all others only against `public_body` — so a name typed by someone not entitled to the
 * case can never find its act, let alone show it.
 */
import { and, asc, eq, gte, inArray, isNotNull, isNull, like, lte, or, sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../../db/database.ts';
import type { ActKind, ActOutcome, judicialActs, Qualification } from '../../../db/schema.ts';
import { allOf, anyOf, exactTerm, execute, headline, prefixPhrase, prefixTerm, searchConfig, withEllipses } from '../case-text/full-text.ts';
import { courtTag, filterExpression, filterTokens, tagsOf } from './act-tags.ts';
import type { Person } from './depersonalise.ts';
import type { ActsQuery } from './word-forms.ts';
import type { ActListing } from '../shared/api/acts.ts';

export type ActRow = typeof judicialActs.$inferSelect;
export type ActFilters = { courtId?: string; judgeId?: string; article?: string; from?: string; to?: string; outcome?: ActOutcome; kind?: ActKind };
/** The reader, as the search query needs them: their own cases, and their court when they see it whole. */
export type Reader = { userId: string; courtWideId: string | null };
export type ActHit = { act: ActListing; entitled: boolean; snippet: string };
type TextColumn = 'body' | 'public_body';
const CASE_SPAN = 2 ** 32;
const VOLUME_SPAN = 2 ** 16;
/** Matches counted at most; past this the answer says "more than". */
export const COUNT_CAP = 1000;
/** Words around the match in a snippet. */
const SNIPPET_WORDS = 20;
/** The reader's own acts named in one query at most (PostgreSQL's limit on parameters is 65,535). */
const MAX_KEYS_IN_QUERY = 10_000;
/** Key phrases up to this many words are matched in any order on PostgreSQL too (every order spelt out); longer ones as typed. */
const ANY_ORDER_WORDS = 4;

export class ActsRepository {
  #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  /** What marking needs of the case: its court, language, qualification and judge. */
  async caseFacts(caseId: string): Promise<{ courtId: string; language: 'kk' | 'ru'; qualification: Qualification[]; judgeId: string | null } | undefined> {
    const database = this.#database;
    const { cases, caseStaff } = database.tables;
    const [row] = await database.db.select({ courtId: cases.courtId, language: cases.language, qualification: cases.qualification }).from(cases).where(eq(cases.id, caseId));
    if (!row) return undefined;
    const [judge] = await database.db
      .select({ id: caseStaff.userId })
      .from(caseStaff)
      .where(and(eq(caseStaff.caseId, caseId), eq(caseStaff.role, 'judge')))
      .limit(1);
    return { ...row, judgeId: judge?.id ?? null };
  }

  async documentInCase(caseId: string, documentId: string): Promise<boolean> {
    const { documents } = this.#database.tables;
    const rows = await this.#database.db
      .select({ id: documents.id })
      .from(documents)
      .where(and(eq(documents.id, documentId), eq(documents.caseId, caseId), isNotNull(documents.sheetFrom)));
    return rows.length > 0;
  }

  async hearingInCase(caseId: string, hearingId: string): Promise<boolean> {
    const { hearings } = this.#database.tables;
    const rows = await this.#database.db
      .select({ id: hearings.id })
      .from(hearings)
      .where(and(eq(hearings.id, hearingId), eq(hearings.caseId, caseId)));
    return rows.length > 0;
  }

  async byDocument(documentId: string): Promise<ActRow | undefined> {
    const { judicialActs } = this.#database.tables;
    return (await this.#database.db.select().from(judicialActs).where(eq(judicialActs.documentId, documentId)))[0];
  }

  async get(actId: string): Promise<ActRow | undefined> {
    const { judicialActs } = this.#database.tables;
    return (await this.#database.db.select().from(judicialActs).where(eq(judicialActs.id, actId)))[0];
  }

  /** A new act, or new facts for an act already marked (indexed again: its tags change). */
  async save(row: Omit<ActRow, 'textKey' | 'indexedAt'>): Promise<ActRow> {
    const database = this.#database;
    const { judicialActs } = database.tables;
    return database.transaction(async () => {
      // Two nodes marking acts at once would both read the same largest key: one at a time.
      if (database.dialect === 'postgres') await database.rows(sql`select pg_advisory_xact_lock(hashtext('judicial_acts.text_key'))`);
      const [existing] = await database.db.select().from(judicialActs).where(eq(judicialActs.documentId, row.documentId));
      if (existing) {
        const { id: _id, ...facts } = row;
        const [updated] = await database.db
          .update(judicialActs)
          .set({ ...facts, indexedAt: null })
          .where(eq(judicialActs.id, existing.id))
          .returning();
        return updated!;
      }
      const [last] = await database.db.select({ key: sql<number>`coalesce(max(${judicialActs.textKey}), 0) + 1`.mapWith(Number) }).from(judicialActs);
      const [inserted] = await database.db
        .insert(judicialActs)
        .values({ ...row, textKey: last!.key })
        .returning();
      return inserted!;
    });
  }

  async listForCase(caseId: string): Promise<ActListing[]> {
    const { judicialActs } = this.#database.tables;
    const rows = await this.#listing().where(eq(judicialActs.caseId, caseId)).orderBy(asc(judicialActs.actDate), asc(judicialActs.textKey));
    return rows.map(toListing);
  }

  async listing(actId: string): Promise<ActListing | undefined> {
    const { judicialActs } = this.#database.tables;
    const [row] = await this.#listing().where(eq(judicialActs.id, actId));
    return row ? toListing(row) : undefined;
  }

  #listing() {
    const { judicialActs, cases, courts, users } = this.#database.tables;
    return this.#database.db
      .select({
        act: judicialActs,
        caseNumber: cases.caseNumber,
        court: { id: courts.id, nameKk: courts.nameKk, nameRu: courts.nameRu, nameEn: courts.nameEn },
        judge: { id: users.id, fullName: users.fullName },
      })
      .from(judicialActs)
      .innerJoin(cases, eq(cases.id, judicialActs.caseId))
      .innerJoin(courts, eq(courts.id, judicialActs.courtId))
      .innerJoin(users, eq(users.id, judicialActs.judgeId))
      .$dynamic();
  }

  /** Acts whose document's text has been read but that are not in the acts index yet. */
  async pending(limit: number): Promise<{ id: string; textKey: number; caseId: string; documentId: string }[]> {
    const { judicialActs, documentText } = this.#database.tables;
    return this.#database.db
      .select({ id: judicialActs.id, textKey: judicialActs.textKey, caseId: judicialActs.caseId, documentId: judicialActs.documentId })
      .from(judicialActs)
      .innerJoin(documentText, eq(documentText.documentId, judicialActs.documentId))
      .where(and(isNull(judicialActs.indexedAt), eq(documentText.status, 'indexed')))
      .orderBy(asc(judicialActs.markedAt), asc(judicialActs.textKey))
      .limit(limit);
  }

  /** The text of a document of the case file: its pages from the case-text index, in order. */
  async documentText(documentId: string): Promise<string> {
    const database = this.#database;
    const { documents, volumes, caseTextKeys } = database.tables;
    const [where] = await database.db
      .select({ key: caseTextKeys.key, volume: volumes.number, from: documents.sheetFrom, to: documents.sheetTo })
      .from(documents)
      .innerJoin(volumes, eq(volumes.id, documents.volumeId))
      .innerJoin(caseTextKeys, eq(caseTextKeys.caseId, documents.caseId))
      .where(eq(documents.id, documentId));
    if (!where || where.from === null || where.to === null) return '';
    const base = where.key * CASE_SPAN + where.volume * VOLUME_SPAN;
    const [first, last] = [base + where.from, base + where.to];
    const pages = await database.rows<{ body: string }>(
      database.dialect === 'postgres'
        ? sql`select body from case_text where id between ${first} and ${last} order by id`
        : sql`select body from case_text where rowid between ${first} and ${last} order by rowid`,
    );
    return pages.map((p) => p.body).join('\n');
  }

  async participants(caseId: string): Promise<Person[]> {
    const { caseParticipants } = this.#database.tables;
    return this.#database.db
      .select({
        fullName: caseParticipants.fullName,
        iin: caseParticipants.iin,
        birthDate: caseParticipants.birthDate,
        phone: caseParticipants.phone,
        email: caseParticipants.email,
        address: caseParticipants.address,
      })
      .from(caseParticipants)
      .where(eq(caseParticipants.caseId, caseId));
  }

  /**
   * Puts an act's two texts into the index (replacing what was there) and marks it indexed.
   * `language`, the case's, picks PostgreSQL's text configuration (SQLite has one for all).
   */
  async index(act: { id: string; textKey: number }, texts: { body: string; publicBody: string; language: 'kk' | 'ru' }, now: Date): Promise<void> {
    const database = this.#database;
    const { judicialActs } = database.tables;
    const { body, publicBody, language } = texts;
    await database.transaction(async () => {
      const [facts] = await database.db.select().from(judicialActs).where(eq(judicialActs.id, act.id));
      if (!facts) return;
      const tags = tagsOf(facts);
      if (database.dialect === 'postgres') {
        // An upsert, not delete-then-insert: a node marking an act and the leader's sweep may index it at the same moment.
        await execute(
          database,
          sql`insert into acts_text (text_key, language, body, public_body, tags) values (${act.textKey}, ${language}, ${body}, ${publicBody}, ${tags})
              on conflict (text_key) do update set language = excluded.language, body = excluded.body, public_body = excluded.public_body, tags = excluded.tags`,
        );
      } else {
        await execute(database, sql`delete from acts_text where rowid = ${act.textKey}`);
        await execute(database, sql`insert into acts_text (rowid, body, public_body, tags) values (${act.textKey}, ${body}, ${publicBody}, ${tags})`);
      }
      await database.db.update(judicialActs).set({ indexedAt: now }).where(eq(judicialActs.id, act.id));
    });
  }

  /** One of the act's texts as indexed: `body` (as written) or `public_body` (depersonalised). */
  async text(textKey: number, column: TextColumn): Promise<string | undefined> {
    const database = this.#database;
    const key = database.dialect === 'postgres' ? sql`text_key` : sql`rowid`;
    const [row] = await database.rows<{ text: string }>(sql`select ${sql.raw(column)} as text from acts_text where ${key} = ${textKey}`);
    return row?.text;
  }

  /**
   * Acts matching `query`, newest first, each matched against the text this reader may see; the
   * page asked for with snippets, and how many match (up to COUNT_CAP). Filters are tokens of the
   * `tags` column (act-tags.ts), so every part is an index read, never a lookup per match:
   *   public  — every act's depersonalised text;
   *   entitled — the text as written, of the reader's court (court-wide readers, by its tag) and of
   *              the cases they are assigned to or a party in (body matches kept by key).
   * An act found both ways is the reader's to read as written.
   */
  async search(reader: Reader, query: ActsQuery, filters: ActFilters, page: { limit: number; offset: number }): Promise<{ total: number; capped: boolean; hits: ActHit[] }> {
    const text = this.#database.dialect === 'postgres' ? postgresText(query, filters) : sqliteText(query, filters);
    const keysOf = async (condition: SQL, limit?: number) => (await this.#database.rows<{ k: number | string }>(text.keys(condition, limit))).map((r) => Number(r.k));

    const publicKeys = await keysOf(text.within('public_body'), COUNT_CAP + 1);
    const found = new Set(publicKeys);
    const entitled = new Set<number>();
    if (reader.courtWideId) for (const k of await keysOf(text.within('body', courtTag(reader.courtWideId)), COUNT_CAP + 1)) entitled.add(k);
    const own = await this.#ownKeys(reader.userId, filters);
    if (own.size > 0) {
      // The reader's own acts among the body matches, newest first — down to the oldest public
      // match that can still be on a page (below it, an act only adds to a count already capped).
      const floor = publicKeys.length > COUNT_CAP ? publicKeys[COUNT_CAP]! : -1;
      // PostgreSQL is handed the reader's keys (a court's judge has hundreds, not the whole index's matches
      // to send back); FTS5 reads its doclist above the floor, faster than a lookup per key.
      const ownOnly =
        this.#database.dialect === 'postgres' && own.size <= MAX_KEYS_IN_QUERY
          ? sql` and text_key in (${sql.join(
              [...own].map((k) => sql`${k}`),
              sql`, `,
            )})`
          : sql``;
      for (const k of await keysOf(sql`${text.within('body')} and ${text.key} >= ${floor}${ownOnly}`)) if (own.has(k)) entitled.add(k);
    }
    for (const k of entitled) found.add(k);

    const ordered = [...found].sort((a, b) => b - a);
    const pageKeys = ordered.slice(page.offset, page.offset + page.limit);
    const snippets = new Map<number, string>();
    for (const [column, group] of [
      ['body', pageKeys.filter((k) => entitled.has(k))],
      ['public_body', pageKeys.filter((k) => !entitled.has(k))],
    ] as const) {
      if (group.length === 0) continue;
      const wanted = new Set<number>(group);
      for (const row of await this.#database.rows<{ k: number | string; s: string; at?: number; length?: number }>(text.snippets(column, group))) {
        const k = Number(row.k);
        if (wanted.has(k)) snippets.set(k, row.at === undefined ? row.s : withEllipses(row.s, row.at, row.length!));
      }
    }
    const { judicialActs } = this.#database.tables;
    const listings = new Map(pageKeys.length === 0 ? [] : (await this.#listing().where(inArray(judicialActs.textKey, pageKeys))).map((row) => [row.act.textKey, toListing(row)] as const));
    return {
      total: Math.min(ordered.length, COUNT_CAP),
      capped: ordered.length > COUNT_CAP,
      hits: pageKeys.map((k) => ({ act: listings.get(k)!, entitled: entitled.has(k), snippet: snippets.get(k) ?? '' })),
    };
  }

  /**
   * The keys of the acts of the cases the user is assigned to or a party in, that pass the
   * filters (so a search filtered to another court or judge skips the reader's own acts at once).
   */
  async #ownKeys(userId: string, filters: ActFilters): Promise<Set<number>> {
    const database = this.#database;
    const { judicialActs, caseStaff, caseParticipants } = database.tables;
    const conditions: (SQL | undefined)[] = [
      or(
        inArray(judicialActs.caseId, database.db.select({ id: caseStaff.caseId }).from(caseStaff).where(eq(caseStaff.userId, userId))),
        inArray(judicialActs.caseId, database.db.select({ id: caseParticipants.caseId }).from(caseParticipants).where(eq(caseParticipants.userId, userId))),
      ),
      filters.courtId ? eq(judicialActs.courtId, filters.courtId) : undefined,
      filters.judgeId ? eq(judicialActs.judgeId, filters.judgeId) : undefined,
      filters.article ? like(judicialActs.articleKeys, `%,${filters.article},%`) : undefined,
      filters.from ? gte(judicialActs.actDate, filters.from) : undefined,
      filters.to ? lte(judicialActs.actDate, filters.to) : undefined,
      filters.outcome ? eq(judicialActs.outcome, filters.outcome) : undefined,
      filters.kind ? eq(judicialActs.kind, filters.kind) : undefined,
    ];
    const rows = await database.db
      .select({ k: judicialActs.textKey })
      .from(judicialActs)
      .where(and(...conditions));
    return new Set(rows.map((r) => r.k));
  }
}

/** The hand-written parts of a search, in one dialect. */
type TextQueries = {
  /** The key column. */
  key: SQL;
  /** The condition that an act's `column` matches the words (and the filters, and a tag more). */
  within(column: TextColumn, extraTag?: string): SQL;
  /** The keys of acts meeting `condition`, newest first. */
  keys(condition: SQL, limit?: number): SQL;
  /** Snippets of `column` for these keys. */
  snippets(column: TextColumn, keys: number[]): SQL;
};

/** FTS5: one MATCH expression, column filters inside it; snippets by one pass over the keys' range. */
function sqliteText(query: ActsQuery, filters: ActFilters): TextQueries {
  const tags = filterExpression(filters);
  const expression = (column: TextColumn, extra?: string) =>
    [`${column} : (${query.match})`, ...(tags ? [`tags : (${tags})`] : []), ...(extra ? [`tags : "${extra}"`] : [])].map((p) => `(${p})`).join(' AND ');
  return {
    key: sql`rowid`,
    within: (column, extra) => sql`acts_text match ${expression(column, extra)}`,
    keys: (condition, limit) => sql`select rowid as k from acts_text where ${condition} order by rowid desc${limit === undefined ? sql`` : sql` limit ${limit}`}`,
    // One pass over the page's range of row ids: FTS5 reads only the rows that match in it.
    snippets: (column, keys) =>
      sql`select rowid as k, snippet(acts_text, ${sql.raw(column === 'body' ? '0' : '1')}, char(1), char(2), '…', ${sql.raw(String(SNIPPET_WORDS))}) as s from acts_text
          where acts_text match ${expression(column)} and rowid between ${Math.min(...keys)} and ${Math.max(...keys)}`,
  };
}

/**
 * tsvector: each text column matched in its act's language — the words' stems through that
 * language's configuration (full-text.ts), OR-ed over the two languages so each side can use its
 * GIN index — and the filters as whole tags.
 */
function postgresText(query: ActsQuery, filters: ActFilters): TextQueries {
  const words = (config: SQL) => allOf(query.parts.map((part) => (part.length === 1 ? prefixTerm(config, part[0]!) : anyOf(orders(part).map((order) => prefixPhrase(config, order))))));
  const [russian, kazakh] = [words(searchConfig('ru')), words(searchConfig('kk'))];
  const vector = (column: TextColumn) => sql.raw(`${column}_tsv`);
  const tagQuery = filterTokens(filters).map((group) => anyOf(group.map(exactTerm)));
  const within = (column: TextColumn, extra?: string) => {
    const tags = [...tagQuery, ...(extra ? [exactTerm(extra)] : [])];
    const text = sql`((${vector(column)} @@ ${russian} and language = 'ru') or (${vector(column)} @@ ${kazakh} and language <> 'ru'))`;
    return tags.length === 0 ? text : sql`${text} and tags_tsv @@ ${allOf(tags)}`;
  };
  return {
    key: sql`text_key`,
    within,
    keys: (condition, limit) => sql`select text_key as k from acts_text where ${condition} order by text_key desc${limit === undefined ? sql`` : sql` limit ${limit}`}`,
    snippets: (column, keys) =>
      sql`select text_key as k, hl.h as s, strpos(${sql.raw(column)}, replace(replace(hl.h, chr(1), ''), chr(2), '')) as at, length(${sql.raw(column)}) as length
          from acts_text
          cross join lateral (select ${headline(sql`ezal_search_config(language)`, sql.raw(column), sql`(case when language = 'ru' then ${russian} else ${kazakh} end)`, SNIPPET_WORDS)} as h) hl
          where text_key in (${sql.join(
            keys.map((k) => sql`${k}`),
            sql`, `,
          )})`,
  };
}

/** The orders a key phrase's words are matched in: any order up to ANY_ORDER_WORDS words, else as typed. */
function orders(words: string[]): string[][] {
  if (words.length > ANY_ORDER_WORDS) return [words];
  if (words.length <= 1) return [words];
  return words.flatMap((word, i) => orders([...words.slice(0, i), ...words.slice(i + 1)]).map((rest) => [word, ...rest]));
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

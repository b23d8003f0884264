/**
 * The text of the case file in the database: which PDF documents still wait for their text, the
 * pages' text, and searching it — on either dialect (db/database.ts). SQLite keeps the pages in
 * the FTS5 table `case_text` (plain SQL: drizzle cannot describe virtual tables) and searches it
 * with MATCH; PostgreSQL keeps them in a table of its own with a stored tsvector in the case's
 * language (db/migrations-pg/0001) and searches it with a tsquery of the same terms (full-text.ts).
 *
 * A page's row id is key × 2^32 + volume × 2^16 + sheet, with the case's key from
 * `case_text_keys`: the pages of a case are one range of ids in case-file order, so a search of
 * one case seeks to its range and reads its matches already sorted, however large the index.
 */
import { and, asc, count, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../../db/database.ts';
import type { TextCoverage } from '../shared/api/case-search.ts';
import { allOf, execute, headline, prefixTerm, searchConfig, withEllipses } from './full-text.ts';
import type { SearchQuery } from './search-text.ts';

export type PendingDocument = { documentId: string; caseId: string; sha256: string; volume: number; sheetFrom: number; sheetTo: number };

/** What reading one document's text came to: its pages' text, or why there is none. */
export type ExtractedText = PendingDocument & ({ ok: true; pages: string[] } | { ok: false; error: string });

/** One page that matches: where it is, and the snippet with the matches between \u0001 and \u0002. */
export type PageMatch = { documentId: string; page: number; volume: number; sheet: number; snippet: string };

const CASE_SPAN = 2 ** 32;
const VOLUME_SPAN = 2 ** 16;
/** Words around the match in a snippet. */
const SNIPPET_WORDS = 14;

/** The row id of a sheet of a case (see above). Volumes and sheets stay below 65,536. */
function rowId(key: number, volume: number, sheet: number): number {
  return key * CASE_SPAN + volume * VOLUME_SPAN + sheet;
}

export class CaseTextRepository {
  #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  /** Documents whose file is a PDF with sheets, the only ones with text to index. */
  #hasText() {
    const { documents } = this.#database.tables;
    return and(inArray(documents.kind, ['pdf', 'electronic']), isNotNull(documents.sheetFrom), isNotNull(documents.sheetTo));
  }

  /** PDF documents with no text yet, oldest case first and in inventory order. */
  async pending(limit: number): Promise<PendingDocument[]> {
    const { db, tables } = this.#database;
    const { documents, cases, volumes, documentText } = tables;
    return db
      .select({
        documentId: documents.id,
        caseId: documents.caseId,
        sha256: documents.fileSha256,
        volume: volumes.number,
        sheetFrom: sql<number>`${documents.sheetFrom}`,
        sheetTo: sql<number>`${documents.sheetTo}`,
      })
      .from(documents)
      .innerJoin(cases, eq(cases.id, documents.caseId))
      .innerJoin(volumes, eq(volumes.id, documents.volumeId))
      .leftJoin(documentText, eq(documentText.documentId, documents.id))
      .where(and(isNull(documentText.documentId), this.#hasText()))
      .orderBy(asc(cases.receivedAt), asc(cases.id), asc(volumes.number), asc(documents.position))
      .limit(limit);
  }

  /** Writes the text of several documents in one transaction (one flush to disk, not one each). */
  async save(results: ExtractedText[], now: Date = new Date()): Promise<void> {
    const database = this.#database;
    const { documentText } = database.tables;
    const postgres = database.dialect === 'postgres';
    await database.transaction(async () => {
      for (const result of results) {
        const { key, language } = (await this.#caseKey(result.caseId, true))!;
        const [first, last] = [rowId(key, result.volume, result.sheetFrom), rowId(key, result.volume, result.sheetTo)];
        await execute(database, postgres ? sql`delete from case_text where id between ${first} and ${last}` : sql`delete from case_text where rowid between ${first} and ${last}`);
        let pagesWithText = 0;
        if (result.ok) {
          // A PDF has as many pages as the document has sheets (checked at intake); none beyond.
          const pages = result.pages
            .slice(0, result.sheetTo - result.sheetFrom + 1)
            .map((body, index) => ({ id: rowId(key, result.volume, result.sheetFrom + index), body, page: index + 1 }))
            .filter((page) => page.body.length > 0);
          pagesWithText = pages.length;
          // Some pages to a statement: one statement per document, within SQLite's limit on parameters.
          for (let i = 0; i < pages.length; i += 200) {
            const values = pages
              .slice(i, i + 200)
              .map((page) => (postgres ? sql`(${page.id}, ${result.documentId}, ${page.page}, ${language}, ${page.body})` : sql`(${page.id}, ${result.documentId}, ${page.page}, ${page.body})`));
            await execute(
              database,
              postgres
                ? sql`insert into case_text (id, document_id, page, language, body) values ${sql.join(values, sql`, `)}`
                : sql`insert into case_text (rowid, document_id, page, body) values ${sql.join(values, sql`, `)}`,
            );
          }
        }
        const row = {
          caseId: result.caseId,
          status: result.ok ? ('indexed' as const) : ('failed' as const),
          pagesWithText,
          error: result.ok ? null : result.error.slice(0, 500),
          indexedAt: now,
        };
        await database.db
          .insert(documentText)
          .values({ documentId: result.documentId, ...row })
          .onConflictDoUpdate({ target: documentText.documentId, set: row });
      }
    });
  }

  async coverage(caseId: string): Promise<TextCoverage> {
    const { db, tables } = this.#database;
    const { documents, documentText } = tables;
    const [all] = await db
      .select({ n: count() })
      .from(documents)
      .where(and(eq(documents.caseId, caseId), this.#hasText()));
    const done = await db.select({ status: documentText.status, n: count() }).from(documentText).where(eq(documentText.caseId, caseId)).groupBy(documentText.status);
    const of = (status: string) => done.find((row) => row.status === status)?.n ?? 0;
    return { documents: all?.n ?? 0, indexed: of('indexed'), failed: of('failed') };
  }

  /** Pages of the case matching the query, in case-file order, and how many match in all. */
  async search(caseId: string, query: SearchQuery, limit: number, offset: number): Promise<{ total: number; matches: PageMatch[] }> {
    const found = await this.#caseKey(caseId, false);
    if (found === undefined) return { total: 0, matches: [] };
    const [from, to] = [found.key * CASE_SPAN, (found.key + 1) * CASE_SPAN - 1];
    const database = this.#database;
    type Row = { id: number | string; documentId: string; page: number; snippet: string; at?: number; length?: number };
    let total: number;
    let rows: Row[];
    if (database.dialect === 'postgres') {
      const config = searchConfig(found.language);
      const tsquery = allOf(query.terms.map((term) => prefixTerm(config, term)));
      const [counted] = await database.rows<{ n: string }>(sql`select count(*) as n from case_text where id between ${from} and ${to} and body_tsv @@ ${tsquery}`);
      total = Number(counted!.n);
      if (total === 0 || offset >= total) return { total, matches: [] };
      // The page first, then a headline for each of its rows only.
      rows = (
        await database.rows<Row & { at: number; length: number }>(sql`
          select t.id, t.document_id as "documentId", t.page, hl.h as snippet,
            strpos(t.body, replace(replace(hl.h, chr(1), ''), chr(2), '')) as at, length(t.body) as length
          from (select id, document_id, page, body from case_text where id between ${from} and ${to} and body_tsv @@ ${tsquery} order by id limit ${limit} offset ${offset}) t
          cross join lateral (select ${headline(config, sql`t.body`, tsquery, SNIPPET_WORDS)} as h) hl
          order by t.id`)
      ).map((row) => ({ ...row, snippet: withEllipses(row.snippet, row.at, row.length) }));
    } else {
      const [counted] = await database.rows<{ n: number }>(sql`select count(*) as n from case_text where case_text match ${query.match} and rowid between ${from} and ${to}`);
      total = counted!.n;
      if (total === 0 || offset >= total) return { total, matches: [] };
      rows = await database.rows<Row>(sql`
        select rowid as id, document_id as documentId, page, snippet(case_text, 0, char(1), char(2), '…', ${sql.raw(String(SNIPPET_WORDS))}) as snippet
        from case_text
        where case_text match ${query.match} and rowid between ${from} and ${to}
        order by rowid
        limit ${limit} offset ${offset}`);
    }
    return {
      total,
      matches: rows.map(({ id, documentId, page, snippet }) => ({ documentId, page, snippet, volume: Math.floor(Number(id) / VOLUME_SPAN) % VOLUME_SPAN, sheet: Number(id) % VOLUME_SPAN })),
    };
  }

  /** The case's key in the index, and its language; the key is made on first use when `create`. */
  async #caseKey(caseId: string, create: boolean): Promise<{ key: number; language: string } | undefined> {
    const { db, tables } = this.#database;
    const { caseTextKeys, cases } = tables;
    const [found] = await db.select({ key: caseTextKeys.key, language: cases.language }).from(caseTextKeys).innerJoin(cases, eq(cases.id, caseTextKeys.caseId)).where(eq(caseTextKeys.caseId, caseId));
    if (found || !create) return found;
    const [made] = await db.insert(caseTextKeys).values({ caseId }).returning({ key: caseTextKeys.key });
    const [facts] = await db.select({ language: cases.language }).from(cases).where(eq(cases.id, caseId));
    return { key: made!.key, language: facts?.language ?? 'ru' };
  }
}

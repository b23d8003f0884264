/**
 * The text of the case file in the database: which PDF documents still wait for their text, the
 * pages' text (the FTS5 table `case_text`, in plain SQL since drizzle cannot describe virtual
 * tables), and searching it. FTS5 is SQLite's; a PostgreSQL installation would put a tsvector
 * behind the same methods.
 *
 * A page's row id is key × 2^32 + volume × 2^16 + sheet, with the case's key from
 * `case_text_keys`: the pages of a case are one range of ids in case-file order, so a search of
 * one case seeks to its range and reads its matches already sorted, however large the index.
 */
import { and, asc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Statement } from 'better-sqlite3';
import type { DbHandle } from '../../../db/client.ts';
import { cases, caseTextKeys, documents, documentText, volumes } from '../../../db/schema.ts';
import type { TextCoverage } from '../shared/api/case-search.ts';

export type PendingDocument = { documentId: string; caseId: string; sha256: string; volume: number; sheetFrom: number; sheetTo: number };

/** What reading one document's text came to: its pages' text, or why there is none. */
export type ExtractedText = PendingDocument & ({ ok: true; pages: string[] } | { ok: false; error: string });

/** One page that matches: where it is, and the snippet with the matches between \u0001 and \u0002. */
export type PageMatch = { documentId: string; page: number; volume: number; sheet: number; snippet: string };

const CASE_SPAN = 2 ** 32;
const VOLUME_SPAN = 2 ** 16;

/** The row id of a sheet of a case (see above). Volumes and sheets stay below 65,536. */
function rowId(key: number, volume: number, sheet: number): number {
  return key * CASE_SPAN + volume * VOLUME_SPAN + sheet;
}

/** Documents whose file is a PDF with sheets, the only ones with text to index. */
const HAS_TEXT = and(inArray(documents.kind, ['pdf', 'electronic']), isNotNull(documents.sheetFrom), isNotNull(documents.sheetTo));

export class CaseTextRepository {
  #handle: DbHandle;
  #insertPage: Statement;
  #deletePages: Statement;
  #count: Statement;
  #matches: Statement;

  constructor(handle: DbHandle) {
    this.#handle = handle;
    const { sqlite } = handle;
    this.#insertPage = sqlite.prepare('insert into case_text (rowid, body, document_id, page) values (?, ?, ?, ?)');
    this.#deletePages = sqlite.prepare('delete from case_text where rowid between ? and ?');
    this.#count = sqlite.prepare('select count(*) as n from case_text where case_text match ? and rowid between ? and ?');
    this.#matches = sqlite.prepare(`
      select rowid as id, document_id as documentId, page, snippet(case_text, 0, char(1), char(2), '…', 14) as snippet
      from case_text
      where case_text match ? and rowid between ? and ?
      order by rowid
      limit ? offset ?`);
  }

  /** PDF documents with no text yet, oldest case first and in inventory order. */
  pending(limit: number): PendingDocument[] {
    return this.#handle.db
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
      .where(and(isNull(documentText.documentId), HAS_TEXT))
      .orderBy(asc(cases.receivedAt), asc(cases.id), asc(volumes.number), asc(documents.position))
      .limit(limit)
      .all();
  }

  /** Writes the text of several documents in one transaction (one flush to disk, not one each). */
  save(results: ExtractedText[], now: Date = new Date()): void {
    const { db } = this.#handle;
    this.#handle.atomically(() => {
      for (const result of results) {
        const key = this.#keyOf(result.caseId, true)!;
        this.#deletePages.run(rowId(key, result.volume, result.sheetFrom), rowId(key, result.volume, result.sheetTo));
        let pagesWithText = 0;
        if (result.ok) {
          // A PDF has as many pages as the document has sheets (checked at intake); none beyond.
          const pages = result.pages.slice(0, result.sheetTo - result.sheetFrom + 1);
          pages.forEach((body, index) => {
            if (body.length === 0) return;
            this.#insertPage.run(rowId(key, result.volume, result.sheetFrom + index), body, result.documentId, index + 1);
            pagesWithText++;
          });
        }
        const row = {
          caseId: result.caseId,
          status: result.ok ? ('indexed' as const) : ('failed' as const),
          pagesWithText,
          error: result.ok ? null : result.error.slice(0, 500),
          indexedAt: now,
        };
        db.insert(documentText)
          .values({ documentId: result.documentId, ...row })
          .onConflictDoUpdate({ target: documentText.documentId, set: row })
          .run();
      }
    });
  }

  coverage(caseId: string): TextCoverage {
    const { db } = this.#handle;
    const all = db
      .select({ n: sql<number>`count(*)` })
      .from(documents)
      .where(and(eq(documents.caseId, caseId), HAS_TEXT))
      .get();
    const done = db
      .select({ status: documentText.status, n: sql<number>`count(*)` })
      .from(documentText)
      .where(eq(documentText.caseId, caseId))
      .groupBy(documentText.status)
      .all();
    const of = (status: string) => done.find((row) => row.status === status)?.n ?? 0;
    return { documents: all?.n ?? 0, indexed: of('indexed'), failed: of('failed') };
  }

  /** Pages of the case matching the FTS5 expression, in case-file order, and how many match in all. */
  search(caseId: string, match: string, limit: number, offset: number): { total: number; matches: PageMatch[] } {
    const key = this.#keyOf(caseId, false);
    if (key === undefined) return { total: 0, matches: [] };
    const range = [key * CASE_SPAN, (key + 1) * CASE_SPAN - 1];
    const total = (this.#count.get(match, ...range) as { n: number }).n;
    if (total === 0 || offset >= total) return { total, matches: [] };
    const rows = this.#matches.all(match, ...range, limit, offset) as { id: number; documentId: string; page: number; snippet: string }[];
    return {
      total,
      matches: rows.map(({ id, ...row }) => ({ ...row, volume: Math.floor(id / VOLUME_SPAN) % VOLUME_SPAN, sheet: id % VOLUME_SPAN })),
    };
  }

  /** The case's key in the index; made on first use when `create`. */
  #keyOf(caseId: string, create: boolean): number | undefined {
    const { db } = this.#handle;
    const found = db.select({ key: caseTextKeys.key }).from(caseTextKeys).where(eq(caseTextKeys.caseId, caseId)).get();
    if (found || !create) return found?.key;
    return db.insert(caseTextKeys).values({ caseId }).returning({ key: caseTextKeys.key }).get().key;
  }
}

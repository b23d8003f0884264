/**
 * The text of the case file in the database: which PDF documents still wait for their text, the
 * pages' text (the FTS5 table `case_text`, in plain SQL since drizzle cannot describe virtual
 * tables), and searching it. FTS5 is SQLite's; a PostgreSQL installation would put a tsvector
 * behind the same methods.
 */
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Statement } from 'better-sqlite3';
import type { DbHandle } from '../../../db/client.ts';
import { cases, documents, documentText, volumes } from '../../../db/schema.ts';

export type PendingDocument = { documentId: string; caseId: string; sha256: string };

/** What reading one document's text came to: its pages' text, or why there is none. */
export type ExtractedText = PendingDocument & ({ ok: true; pages: string[] } | { ok: false; error: string });

export type TextCoverage = { documents: number; indexed: number; failed: number };

/** One page that matches: where it is, and the snippet with the matches between \u0001 and \u0002. */
export type PageMatch = { documentId: string; page: number; volume: number; sheet: number; snippet: string };

/** Documents whose file is a PDF, the only ones with text. */
const HAS_TEXT = inArray(documents.kind, ['pdf', 'electronic']);

export class CaseTextRepository {
  #handle: DbHandle;
  #insertPage: Statement;
  #deletePages: Statement;
  #count: Statement;
  #matches: Statement;
  #snippets: Statement;

  constructor(handle: DbHandle) {
    this.#handle = handle;
    const { sqlite } = handle;
    this.#insertPage = sqlite.prepare('insert into case_text (body, case_id, document_id, page) values (?, ?, ?, ?)');
    this.#deletePages = sqlite.prepare('delete from case_text where document_id = ?');
    this.#count = sqlite.prepare('select count(*) as n from case_text where case_text match ? and case_id = ?');
    // Sorted in case-file order; snippets are made afterwards for the rows shown only, since
    // making one for every match of a common word would cost more than the search itself.
    this.#matches = sqlite.prepare(`
      select t.rowid as id, t.document_id as documentId, t.page as page, v.number as volume, d.sheet_from + t.page - 1 as sheet
      from case_text t
      join documents d on d.id = t.document_id
      join volumes v on v.id = d.volume_id
      where case_text match ? and t.case_id = ?
      order by v.number, sheet
      limit ? offset ?`);
    this.#snippets = sqlite.prepare(`
      select rowid as id, snippet(case_text, 0, char(1), char(2), '…', 14) as snippet
      from case_text
      where case_text match ? and rowid in (select value from json_each(?))`);
  }

  /** PDF documents with no text yet, oldest case first and in inventory order. */
  pending(limit: number): PendingDocument[] {
    return this.#handle.db
      .select({ documentId: documents.id, caseId: documents.caseId, sha256: documents.fileSha256 })
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
        this.#deletePages.run(result.documentId);
        let pagesWithText = 0;
        if (result.ok) {
          result.pages.forEach((body, index) => {
            if (body.length === 0) return;
            this.#insertPage.run(body, result.caseId, result.documentId, index + 1);
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
    const all = db.select({ n: sql<number>`count(*)` }).from(documents).where(and(eq(documents.caseId, caseId), HAS_TEXT)).get();
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
    const total = (this.#count.get(match, caseId) as { n: number }).n;
    if (total === 0 || offset >= total) return { total, matches: [] };
    const rows = this.#matches.all(match, caseId, limit, offset) as (Omit<PageMatch, 'snippet'> & { id: number })[];
    const snippets = new Map(
      (this.#snippets.all(match, JSON.stringify(rows.map((row) => row.id))) as { id: number; snippet: string }[]).map((s) => [s.id, s.snippet]),
    );
    return { total, matches: rows.map(({ id, ...row }) => ({ ...row, snippet: snippets.get(id) ?? '' })) };
  }
}

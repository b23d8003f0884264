/** Private notes in the database: always read and written for one owner in one case. */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { caseNotes, documents, volumes, type PageRegion } from '../../../db/schema.ts';

export type NoteRow = {
  id: string;
  documentId: string;
  page: number;
  region: PageRegion | null;
  text: string;
  createdAt: Date;
  updatedAt: Date;
  volume: number;
  sheetFrom: number | null;
};

const columns = {
  id: caseNotes.id,
  documentId: caseNotes.documentId,
  page: caseNotes.page,
  region: caseNotes.region,
  text: caseNotes.text,
  createdAt: caseNotes.createdAt,
  updatedAt: caseNotes.updatedAt,
  volume: volumes.number,
  sheetFrom: documents.sheetFrom,
};

export class NotesRepository {
  #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** The owner's notes on the case, in case-file order, then oldest first. */
  list(caseId: string, userId: string): NoteRow[] {
    return this.#db
      .select(columns)
      .from(caseNotes)
      .innerJoin(documents, eq(documents.id, caseNotes.documentId))
      .innerJoin(volumes, eq(volumes.id, documents.volumeId))
      .where(and(eq(caseNotes.caseId, caseId), eq(caseNotes.userId, userId)))
      .orderBy(asc(volumes.number), asc(documents.position), asc(caseNotes.page), asc(caseNotes.createdAt))
      .all();
  }

  get(caseId: string, noteId: string): (NoteRow & { userId: string }) | undefined {
    return this.#db
      .select({ ...columns, userId: caseNotes.userId })
      .from(caseNotes)
      .innerJoin(documents, eq(documents.id, caseNotes.documentId))
      .innerJoin(volumes, eq(volumes.id, documents.volumeId))
      .where(and(eq(caseNotes.caseId, caseId), eq(caseNotes.id, noteId)))
      .get();
  }

  /** A document of the case that has pages (a PDF), with how many. */
  pagedDocument(caseId: string, documentId: string): { pages: number } | undefined {
    const row = this.#db
      .select({ pages: documents.pages })
      .from(documents)
      .where(and(eq(documents.caseId, caseId), eq(documents.id, documentId), inArray(documents.kind, ['pdf', 'electronic'])))
      .get();
    return row?.pages ? { pages: row.pages } : undefined;
  }

  insert(note: { id: string; caseId: string; userId: string; documentId: string; page: number; region: PageRegion | null; text: string; at: Date }): void {
    const { at, ...values } = note;
    this.#db
      .insert(caseNotes)
      .values({ ...values, createdAt: at, updatedAt: at })
      .run();
  }

  update(noteId: string, change: { text?: string; region?: PageRegion | null; at: Date }): void {
    const { at, ...values } = change;
    this.#db
      .update(caseNotes)
      .set({ ...values, updatedAt: at })
      .where(eq(caseNotes.id, noteId))
      .run();
  }

  delete(noteId: string): void {
    this.#db.delete(caseNotes).where(eq(caseNotes.id, noteId)).run();
  }
}

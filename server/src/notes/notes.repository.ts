/** Private notes in the database, on either dialect (db/database.ts): always read and written for one owner in one case. */
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Tables } from '../../../db/database.ts';
import { Repository } from '../../../db/repository.ts';
import type { PageRegion } from '../../../db/schema.ts';

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

/** A note's columns with its document's place in the case file. */
function columns({ caseNotes, documents, volumes }: Tables) {
  return {
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
}

export class NotesRepository extends Repository {
  /** The owner's notes on the case, in case-file order, then oldest first. */
  async list(caseId: string, userId: string): Promise<NoteRow[]> {
    const { caseNotes, documents, volumes } = this.tables;
    return this.db
      .select(columns(this.tables))
      .from(caseNotes)
      .innerJoin(documents, eq(documents.id, caseNotes.documentId))
      .innerJoin(volumes, eq(volumes.id, documents.volumeId))
      .where(and(eq(caseNotes.caseId, caseId), eq(caseNotes.userId, userId)))
      .orderBy(asc(volumes.number), asc(documents.position), asc(caseNotes.page), asc(caseNotes.createdAt));
  }

  async get(caseId: string, noteId: string): Promise<(NoteRow & { userId: string }) | undefined> {
    const { caseNotes, documents, volumes } = this.tables;
    const [row] = await this.db
      .select({ ...columns(this.tables), userId: caseNotes.userId })
      .from(caseNotes)
      .innerJoin(documents, eq(documents.id, caseNotes.documentId))
      .innerJoin(volumes, eq(volumes.id, documents.volumeId))
      .where(and(eq(caseNotes.caseId, caseId), eq(caseNotes.id, noteId)));
    return row;
  }

  /** A document of the case that has pages (a PDF), with how many. */
  async pagedDocument(caseId: string, documentId: string): Promise<{ pages: number } | undefined> {
    const { documents } = this.tables;
    const [row] = await this.db
      .select({ pages: documents.pages })
      .from(documents)
      .where(and(eq(documents.caseId, caseId), eq(documents.id, documentId), inArray(documents.kind, ['pdf', 'electronic'])));
    return row?.pages ? { pages: row.pages } : undefined;
  }

  async insert(note: { id: string; caseId: string; userId: string; documentId: string; page: number; region: PageRegion | null; text: string; at: Date }): Promise<void> {
    const { caseNotes } = this.tables;
    const { at, ...values } = note;
    await this.database.transaction(async () => {
      await this.db.insert(caseNotes).values({ ...values, createdAt: at, updatedAt: at });
    });
  }

  async update(noteId: string, change: { text?: string; region?: PageRegion | null; at: Date }): Promise<void> {
    const { caseNotes } = this.tables;
    const { at, ...values } = change;
    await this.database.transaction(async () => {
      await this.db
        .update(caseNotes)
        .set({ ...values, updatedAt: at })
        .where(eq(caseNotes.id, noteId));
    });
  }

  async delete(noteId: string): Promise<void> {
    const { caseNotes } = this.tables;
    await this.database.transaction(async () => {
      await this.db.delete(caseNotes).where(eq(caseNotes.id, noteId));
    });
  }
}

/**
 * Private notes and highlights on pages of the case file. A note belongs to one user and nobody
 * else ever sees it, reads it or changes it, whatever their role: another user's note is answered
 * as if it did not exist (404), and the attempt is audited. Writing one needs access to the case,
 * like reading the case file does.
 */
import crypto from 'node:crypto';
import type { PageRegion } from '../../../db/schema.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { SessionUser } from '../auth/auth.service.ts';
import type { CasesService } from '../cases/cases.service.ts';
import { AppError } from '../shared/errors.ts';
import type { NoteRow, NotesRepository } from './notes.repository.ts';
import type { Note, NewNote, NoteChange } from '../shared/api/notes.ts';

type Deps = { notes: NotesRepository; cases: CasesService; audit: AuditRepository; now?: () => Date };

/** Rounding slack for regions computed from pixels (x + w may come out as 1.0000000001). */
const EPSILON = 1e-6;

export class NotesService {
  #deps: Deps;

  constructor(deps: Deps) {
    this.#deps = deps;
  }

  async list(user: SessionUser, caseId: string, ip: string | null): Promise<Note[]> {
    await this.#deps.cases.requireAccess(user, caseId, 'note.list', ip);
    return (await this.#deps.notes.list(caseId, user.id)).map(toNote);
  }

  async create(user: SessionUser, caseId: string, input: NewNote, ip: string | null): Promise<Note> {
    await this.#deps.cases.requireAccess(user, caseId, 'note.create', ip);
    const document = await this.#deps.notes.pagedDocument(caseId, input.documentId);
    if (!document) throw new AppError('not_found', 'No document with pages has this id in this case');
    if (input.page > document.pages) throw invalid('/page', `The document has ${document.pages} pages`);
    const region = checkedRegion(input.region ?? null);
    const text = (input.text ?? '').trim();
    if (!text && !region) throw invalid('/text', 'A note needs a text, a region, or both');
    const id = crypto.randomUUID();
    await this.#deps.notes.insert({ id, caseId, userId: user.id, documentId: input.documentId, page: input.page, region, text, at: this.#now() });
    return toNote((await this.#deps.notes.get(caseId, id))!);
  }

  async update(user: SessionUser, caseId: string, noteId: string, change: NoteChange, ip: string | null): Promise<Note> {
    const note = await this.#own(user, caseId, noteId, 'note.update', ip);
    const region = change.region === undefined ? note.region : checkedRegion(change.region);
    const text = change.text === undefined ? note.text : change.text.trim();
    if (!text && !region) throw invalid('/text', 'A note needs a text, a region, or both');
    await this.#deps.notes.update(noteId, { region, text, at: this.#now() });
    return toNote((await this.#deps.notes.get(caseId, noteId))!);
  }

  async remove(user: SessionUser, caseId: string, noteId: string, ip: string | null): Promise<void> {
    await this.#own(user, caseId, noteId, 'note.delete', ip);
    await this.#deps.notes.delete(noteId);
  }

  /** The user's own note, or `not_found`: someone else's note is not there for them (audited). */
  async #own(user: SessionUser, caseId: string, noteId: string, action: string, ip: string | null) {
    await this.#deps.cases.requireAccess(user, caseId, action, ip);
    const note = await this.#deps.notes.get(caseId, noteId);
    if (note && note.userId !== user.id) {
      await this.#deps.audit.record({ userId: user.id, actor: user.username, action, outcome: 'denied', caseId, target: noteId, ip, details: { reason: 'not_the_owner' } });
    }
    if (!note || note.userId !== user.id) throw new AppError('not_found', 'No such note');
    return note;
  }

  #now(): Date {
    return this.#deps.now?.() ?? new Date();
  }
}

function checkedRegion(region: PageRegion | null): PageRegion | null {
  if (!region) return null;
  const { x, y, w, h } = region;
  if (w <= 0 || h <= 0) throw invalid('/region', 'A region has a width and a height');
  if (x + w > 1 + EPSILON || y + h > 1 + EPSILON) throw invalid('/region', 'A region lies within its page (x + w ≤ 1, y + h ≤ 1)');
  return { x, y, w: Math.min(w, 1 - x), h: Math.min(h, 1 - y) };
}

function invalid(path: string, message: string): AppError {
  return new AppError('invalid_request', message, [{ path, message }]);
}

function toNote(row: NoteRow): Note {
  return {
    id: row.id,
    documentId: row.documentId,
    page: row.page,
    volume: row.volume,
    sheet: row.sheetFrom === null ? null : row.sheetFrom + row.page - 1,
    region: row.region,
    text: row.text,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * The user's private notes on a case file, as the viewer shows them: the list (in case-file
 * order, as the server keeps it), the notes of each sheet for the pages, and the writes. Nobody
 * else ever sees these: the server answers each user with their own notes only.
 */
import * as api from '../api.ts';
import { errorCode, type ErrorCode } from '../api.ts';
import type { NewNote, Note, NoteChange } from '../types.ts';

export class CaseNotes {
  #caseId: string;
  #notes = $state.raw<Note[]>([]);
  #loaded = $state(false);
  #error = $state<ErrorCode | null>(null);
  #saving = $state(false);

  /** "volume/sheet" → the notes on that sheet. */
  #bySheet = $derived.by(() => {
    const map = new Map<string, Note[]>();
    for (const note of this.#notes) {
      const key = `${note.volume}/${note.sheet}`;
      map.set(key, [...(map.get(key) ?? []), note]);
    }
    return map;
  });

  constructor(caseId: string) {
    this.#caseId = caseId;
  }

  get notes(): Note[] {
    return this.#notes;
  }

  get loaded(): boolean {
    return this.#loaded;
  }

  /** The last failure, to show until the next action. */
  get error(): ErrorCode | null {
    return this.#error;
  }

  get saving(): boolean {
    return this.#saving;
  }

  onSheet(volume: number, sheet: number): Note[] {
    return this.#bySheet.get(`${volume}/${sheet}`) ?? [];
  }

  async load(): Promise<void> {
    this.#error = null;
    try {
      this.#notes = await api.getNotes(this.#caseId);
      this.#loaded = true;
    } catch (error) {
      this.#error = errorCode(error);
    }
  }

  /** Resolves to the new note, or null when the server refused it (see `error`). */
  async create(note: NewNote): Promise<Note | null> {
    return this.#write(async () => {
      const created = await api.createNote(this.#caseId, note);
      // Reloaded rather than inserted: the server's order (volume, document, page) is the list's.
      this.#notes = await api.getNotes(this.#caseId);
      return created;
    });
  }

  async update(noteId: string, change: NoteChange): Promise<Note | null> {
    return this.#write(async () => {
      const updated = await api.updateNote(this.#caseId, noteId, change);
      this.#notes = this.#notes.map((n) => (n.id === noteId ? updated : n));
      return updated;
    });
  }

  async remove(noteId: string): Promise<boolean> {
    const done = await this.#write(async () => {
      await api.deleteNote(this.#caseId, noteId);
      this.#notes = this.#notes.filter((n) => n.id !== noteId);
      return true;
    });
    return done ?? false;
  }

  async #write<T>(action: () => Promise<T>): Promise<T | null> {
    this.#saving = true;
    this.#error = null;
    try {
      return await action();
    } catch (error) {
      this.#error = errorCode(error);
      return null;
    } finally {
      this.#saving = false;
    }
  }
}

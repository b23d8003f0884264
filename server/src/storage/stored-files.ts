/**
 * Reading a stored file, wherever it is kept: inline in its `stored_files` row (small files) or
 * in the file store on disk. Everything that serves or checks stored content goes through here.
 */
import fsp from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import type { DbHandle } from '../../../db/client.ts';
import { storedFiles } from '../../../db/schema.ts';
import type { LocalFileStore } from './file-store.ts';

export type StoredContent = { sha256: string; size: number; bytes: Buffer; path: null } | { sha256: string; size: number; bytes: null; path: string };

export class StoredFiles {
  readonly store: LocalFileStore;
  #database: DbHandle;

  constructor(input: { store: LocalFileStore; database: DbHandle }) {
    this.store = input.store;
    this.#database = input.database;
  }

  /** The content of a stored file; null when no row claims it. A file on disk may still be missing (see `exists`). */
  open(sha256: string): StoredContent | null {
    const row = this.#database.db.select({ size: storedFiles.size, content: storedFiles.content }).from(storedFiles).where(eq(storedFiles.sha256, sha256)).get();
    if (!row) return null;
    if (row.content) return { sha256, size: row.size, bytes: row.content, path: null };
    return { sha256, size: row.size, bytes: null, path: this.store.pathOf(sha256) };
  }

  /** The whole content of a stored file; rejects when it is not stored. For files of reasonable size (PDFs to index). */
  async read(sha256: string): Promise<Buffer> {
    const content = this.open(sha256);
    if (!content) throw new Error(`no stored file ${sha256}`);
    return content.bytes ?? fsp.readFile(content.path);
  }
}

/**
 * Reading a stored file, wherever it is kept: inline in its `stored_files` row (small files) or
 * in the file store (on disk, or in the object store). Everything that serves or checks stored
 * content goes through here.
 */
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { eq } from 'drizzle-orm';
import type { Database } from '../../../db/database.ts';
import { LocalFileStore, type ByteRange, type FileStore } from './file-store.ts';

/** `bytes`: the content kept inline in the row; null when it is in the file store. */
export type StoredContent = { sha256: string; size: number; bytes: Buffer | null };

export class StoredFiles {
  readonly store: FileStore;
  #database: Database;

  constructor(input: { store: FileStore; database: Database }) {
    this.store = input.store;
    this.#database = input.database;
  }

  /** What a row says of a stored file; null when no row claims it. The file itself may still be missing from the store (`stream` rejects then). */
  async open(sha256: string): Promise<StoredContent | null> {
    const { storedFiles } = this.#database.tables;
    const [row] = await this.#database.db.select({ size: storedFiles.size, content: storedFiles.content }).from(storedFiles).where(eq(storedFiles.sha256, sha256));
    if (!row) return null;
    return { sha256, size: row.size, bytes: row.content ?? null };
  }

  /** The file's path on this machine, when the store keeps it in a folder here; null when it is inline or in the object store. */
  localPathOf(content: StoredContent): string | null {
    return content.bytes === null && this.store instanceof LocalFileStore ? this.store.pathOf(content.sha256) : null;
  }

  /** The content (or `range` of it) as a stream; rejects with StoredFileMissing when the store has lost it. */
  async stream(content: StoredContent, range?: ByteRange): Promise<Readable> {
    if (content.bytes === null) return this.store.stream(content.sha256, range);
    return Readable.from([range ? content.bytes.subarray(range.start, range.end + 1) : content.bytes]);
  }

  /** The whole content of a stored file; rejects when it is not stored. For files of reasonable size (PDFs to index). */
  async read(sha256: string): Promise<Buffer> {
    const content = await this.open(sha256);
    if (!content) throw new Error(`no stored file ${sha256}`);
    return content.bytes ?? buffer(await this.store.stream(sha256));
  }
}

/**
 * Reading a stored file's bytes, for everything but the HTTP content route (which streams ranges):
 * the one place that knows where content lives. Today every file is in the file store; when small
 * files move into `stored_files.content`, only this function changes.
 */
import fsp from 'node:fs/promises';
import type { LocalFileStore } from './file-store.ts';

/** Resolves to the whole file; rejects (ENOENT) when it is not stored. */
export type StoredFileReader = (sha256: string) => Promise<Buffer>;

export function storedFileReader(deps: { store: LocalFileStore }): StoredFileReader {
  return (sha256) => fsp.readFile(deps.store.pathOf(sha256));
}

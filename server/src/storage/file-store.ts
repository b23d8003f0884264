/**
 * Content-addressed file storage on local disk: a file lives at files/ab/<sha256>, so the same
 * content is stored once and a file's name proves its content. Files enter the store only by
 * `adoptAll` (atomic renames of staged files whose hashes are already known); they are never
 * rewritten. The database's `stored_files` table says which files are in use; `sweepOrphans`
 * removes the rest after a crash. An S3-compatible store would implement the same methods.
 *
 * Small files (up to `inlineMaxBytes`, FILES_INLINE_MAX_KB) never come here: their bytes are kept inline in their
 * `stored_files` row, written in the same transaction as the rows that use them. SQLite's own
 * measurements put blobs under ~100 KB faster in the database than in files, and on this
 * project's VM creating a file costs up to a millisecond; a case is thousands of signatures and
 * short documents. See stored-files.ts for reading either kind.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { execFile } from 'node:child_process';

const SHA256 = /^[0-9a-f]{64}$/;
const FOLDER = /^[0-9a-f]{2}$/;

export class LocalFileStore {
  readonly root: string;
  /** Files up to this size are stored inline in the database (stored_files.content), not here. */
  readonly inlineMaxBytes: number;

  constructor(root: string, options: { inlineMaxBytes: number } = { inlineMaxBytes: 0 }) {
    this.root = root;
    this.inlineMaxBytes = options.inlineMaxBytes;
    fs.mkdirSync(root, { recursive: true });
  }

  /** The file's path relative to `root` (what @fastify/static serves from). */
  relativePathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    // One level of 256 folders, as git does: a second level would cost a directory per file for
    // the first hundred thousand files, and creating a directory is as slow as creating a file.
    return path.join(sha256.slice(0, 2), sha256);
  }

  pathOf(sha256: string): string {
    return path.join(this.root, this.relativePathOf(sha256));
  }

  has(sha256: string): boolean {
    return fs.existsSync(this.pathOf(sha256));
  }

  /**
   * Moves staged files (on the same file system) into the store under their hashes, then makes
   * them durable with one flush of the whole file system (syncfs) instead of one fsync per file:
   * for a case of thousands of documents that is the difference between milliseconds and
   * seconds. A rename replaces a file already there (the same content): that way an orphan being
   * swept at that moment is put back.
   */
  async adoptAll(files: { stagedPath: string; sha256: string }[]): Promise<void> {
    if (files.length === 0) return;
    const folders = new Set(files.map((file) => path.dirname(this.pathOf(file.sha256))));
    for (const folder of folders) await fsp.mkdir(folder, { recursive: true });
    for (const file of files) await fsp.rename(file.stagedPath, this.pathOf(file.sha256));
    await syncFileSystem(this.root);
  }

  /**
   * `sweepOrphans` for a few known files: those an import adopted before it failed (its rows were
   * not committed), removed now instead of at the next start.
   */
  async removeUnreferenced(sha256s: string[], isReferenced: (sha256: string) => boolean, mayRemove: () => Promise<boolean>): Promise<number> {
    let removed = 0;
    for (const sha256 of sha256s) {
      if (!isReferenced(sha256) && (await mayRemove())) {
        await fsp.rm(this.pathOf(sha256), { force: true });
        removed++;
      }
    }
    return removed;
  }

  /** Every hash in the store. */
  async *list(): AsyncGenerator<string> {
    for (const folder of await readdirSafe(this.root)) {
      // Only the 256 folders: health's probe file (health/storage-probe.ts) may be beside them.
      if (!FOLDER.test(folder)) continue;
      for (const name of await readdirSafe(path.join(this.root, folder))) {
        if (SHA256.test(name)) yield name;
      }
    }
  }

  /**
   * Removes every stored file `isReferenced` does not claim, as long as `mayRemove()` still
   * agrees (asked before each removal: another process may have started an import meanwhile).
   * Returns how many were removed.
   */
  async sweepOrphans(isReferenced: (sha256: string) => boolean, mayRemove: () => Promise<boolean>): Promise<number> {
    let removed = 0;
    for await (const sha256 of this.list()) {
      if (!isReferenced(sha256) && (await mayRemove())) {
        await fsp.rm(this.pathOf(sha256), { force: true });
        removed++;
      }
    }
    return removed;
  }
}

async function readdirSafe(dir: string): Promise<string[]> {
  try {
    return await fsp.readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * Flushes the file system holding `dir` to disk: file data, and the directory entries the renames
 * made. coreutils' `sync -f` is syncfs(2), which Node does not expose.
 */
async function syncFileSystem(dir: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    execFile('sync', ['-f', dir], (error) => (error ? reject(new Error(`could not flush ${dir} to disk: ${error.message}`)) : resolve()));
  });
}

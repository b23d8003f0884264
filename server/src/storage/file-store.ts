/**
 * Content-addressed file storage on local disk: a file lives at files/ab/<sha256>, so the same
 * content is stored once and a file's name proves its content. Files enter the store only by
 * `adoptAll` (atomic renames of staged files whose hashes are already known); they are never
 * rewritten. The database's `stored_files` table says which files are in use; `sweepOrphans`
 * removes the rest after a crash. `FileStore` is what the rest of the server sees; the clustered
 * form keeps files in an S3-compatible object store instead (object-file-store.ts).
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
import type { Readable } from 'node:stream';

/** A byte range of a stored file, both ends included (as HTTP's Range and S3's GetObject count). */
export type ByteRange = { start: number; end: number };

/**
 * Where stored files are kept: a folder on this machine (`LocalFileStore`) or an S3-compatible
 * object store shared by the nodes of a court (`ObjectFileStore`). Both key a file by its SHA-256,
 * and both are written only by `adoptAll` from staging folders, never rewritten.
 */
export interface FileStore {
  /** Files up to this size are stored inline in the database (stored_files.content), not here. */
  readonly inlineMaxBytes: number;
  /** Where the files are, for logs and error messages. */
  readonly location: string;
  has(sha256: string): Promise<boolean>;
  adoptAll(files: { stagedPath: string; sha256: string }[]): Promise<void>;
  /** A stream of the file's bytes (of `range` only, when given); rejects with `StoredFileMissing` when it is not there. */
  stream(sha256: string, range?: ByteRange): Promise<Readable>;
  /**
   * The removal of unreferenced files: `mayRemove(sha256)` is asked right before each removal
   * (no row names the file, no import is under way — another process or node may have committed
   * one since the sweep began). Returns how many went.
   */
  removeUnreferenced(sha256s: string[], mayRemove: (sha256: string) => Promise<boolean>): Promise<number>;
  sweepOrphans(mayRemove: (sha256: string) => Promise<boolean>): Promise<number>;
  /** Lets go of connections (the object store's); the server calls it when it closes. */
  close(): void;
}

/** A file a `stored_files` row names is not in the store (removed by hand, a lost disk or bucket). */
export class StoredFileMissing extends Error {
  constructor(sha256: string, where: string) {
    super(`stored file ${sha256} is missing from ${where}`);
    this.name = 'StoredFileMissing';
  }
}

const SHA256 = /^[0-9a-f]{64}$/;
const FOLDER = /^[0-9a-f]{2}$/;

export class LocalFileStore implements FileStore {
  readonly root: string;
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

  get location(): string {
    return this.root;
  }

  async has(sha256: string): Promise<boolean> {
    return fs.existsSync(this.pathOf(sha256));
  }

  close(): void {
    // Nothing held open between calls.
  }

  async stream(sha256: string, range?: ByteRange): Promise<Readable> {
    // Opened before the stream is handed out, so a missing file is a rejection here, not an error event later.
    const handle = await fsp.open(this.pathOf(sha256), 'r').catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'ENOENT' ? new StoredFileMissing(sha256, this.root) : error;
    });
    return handle.createReadStream(range ? { start: range.start, end: range.end } : {});
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
  async removeUnreferenced(sha256s: string[], mayRemove: (sha256: string) => Promise<boolean>): Promise<number> {
    let removed = 0;
    for (const sha256 of sha256s) {
      if (await mayRemove(sha256)) {
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
   * Removes every stored file `mayRemove` lets go (asked before each removal: another process may
   * have committed a row for it, or started an import, meanwhile). Returns how many were removed.
   */
  async sweepOrphans(mayRemove: (sha256: string) => Promise<boolean>): Promise<number> {
    let removed = 0;
    for await (const sha256 of this.list()) {
      if (await mayRemove(sha256)) {
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

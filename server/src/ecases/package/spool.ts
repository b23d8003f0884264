/**
 * The staging spool: small files of a package appended, one after the other, to a single file of
 * the staging folder, instead of a file each. They end up inline in the database (see
 * `stored_files.content`), so no file of their own is ever created: on this project's VM, creating
 * a file costs 0.05–1 ms depending on what the disk is doing, and a case is thousands of small
 * files. Appending costs microseconds, and nothing stays in memory.
 */
import fs from 'node:fs';
import type { StagedFile } from './types.ts';

export class Spool {
  readonly path: string;
  /** Entries of at most this many bytes go to the spool. */
  readonly maxEntryBytes: number;
  #fd: number | null = null;
  #end = 0;

  constructor(input: { path: string; maxEntryBytes: number }) {
    this.path = input.path;
    this.maxEntryBytes = input.maxEntryBytes;
  }

  fits(size: number): boolean {
    return size <= this.maxEntryBytes;
  }

  /** Appends the bytes; returns their offset in the spool. */
  append(bytes: Buffer): number {
    this.#fd ??= fs.openSync(this.path, 'wx');
    const offset = this.#end;
    let written = 0;
    while (written < bytes.length) written += fs.writeSync(this.#fd, bytes, written, bytes.length - written, offset + written);
    this.#end += bytes.length;
    return offset;
  }

  close(): void {
    if (this.#fd !== null) fs.closeSync(this.#fd);
    this.#fd = null;
  }
}

/** The bytes of a staged file, wherever it was staged. Meant for small files (signatures, spooled entries). */
export function readStaged(file: StagedFile): Buffer {
  if (file.spoolOffset === null) return fs.readFileSync(file.stagedPath);
  const bytes = Buffer.allocUnsafe(file.size);
  const fd = fs.openSync(file.stagedPath, 'r');
  try {
    let read = 0;
    while (read < file.size) {
      const n = fs.readSync(fd, bytes, read, file.size - read, file.spoolOffset + read);
      if (n === 0) throw new Error(`the staging spool ends before ${file.entry}`);
      read += n;
    }
  } finally {
    fs.closeSync(fd);
  }
  return bytes;
}

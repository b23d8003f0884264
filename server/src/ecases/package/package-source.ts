/**
 * A package is read from a zip file (what ERDR sends over HTTP) or from a directory with the same
 * layout (what command-line tools are given). Both look the same to the validator: a listing of
 * entries taken before any content is read, then one stream per entry, each read once.
 */
import fs from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { openDirectorySource } from './dir-source.ts';
import type { Problem } from './types.ts';
import type { PackageLimits } from './types.ts';
import { openZipSource } from './zip-source.ts';

export type SourceEntry = {
  index: number; // position in the archive (or the walk), the order entries are read in
  name: string; // decoded name, as the manifest refers to it
  nameDecoded: boolean; // false when the raw name is not UTF-8; `name` is then a lossy rendering
  type: 'file' | 'directory' | 'symlink' | 'special';
  size: number; // declared uncompressed size
  compressedSize: number | null; // null outside zip files
  crc32: number | null; // from the zip central directory, checked while reading
  unsupported: string | null; // why the content cannot be read (encryption, compression method)
};

export type PackageSource = {
  kind: 'zip' | 'directory';
  /** Empty when the listing itself failed or was refused; `problems` then says why. */
  entries: SourceEntry[];
  problems: Problem[];
  /** A stream of the entry's uncompressed bytes; may fail mid-way on a corrupt entry. */
  open(entry: SourceEntry): Promise<Readable>;
  close(): Promise<void>;
};

export async function openPackageSource(source: string, limits: PackageLimits): Promise<PackageSource> {
  const stat = await fs.stat(source);
  return stat.isDirectory() ? openDirectorySource(source, limits) : openZipSource(source, stat.size, limits);
}

/**
 * Reads a package laid out as a directory (command-line tools). Symbolic links are reported, never
 * followed, and files are opened with O_NOFOLLOW so one swapped in after the walk is not followed
 * either.
 */
import { constants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { PackageSource, SourceEntry } from './package-source.ts';
import { problem } from './problems.ts';
import type { PackageLimits } from './types.ts';

export async function openDirectorySource(root: string, limits: PackageLimits): Promise<PackageSource> {
  const entries: SourceEntry[] = [];
  const base = { kind: 'directory' as const, open: (entry: SourceEntry) => openFile(root, entry), close: async () => {} };
  // Breadth-first, sorted by name, so the order of entries (and of problems) is reproducible.
  const pending = [''];
  while (pending.length > 0) {
    const dir = pending.shift()!;
    const names = (await fs.readdir(path.join(root, dir))).sort();
    for (const name of names) {
      const relative = dir === '' ? name : `${dir}/${name}`;
      const stat = await fs.lstat(path.join(root, relative));
      const type = stat.isSymbolicLink() ? 'symlink' : stat.isDirectory() ? 'directory' : stat.isFile() ? 'file' : 'special';
      if (type === 'directory') pending.push(relative);
      entries.push({
        index: entries.length,
        name: type === 'directory' ? `${relative}/` : relative,
        nameDecoded: !relative.includes('\uFFFD'),
        type,
        size: type === 'file' ? stat.size : 0,
        compressedSize: null,
        crc32: null,
        unsupported: null,
      });
      if (entries.length > limits.maxEntries) {
        return { ...base, entries: [], problems: [problem('archive_too_many_entries', '', `the directory has more than ${limits.maxEntries} entries`)] };
      }
    }
  }
  return { ...base, entries, problems: [] };
}

async function openFile(root: string, entry: SourceEntry) {
  const handle = await fs.open(path.join(root, ...entry.name.split('/')), constants.O_RDONLY | constants.O_NOFOLLOW);
  return handle.createReadStream();
}

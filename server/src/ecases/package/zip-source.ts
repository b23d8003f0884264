/**
 * Reads a zip package with yauzl: the central directory is listed first (names, sizes, attributes),
 * entries are inflated later, one at a time, only when the listing passed the court's limits.
 * Names are decoded here as strict UTF-8 (the SPEC's encoding) instead of by yauzl, because yauzl
 * refuses a whole archive at the first unsafe name and we must report every one.
 */
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import type { PackageSource, SourceEntry } from './package-source.ts';
import { problem } from './problems.ts';
import type { PackageLimits, Problem } from './types.ts';

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export async function openZipSource(file: string, archiveBytes: number, limits: PackageLimits): Promise<PackageSource> {
  const refused = (problems: Problem[]): PackageSource => ({
    kind: 'zip',
    entries: [],
    problems,
    open: () => Promise.reject(new Error('the archive was refused')),
    close: async () => {},
  });
  if (archiveBytes > limits.maxArchiveBytes) {
    return refused([problem('archive_too_large', '', `the archive has ${archiveBytes} bytes; the limit is ${limits.maxArchiveBytes}`)]);
  }
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(file, { autoClose: false, decodeStrings: false, validateEntrySizes: true });
  } catch (error) {
    return refused([problem('archive_unreadable', '', `not a readable zip archive: ${(error as Error).message}`)]);
  }
  const close = async () => zip.close();
  // The count comes from the end-of-central-directory record, so a million-entry archive is
  // refused without listing a single entry.
  if (zip.entryCount > limits.maxEntries) {
    await close();
    return refused([problem('archive_too_many_entries', '', `the archive has ${zip.entryCount} entries; the limit is ${limits.maxEntries}`)]);
  }
  const raw = new Map<number, yauzl.Entry>();
  const entries: SourceEntry[] = [];
  try {
    for await (const entry of zip.eachEntry()) {
      const index = entries.length;
      raw.set(index, entry);
      entries.push(describe(entry, index));
    }
  } catch (error) {
    await close();
    return refused([problem('archive_unreadable', '', `the zip central directory is damaged: ${(error as Error).message}`)]);
  }
  return {
    kind: 'zip',
    entries,
    problems: [],
    open: (entry) => zip.openReadStreamPromise(raw.get(entry.index)!) as Promise<Readable>,
    close,
  };
}

function describe(entry: yauzl.Entry, index: number): SourceEntry {
  let name: string;
  let nameDecoded = true;
  try {
    name = utf8.decode(entry.fileNameRaw);
  } catch {
    name = entry.fileNameRaw.toString('latin1');
    nameDecoded = false;
  }
  // Unix permissions and file type sit in the high 16 bits of the external attributes; archivers
  // on other systems leave them zero.
  const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
  const type = mode === S_IFLNK ? 'symlink' : mode === S_IFDIR || name.endsWith('/') ? 'directory' : mode === S_IFREG || mode === 0 ? 'file' : 'special';
  const unsupported = entry.isEncrypted()
    ? 'the entry is encrypted'
    : entry.compressionMethod !== 0 && entry.compressionMethod !== 8
      ? `compression method ${entry.compressionMethod} (only stored and deflated are allowed)`
      : null;
  return {
    index,
    name,
    nameDecoded,
    type,
    size: entry.uncompressedSize,
    compressedSize: entry.compressedSize,
    crc32: entry.crc32,
    unsupported,
  };
}

/**
 * Copies one entry into the staging folder while hashing it, so each byte of the package is read
 * once and no large file is ever held in memory. The byte count is enforced as the bytes flow: an entry
 * that inflates past its declared size is cut off there, whatever its header claimed.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import type { PackageSource, SourceEntry } from './package-source.ts';
import type { Spool } from './spool.ts';
import { isStorageFailure } from '../../storage/storage-failure.ts';

export type StageOutcome = { ok: true; sha256: string; size: number; bytes: Buffer | null; stagedPath: string; spoolOffset: number | null } | { ok: false; reason: string };

/**
 * Stages the entry: appended to the spool when it is small enough, else streamed to its own file
 * at `path`. With `keep`, an entry of at most that many bytes is also handed back in memory, so a
 * PDF is parsed from the bytes just read instead of being read again (spooled entries always are).
 */
export async function stageEntry(source: PackageSource, entry: SourceEntry, target: { path: string; spool: Spool | null; keep: number }): Promise<StageOutcome> {
  const spooled = target.spool !== null && target.spool.fits(entry.size);
  const meter = new EntryMeter(entry, spooled || entry.size <= target.keep);
  try {
    await pipeline(await source.open(entry), meter, spooled ? discard() : createWriteStream(target.path, { flags: 'wx' }));
    const outcome = meter.finish();
    if (!outcome.ok) return outcome;
    const bytes = meter.kept();
    if (spooled) return { ...outcome, bytes, stagedPath: target.spool!.path, spoolOffset: target.spool!.append(bytes!) };
    return { ...outcome, bytes, stagedPath: target.path, spoolOffset: null };
  } catch (error) {
    // The court's disk failing is no fault of the package: the intake fails, it does not refuse.
    if (isStorageFailure(error)) throw error;
    return { ok: false, reason: (error as Error).message };
  }
}

function discard(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}

/** Reads a small entry (the manifest, a signature) into memory, refusing more than `maxBytes`. */
export async function readEntry(source: PackageSource, entry: SourceEntry, maxBytes: number): Promise<{ ok: true; bytes: Buffer; sha256: string } | { ok: false; reason: string }> {
  if (entry.size > maxBytes) return { ok: false, reason: `it has ${entry.size} bytes; at most ${maxBytes} are read` };
  const meter = new EntryMeter(entry, true);
  try {
    await pipeline(await source.open(entry), meter, discard());
    const outcome = meter.finish();
    return outcome.ok ? { ok: true, bytes: meter.kept()!, sha256: outcome.sha256 } : outcome;
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
}

/** Hashes, counts and CRC-checks the bytes passing through. yauzl itself checks no CRC. */
class EntryMeter extends Transform {
  private readonly entry: SourceEntry;
  private readonly hash = createHash('sha256');
  private readonly chunks: Buffer[] | null;
  private size = 0;
  private crc = 0;

  constructor(entry: SourceEntry, keep = false) {
    super();
    this.entry = entry;
    this.chunks = keep ? [] : null;
  }

  kept(): Buffer | null {
    return this.chunks && Buffer.concat(this.chunks);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null, data?: Buffer) => void): void {
    this.size += chunk.length;
    if (this.size > this.entry.size) {
      done(new Error(`more bytes than the ${this.entry.size} declared`));
      return;
    }
    this.hash.update(chunk);
    this.chunks?.push(chunk);
    if (this.entry.crc32 !== null) this.crc = zlib.crc32(chunk, this.crc);
    done(null, chunk);
  }

  finish(): { ok: true; sha256: string; size: number } | { ok: false; reason: string } {
    if (this.size !== this.entry.size) return { ok: false, reason: `${this.size} bytes instead of the ${this.entry.size} declared` };
    if (this.entry.crc32 !== null && this.crc !== this.entry.crc32) return { ok: false, reason: 'CRC-32 mismatch: the entry is corrupt' };
    return { ok: true, sha256: this.hash.digest('hex'), size: this.size };
  }
}

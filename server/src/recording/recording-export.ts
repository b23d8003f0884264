/**
 * A copy of a hearing's recording as a ZIP (stored, not compressed: WebM does not compress):
 * `<track label>-<trackId>/<segment files>` (or the hall mix, `hall-mix.webm`) and `manifest.json`
 * with every file's SHA-256 (and each segment's chain link), so the copy can be checked without
 * e-Zal (docs/recording.md). Streamed file by file;
 * no ZIP64, so one export stays under 4 GB (a hearing day of all tracks is far below that at the
 * bitrates we record; the hall mix alone is smaller still).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import type { SegmentRecord, TrackInfo } from '../../../media/src/recording/recording-ports.ts';

type Input = {
  root: string;
  hearingId: string;
  tracks: TrackInfo[];
  segments: (trackId: string) => SegmentRecord[];
  /** The hall mix (path relative to root), for a copy of the mix; hashed into the manifest. */
  mix?: { file: string; startedAt: number } | null;
};

export function exportRecording(input: Input): Readable {
  return Readable.from(zipEntries(input));
}

async function* zipEntries({ root, hearingId, tracks, segments, mix }: Input): AsyncGenerator<Buffer> {
  const central: Buffer[] = [];
  let offset = 0;
  const manifest = {
    hearingId,
    exportedAt: new Date().toISOString(),
    chain: 'chain[n] = sha256(chain[n-1] || sha256(segment) || "<trackId>\\n<seq>\\n<bytes>\\n<startedAt>\\n<durationMs>"), chain[-1] = sha256("e-zal recording track <trackId>")',
    tracks: [] as object[],
    mix: null as object | null,
  };
  if (mix) {
    const data = await readFile(path.join(root, mix.file));
    manifest.mix = { file: 'hall-mix.webm', bytes: data.length, sha256: createHash('sha256').update(data).digest('hex'), startedAt: mix.startedAt };
    const entry = zipEntry('hall-mix.webm', data, offset);
    central.push(entry.central);
    offset += entry.local.length + data.length;
    yield entry.local;
    yield data;
  }
  for (const track of tracks) {
    const folder = `${safe(track.label)}-${track.trackId}`;
    const rows = segments(track.trackId);
    manifest.tracks.push({ trackId: track.trackId, sourceId: track.sourceId, label: track.label, kind: track.kind, role: track.role, folder, segments: rows });
    for (const row of rows) {
      const data = await readFile(path.join(root, track.dir, row.file));
      const entry = zipEntry(`${folder}/${row.file}`, data, offset);
      central.push(entry.central);
      offset += entry.local.length + data.length;
      yield entry.local;
      yield data;
    }
  }
  const data = Buffer.from(JSON.stringify(manifest, null, 2), 'utf8');
  const entry = zipEntry('manifest.json', data, offset);
  central.push(entry.central);
  offset += entry.local.length + data.length;
  yield entry.local;
  yield data;
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(central.length, 8);
  end.writeUInt16LE(central.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  yield directory;
  yield end;
}

function zipEntry(name: string, data: Buffer, offset: number): { local: Buffer; central: Buffer } {
  const fileName = Buffer.from(name, 'utf8');
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4); // version needed
  local.writeUInt16LE(0x0800, 6); // UTF-8 names
  local.writeUInt16LE(0, 8); // stored
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(0x0800, 8);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  central.writeUInt32LE(offset, 42);
  return { local: Buffer.concat([local, fileName]), central: Buffer.concat([central, fileName]) };
}

/** A label as a folder name: letters (any script), digits, dashes. */
function safe(label: string): string {
  return (
    label
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'track'
  );
}

/**
 * The hash chain over a track's segments. Each closed segment gets
 *
 *   chain[n] = SHA-256( chain[n-1] ‖ sha256(segment n) ‖ utf8("<trackId>\n<seq>\n<bytes>\n<startedAt>\n<durationMs>") )
 *
 * with chain[-1] = SHA-256(utf8("e-zal recording track " + trackId)), all hashes as raw 32 bytes.
 * Changing, dropping, reordering or re-timing any segment changes every later link, so the chain
 * head written to the hearing's event log vouches for everything before it.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export type SegmentFacts = { trackId: string; seq: number; bytes: number; startedAt: number; durationMs: number };

export function genesis(trackId: string): string {
  return createHash('sha256').update(`e-zal recording track ${trackId}`, 'utf8').digest('hex');
}

export function nextChain(previousChain: string, segmentSha256: string, facts: SegmentFacts): string {
  const meta = `${facts.trackId}\n${facts.seq}\n${facts.bytes}\n${facts.startedAt}\n${facts.durationMs}`;
  return createHash('sha256').update(Buffer.from(previousChain, 'hex')).update(Buffer.from(segmentSha256, 'hex')).update(meta, 'utf8').digest('hex');
}

/** SHA-256 and size of a file, streamed (segments are small, but exports may hash big files too). */
export async function hashFile(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

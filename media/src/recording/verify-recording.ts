/**
 * Proves a hearing's recording is complete and unchanged, or names the first segment that is not.
 *
 * For each track, segment by segment in order: the manifest has no missing numbers, the file is
 * there, its size and SHA-256 are those recorded, and the chain recomputed from the files equals
 * the stored chain. Then the chain heads written to the hearing's event log while recording must
 * equal the recomputed chain at their segment: that catches a manifest rewritten to match altered
 * files, since the log is append-only and was written as the recording went.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { ChainHead, SegmentRecord, TrackInfo } from './recording-ports.ts';
import { genesis, hashFile, nextChain } from './segment-chain.ts';
import type { SegmentProblem, BadSegment, TrackVerdict, RecordingVerdict } from '../../../server/src/shared/api/recording-view.ts';

export type VerifyInput = {
  root: string;
  tracks: TrackInfo[];
  segments: (trackId: string) => SegmentRecord[];
  /** Every chain head written to the hearing's event log, in log order. */
  anchors: ChainHead[];
};

export async function verifyRecording(input: VerifyInput): Promise<RecordingVerdict> {
  const tracks: TrackVerdict[] = [];
  const bad: BadSegment[] = [];
  let anchorsChecked = 0;
  for (const track of input.tracks) {
    const segments = input.segments(track.trackId);
    const anchors = input.anchors.filter((a) => a.trackId === track.trackId);
    anchorsChecked += anchors.length;
    const problem = await verifyTrack(input.root, track, segments, anchors);
    if (problem) bad.push(problem);
    tracks.push({
      trackId: track.trackId,
      label: track.label,
      kind: track.kind,
      segments: segments.length,
      bytes: segments.reduce((sum, s) => sum + s.bytes, 0),
      durationMs: segments.reduce((sum, s) => sum + s.durationMs, 0),
      head: segments.at(-1)?.chain ?? null,
      ok: !problem,
    });
  }
  const firstBad = [...bad].sort((a, b) => (a.startedAt ?? Infinity) - (b.startedAt ?? Infinity))[0] ?? null;
  return { ok: bad.length === 0, tracks, firstBad, bad, anchorsChecked };
}

async function verifyTrack(root: string, track: TrackInfo, segments: SegmentRecord[], anchors: ChainHead[]): Promise<BadSegment | null> {
  const badAt = (s: SegmentRecord | undefined, seq: number, problem: SegmentProblem): BadSegment => ({
    trackId: track.trackId,
    label: track.label,
    seq,
    file: s ? path.join(track.dir, s.file) : null,
    startedAt: s?.startedAt ?? null,
    problem,
  });
  const recomputed: string[] = [];
  let previous = genesis(track.trackId);
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    if (s.seq !== i) return badAt(segments[i - 1], i, 'missing_segment');
    const file = path.join(root, track.dir, s.file);
    const size = await stat(file).then(
      (st) => st.size,
      () => null,
    );
    if (size === null) return badAt(s, s.seq, 'missing_file');
    if (size !== s.bytes) return badAt(s, s.seq, 'size_changed');
    const { sha256 } = await hashFile(file);
    if (sha256 !== s.sha256) return badAt(s, s.seq, 'hash_mismatch');
    const chain = nextChain(previous, sha256, { trackId: track.trackId, seq: s.seq, bytes: s.bytes, startedAt: s.startedAt, durationMs: s.durationMs });
    if (chain !== s.chain) return badAt(s, s.seq, 'chain_broken');
    recomputed.push(chain);
    previous = chain;
  }
  // An anchor that does not match: something at or before it was rewritten, manifest included.
  // The last anchor that still matches bounds where: the first segment after it is named.
  let lastGood = -1;
  for (const anchor of [...anchors].sort((a, b) => a.seq - b.seq)) {
    if (anchor.seq >= recomputed.length) return badAt(segments.at(-1), recomputed.length, 'missing_segment');
    if (recomputed[anchor.seq] !== anchor.chain) return badAt(segments[lastGood + 1], lastGood + 1, 'anchor_mismatch');
    lastGood = anchor.seq;
  }
  return null;
}

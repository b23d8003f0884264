// The verifier on hand-made segments: each kind of damage is named with the segment it starts at.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import type { SegmentRecord, TrackInfo } from './recording-ports.ts';
import { genesis, hashFile, nextChain } from './segment-chain.ts';
import { verifyRecording } from './verify-recording.ts';

let root: string;
let track: TrackInfo;
let segments: SegmentRecord[];

beforeEach(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'ezal-verify-'));
  track = { trackId: 't1', hearingId: 'h', sourceId: 'mic', kind: 'audio', role: 'hall_microphone', label: 'Mic', userId: null, participantId: null, dir: 'h/t1', createdAt: 0 };
  segments = [];
  let previous = genesis('t1');
  for (let seq = 0; seq < 4; seq++) {
    const file = `r-${seq}.webm`;
    const full = path.join(root, track.dir, file);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, `segment ${seq} `.repeat(50));
    const { sha256, bytes } = await hashFile(full);
    const facts = { trackId: 't1', seq, bytes, startedAt: 1000 + seq * 4000, durationMs: 4000 };
    const chain = nextChain(previous, sha256, facts);
    segments.push({ ...facts, file, sha256, chain });
    previous = chain;
  }
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const verify = (rows = segments, anchors = [{ trackId: 't1', seq: 3, chain: segments[3].chain }]) => verifyRecording({ root, tracks: [track], segments: () => rows, anchors });

test('an intact recording verifies, with its anchors', async () => {
  const verdict = await verify();
  assert.equal(verdict.ok, true);
  assert.equal(verdict.anchorsChecked, 1);
  assert.deepEqual(
    verdict.tracks.map((t) => [t.segments, t.durationMs]),
    [[4, 16000]],
  );
});

test('a deleted file is named at its segment', async () => {
  unlinkSync(path.join(root, track.dir, 'r-2.webm'));
  assert.deepEqual(pick((await verify()).firstBad), { seq: 2, problem: 'missing_file' });
});

test('a truncated file is a size change', async () => {
  truncateSync(path.join(root, track.dir, 'r-1.webm'), 10);
  assert.deepEqual(pick((await verify()).firstBad), { seq: 1, problem: 'size_changed' });
});

test('a missing manifest row is a missing segment', async () => {
  assert.deepEqual(pick((await verify([segments[0], segments[2], segments[3]])).firstBad), { seq: 1, problem: 'missing_segment' });
});

test('a row whose time was changed breaks the chain', async () => {
  const rows = segments.map((s) => (s.seq === 2 ? { ...s, startedAt: s.startedAt + 60_000 } : s));
  assert.deepEqual(pick((await verify(rows)).firstBad), { seq: 2, problem: 'chain_broken' });
});

test('segments dropped from the end are caught by a later chain head in the log', async () => {
  assert.deepEqual(pick((await verify(segments.slice(0, 2))).firstBad), { seq: 2, problem: 'missing_segment' });
});

function pick(bad: { seq: number; problem: string } | null) {
  return bad && { seq: bad.seq, problem: bad.problem };
}

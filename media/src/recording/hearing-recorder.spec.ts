// One recorded minute through a real mediasoup worker and real ffmpeg children: a hall microphone
// and a hall camera fed by synthetic Opus and VP8, and a remote participant's microphone that drops
// out and comes back. Midway the camera's recorder is killed. Afterwards every track exists, ffprobe
// finds Opus and VP8, the durations add up to the wall time within one segment (the gaps counted),
// the gaps are reported with a bounded length, and the verifier passes, then names a tampered segment.
// The manifest is stored as a database server would take it — each call a round trip of random
// length — so a write let overlap with the next, or a segment stored before its track, shows —
// and midway two segment writes fail and one is written with its answer lost: none is missing.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { resolveWorkerBin } from '../../worker/worker-bin.ts';
import { HearingRecorder } from './hearing-recorder.ts';
import { genesis, hashFile, nextChain } from './segment-chain.ts';
import { MemoryReporter, MemoryStore } from './testing/memory-ports.ts';
import { MEDIA_CODECS, SyntheticSources } from './testing/synthetic-sources.ts';
import { verifyRecording } from './verify-recording.ts';

const run = promisify(execFile);
const SEGMENT_S = 4;
const HEARING = 'hearing-1';

let worker: types.Worker;
let room: SyntheticSources;
let root: string;

before(async () => {
  worker = await mediasoup.createWorker({ workerBin: resolveWorkerBin(), logLevel: 'warn' });
  room = new SyntheticSources(await worker.createRouter({ mediaCodecs: MEDIA_CODECS }));
  root = await mkdtemp(path.join(os.tmpdir(), 'ezal-recording-'));
});

after(async () => {
  room?.close();
  worker?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function probe(file: string): Promise<{ codec: string; duration: number }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name:format=duration', '-of', 'json', file]);
  const json = JSON.parse(stdout) as { streams: { codec_name: string }[]; format: { duration: string } };
  return { codec: json.streams[0].codec_name, duration: Number(json.format.duration) };
}

test('a recorded minute: one track per source, copied codecs, gaps bounded and logged, verifiable', { timeout: 180_000 }, async () => {
  await room.add('hall-mic-1', 'audio', 'Hall microphone 1');
  await room.add('hall-cam-1', 'video', 'Hall camera');
  await room.add('remote-defendant', 'audio', 'Defendant (remote)');
  const store = new MemoryStore({ latencyMs: 80 });
  const reporter = new MemoryReporter();
  const recorder = new HearingRecorder({ hearingId: HEARING, root, segmentSeconds: SEGMENT_S, headIntervalMs: 10_000, store, reporter, newId: randomUUID });
  await recorder.setRoom(room);
  const startedAt = Date.now();
  await recorder.start();

  await waitFor('the camera to record', () => recorder.recorderOf('hall-cam-1')?.head() != null, 20_000);
  const camPid = recorder.recorderOf('hall-cam-1')!.ffmpegPid!;
  process.kill(camPid, 'SIGKILL');
  store.failSegments = 2;
  store.loseSegmentAnswers = 1;

  await sleep(5_000);
  room.remove('remote-defendant');
  await waitFor('the lost source to be marked', () => reporter.started.some((g) => g.reason === 'source_lost'), 15_000);
  await sleep(6_000);
  await room.add('remote-defendant', 'audio', 'Defendant (remote)');

  await sleep(Math.max(0, startedAt + 60_000 - Date.now()));
  const wallMs = Date.now() - startedAt;
  await recorder.pause();

  // Every source has its track, recorded without re-encoding; every segment was stored, each after its track.
  assert.equal(store.failSegments + store.loseSegmentAnswers, 0, 'the failing writes came');
  assert.equal(reporter.problems.filter((p) => p.message === 'a segment could not be stored; trying again').length, 2, 'the two failed writes were tried again');
  assert.deepEqual(
    reporter.problems.filter((p) => p.message !== 'ffmpeg recorder exited' && p.message !== 'a segment could not be stored; trying again'),
    [],
    'nothing failed but the killed recorder',
  );
  assert.equal(store.tracks.length, 3, 'one track per source, the returning source continues its own');
  const trackOf = (sourceId: string) => store.tracks.find((t) => t.sourceId === sourceId)!;
  const expected = { 'hall-mic-1': 'opus', 'hall-cam-1': 'vp8', 'remote-defendant': 'opus' } as const;
  for (const [sourceId, codec] of Object.entries(expected)) {
    const track = trackOf(sourceId);
    const segments = store.segmentsOf(track.trackId);
    assert.ok(segments.length >= 5, `${sourceId} has segments (${segments.length})`);
    assert.deepEqual(
      segments.map((s) => s.seq),
      segments.map((_, i) => i),
      `${sourceId}: segments numbered without holes`,
    );
    let probed = 0;
    for (const s of segments) {
      const p = await probe(path.join(root, track.dir, s.file));
      assert.equal(p.codec, codec, `${sourceId} ${s.file} is ${codec}`);
      probed += p.duration * 1000;
    }
    const gaps = reporter.ended.filter((g) => g.trackId === track.trackId).reduce((sum, g) => sum + (g.to! - g.from), 0);
    const covered = probed + gaps;
    assert.ok(Math.abs(covered - wallMs) <= SEGMENT_S * 1000, `${sourceId}: ${Math.round(probed)} ms recorded + ${gaps} ms of gaps vs ${wallMs} ms wall time`);
  }

  // The killed recorder: a gap, logged with its start and end, no longer than the segment in flight plus the restart.
  const died = reporter.ended.filter((g) => g.reason === 'recorder_died' && g.sourceId === 'hall-cam-1');
  assert.equal(died.length, 1, 'one gap for the killed camera recorder');
  assert.ok(
    reporter.started.some((g) => g.gapId === died[0].gapId),
    'the gap was reported when it started',
  );
  assert.ok(died[0].to! - died[0].from <= 3 * SEGMENT_S * 1000, `gap of ${died[0].to! - died[0].from} ms is bounded`);
  assert.ok(
    store.segmentsOf(trackOf('hall-cam-1').trackId).some((s) => s.startedAt >= died[0].to!),
    'recording went on after the gap',
  );

  // The participant who dropped out: a gap from losing them to their return, same track.
  const lost = reporter.ended.filter((g) => g.reason === 'source_lost');
  assert.equal(lost.length, 1);
  assert.ok(lost[0].to! - lost[0].from >= 5_000, 'the gap spans the time the participant was away');

  // Chain heads were reported as the recording went, and the verifier accepts the whole recording.
  assert.ok(reporter.heads.length >= 3 * 3, `chain heads reported periodically (${reporter.heads.length})`);
  const input = { root, tracks: store.tracks, segments: (id: string) => store.segmentsOf(id), anchors: reporter.heads };
  const verdict = await verifyRecording(input);
  assert.equal(verdict.ok, true, JSON.stringify(verdict.firstBad));
  assert.ok(verdict.anchorsChecked >= 9);

  // One byte flipped in the third segment of the hall microphone: named, with the reason.
  const mic = trackOf('hall-mic-1');
  const target = store.segmentsOf(mic.trackId)[2];
  const file = path.join(root, mic.dir, target.file);
  const original = await readFile(file);
  const tampered = Buffer.from(original);
  tampered[Math.floor(tampered.length / 2)] ^= 0x01;
  await writeFile(file, tampered);
  const bad = await verifyRecording(input);
  assert.equal(bad.ok, false);
  assert.deepEqual({ trackId: bad.firstBad?.trackId, seq: bad.firstBad?.seq, problem: bad.firstBad?.problem }, { trackId: mic.trackId, seq: 2, problem: 'hash_mismatch' });

  // The same file, with the manifest rewritten to match it: only the chain heads in the log catch that.
  const rewritten = store.segmentsOf(mic.trackId).map((s) => ({ ...s }));
  let previous = genesis(mic.trackId);
  for (const s of rewritten) {
    s.sha256 = (await hashFile(path.join(root, mic.dir, s.file))).sha256;
    s.chain = nextChain(previous, s.sha256, { trackId: s.trackId, seq: s.seq, bytes: s.bytes, startedAt: s.startedAt, durationMs: s.durationMs });
    previous = s.chain;
  }
  const forged = await verifyRecording({ ...input, segments: (id) => (id === mic.trackId ? rewritten : store.segmentsOf(id)) });
  assert.equal(forged.ok, false);
  assert.equal(forged.firstBad?.problem, 'anchor_mismatch');
  assert.equal(forged.firstBad?.trackId, mic.trackId);
  assert.ok(forged.firstBad!.seq <= 2, `names a segment at or before the altered one (${forged.firstBad?.seq})`);

  await writeFile(file, original);
  assert.equal((await verifyRecording(input)).ok, true, 'restored, it verifies again');
});

test('recorders prepared for a start that is refused leave no track behind; a start that comes stores one per source', { timeout: 60_000 }, async () => {
  if (room.sources().length === 0) await room.add('hall-mic-1', 'audio', 'Hall microphone 1');
  const store = new MemoryStore();
  const recorder = new HearingRecorder({ hearingId: 'hearing-refused', root, segmentSeconds: SEGMENT_S, headIntervalMs: 10_000, store, reporter: new MemoryReporter(), newId: randomUUID });
  await recorder.setRoom(room);
  await recorder.prepare();
  await recorder.release();
  assert.equal(store.tracks.length, 0, 'nothing was recorded, so no track was stored');

  await recorder.prepare();
  await recorder.start(Date.now());
  assert.deepEqual(
    store.tracks.map((t) => t.sourceId).sort(),
    room
      .sources()
      .map((s) => s.sourceId)
      .sort(),
  );
  await recorder.pause();
});

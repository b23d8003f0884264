/**
 * The recording manifest on both dialects (issue 20): RecordingRepository — the recorder's store
 * (tracks, segments chained one on another, the last segment of a track) and what verifying,
 * playback and retention read of it — gives the same answers on the SQLite file and on
 * PostgreSQL: tracks oldest first, segments in seq order whatever order they came in, the
 * 64-bit sizes and times as written, hearings recorded before a moment, a recording deleted in a
 * caller's transaction (and kept when that rolls back). A segment's row is never changed (the
 * append-only trigger, on both), nor taken twice. Then the recorder itself — a real mediasoup
 * worker and ffmpeg — records into each dialect's manifest, and the verifier accepts it.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { eq } from 'drizzle-orm';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { HearingRecorder } from '../../media/src/recording/hearing-recorder.ts';
import type { SegmentRecord, TrackInfo } from '../../media/src/recording/recording-ports.ts';
import { genesis, nextChain } from '../../media/src/recording/segment-chain.ts';
import { MemoryReporter } from '../../media/src/recording/testing/memory-ports.ts';
import { MEDIA_CODECS, SyntheticSources } from '../../media/src/recording/testing/synthetic-sources.ts';
import { verifyRecording } from '../../media/src/recording/verify-recording.ts';
import { resolveWorkerBin } from '../../media/worker/worker-bin.ts';
import { RecordingRepository } from '../../server/src/recording/recording.repository.ts';
import { onBothDialects, seedHearings } from '../helpers/both-dialects.ts';

const HEARINGS = ['h-old', 'h-recent', 'h-recorded', 'h-engine'];
const DAY = 86_400_000;
/** A recording's times are epoch ms (past 2^31) and a long segment's bytes may pass 2^32: both must come back as numbers, unchanged. */
const NOW = Date.UTC(2026, 11, 6, 12, 0, 0);

function track(hearingId: string, sourceId: string, createdAt: number, extra: Partial<TrackInfo> = {}): TrackInfo {
  const trackId = `${hearingId}-${sourceId}`;
  return {
    trackId,
    hearingId,
    sourceId,
    kind: 'audio',
    role: 'hall_microphone',
    label: `Микрофон ${sourceId}`,
    userId: null,
    participantId: null,
    dir: `${hearingId}/${trackId}`,
    createdAt,
    ...extra,
  };
}

/** `count` segments of a track, chained, 4 s each from `from`. */
function chained(trackId: string, from: number, count: number, bytes = 40_000): SegmentRecord[] {
  const rows: SegmentRecord[] = [];
  let previous = genesis(trackId);
  for (let seq = 0; seq < count; seq++) {
    const facts = { trackId, seq, bytes: bytes + seq, startedAt: from + seq * 4000, durationMs: 4000 };
    const sha256 = `${trackId}-${seq}`.padEnd(64, 'a');
    const chain = nextChain(previous, sha256, facts);
    rows.push({ ...facts, file: `r-${String(seq).padStart(5, '0')}.webm`, sha256, chain });
    previous = chain;
  }
  return rows;
}

/** An error whose message, or its cause's (drizzle wraps the driver's), says `pattern`. */
const saying = (pattern: RegExp) => (error: Error) => pattern.test(`${error.message} ${String((error.cause as Error | undefined)?.message)}`);
const REFUSED_TWICE = /unique|duplicate|primary key/i;

describe('the recording manifest on SQLite and on PostgreSQL', () => {
  const dialects = onBothDialects({ seed: (database) => seedHearings(database, HEARINGS), make: (database) => new RecordingRepository(database) });

  test('tracks, segments in seq order, the last segment, one segment, the whole manifest: the same on both', async () => {
    const answers = [];
    for (const store of dialects.repositories) {
      const mic = track('h-old', 'mic', NOW - 40 * DAY);
      const camera = track('h-old', 'camera', NOW - 40 * DAY + 5, { kind: 'video', role: 'hall_camera', label: 'Камера зала' });
      const remote = track('h-recent', 'remote', NOW - 2 * DAY, { role: 'participant', userId: 'judge-1', participantId: null });
      // Stored newest first: the reads put the oldest first.
      await store.addTrack(camera);
      await store.addTrack(mic);
      await store.addTrack(remote);
      assert.equal(await store.findTrack('h-old', 'nobody'), undefined);
      assert.equal(await store.lastSegment(mic.trackId), undefined, 'a track with no segment yet');

      // The recorder writes in seq order; the reads order by seq even when rows came otherwise.
      const micRows = chained(mic.trackId, NOW - 40 * DAY, 4, 5_000_000_000);
      for (const i of [0, 2, 1, 3]) await store.addSegment(micRows[i]!);
      for (const row of chained(camera.trackId, NOW - 40 * DAY, 3)) await store.addSegment(row);
      for (const row of chained(remote.trackId, NOW - 2 * DAY, 2)) await store.addSegment(row);

      const manifest = await store.manifest('h-old');
      answers.push({
        found: await store.findTrack('h-old', 'mic'),
        tracks: await store.tracks('h-old'),
        micSegments: await store.segments(mic.trackId),
        last: await store.lastSegment(mic.trackId),
        one: await store.segment(camera.trackId, 1),
        missing: await store.segment(camera.trackId, 7),
        manifest: { tracks: manifest.tracks, segments: [...manifest.segments.entries()] },
        count: await store.segmentCount('h-old'),
        countNone: await store.segmentCount('h-engine'),
        emptyManifest: await store.manifest('h-engine'),
      });
    }
    const [sqlite, postgres] = answers;
    assert.deepEqual(postgres, sqlite, 'PostgreSQL answers as SQLite does');
    assert.deepEqual(sqlite!.found, track('h-old', 'mic', NOW - 40 * DAY));
    assert.deepEqual(
      sqlite!.tracks.map((t) => t.sourceId),
      ['mic', 'camera'],
    );
    assert.deepEqual(
      sqlite!.micSegments.map((s) => s.seq),
      [0, 1, 2, 3],
    );
    assert.deepEqual(sqlite!.micSegments, chained('h-old-mic', NOW - 40 * DAY, 4, 5_000_000_000), 'every value as written, 64-bit ones included');
    assert.equal(sqlite!.last?.seq, 3);
    assert.equal(sqlite!.one?.file, 'r-00001.webm');
    assert.equal(sqlite!.missing, undefined);
    assert.equal(sqlite!.count, 7);
    assert.equal(sqlite!.countNone, 0);
    assert.deepEqual(sqlite!.emptyManifest, { tracks: [], segments: new Map() });
    assert.deepEqual(
      sqlite!.manifest.segments.map(([trackId, rows]) => [trackId, rows.map((r) => r.seq)]),
      [
        ['h-old-mic', [0, 1, 2, 3]],
        ['h-old-camera', [0, 1, 2]],
      ],
    );
  });

  test('a segment row is never changed (the trigger) nor taken twice, on both', async () => {
    for (const [i, database] of dialects.both.all.entries()) {
      const store = dialects.repositories[i]!;
      const { recordingSegments } = database.tables;
      await assert.rejects(
        database.transaction(async () => {
          await database.db.update(recordingSegments).set({ bytes: 1 }).where(eq(recordingSegments.trackId, 'h-old-mic'));
        }),
        saying(/recording manifest rows are never changed/),
        `${database.dialect}: the update was let through`,
      );
      const [first] = await store.segments('h-old-mic');
      await assert.rejects(store.addSegment({ ...first!, chain: 'another' }), saying(REFUSED_TWICE), `${database.dialect}: a second row for seq 0`);
      assert.deepEqual((await store.segments('h-old-mic'))[0], first, `${database.dialect}: the row is as it was`);
      await assert.rejects(store.addTrack(track('h-old', 'mic', NOW)), saying(REFUSED_TWICE), `${database.dialect}: a second track for one source`);
    }
  });

  test('hearings recorded before a moment, and deleting one recording in a transaction: the same on both', async () => {
    const answers = [];
    for (const [i, database] of dialects.both.all.entries()) {
      const store = dialects.repositories[i]!;
      // A hearing recorded 31 days ago, its last segment ending 31 days ago less 12 s.
      await store.addTrack(track('h-recorded', 'mic', NOW - 31 * DAY));
      for (const row of chained('h-recorded-mic', NOW - 31 * DAY, 3)) await store.addSegment(row);
      const before30 = await store.hearingsRecordedBefore(NOW - 30 * DAY);
      const before1 = await store.hearingsRecordedBefore(NOW - 1 * DAY);
      const beforeAll = await store.hearingsRecordedBefore(NOW - 60 * DAY);

      // Rolled back with its caller: kept.
      await assert.rejects(
        database.transaction(async () => {
          await store.deleteRecording('h-old');
          throw new Error('the files could not be removed');
        }),
        /could not be removed/,
      );
      const kept = (await store.tracks('h-old')).length;
      await database.transaction(() => store.deleteRecording('h-old'));
      await database.transaction(() => store.deleteRecording('h-engine')); // nothing recorded: nothing to do
      answers.push({
        before30,
        before1,
        beforeAll,
        kept,
        afterTracks: await store.tracks('h-old'),
        afterSegments: await store.segments('h-old-mic'),
        afterCount: await store.segmentCount('h-old'),
        others: (await store.tracks('h-recent')).length + (await store.tracks('h-recorded')).length,
        otherSegments: (await store.segments('h-recent-remote')).length,
        nowBefore30: await store.hearingsRecordedBefore(NOW - 30 * DAY),
      });
    }
    const [sqlite, postgres] = answers;
    assert.deepEqual(postgres, sqlite, 'PostgreSQL answers as SQLite does');
    assert.deepEqual(sqlite, {
      before30: ['h-old', 'h-recorded'],
      before1: ['h-old', 'h-recent', 'h-recorded'],
      beforeAll: [],
      kept: 2,
      afterTracks: [],
      afterSegments: [],
      afterCount: 0,
      others: 2,
      otherSegments: 2,
      nowBefore30: ['h-recorded'],
    });
  });

  describe('the recorder writing into the manifest', () => {
    let worker: types.Worker;
    let room: SyntheticSources;
    let root: string;

    before(async () => {
      worker = await mediasoup.createWorker({ workerBin: resolveWorkerBin(), logLevel: 'warn' });
      room = new SyntheticSources(await worker.createRouter({ mediaCodecs: MEDIA_CODECS }));
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-recording-dialects-'));
      await room.add('hall-mic-1', 'audio', 'Hall microphone 1');
      await room.add('hall-cam-1', 'video', 'Hall camera');
    });
    after(async () => {
      room?.close();
      worker?.close();
      if (root) fs.rmSync(root, { recursive: true, force: true });
    });

    for (const dialect of ['sqlite', 'postgres'] as const) {
      test(`${dialect}: two sources recorded, paused and resumed on their chains; the manifest verifies against the heads`, { timeout: 90_000 }, async () => {
        const database = dialects.both[dialect];
        const store = new RecordingRepository(database);
        const reporter = new MemoryReporter();
        const dir = path.join(root, dialect);
        const recorder = new HearingRecorder({ hearingId: 'h-engine', root: dir, segmentSeconds: 2, headIntervalMs: 3_000, store, reporter, newId: randomUUID });
        await recorder.setRoom(room);
        await recorder.prepare();
        await recorder.start(Date.now());
        await sleep(7_000);
        await recorder.pause();
        // Resumed: each source continues its own track and chain from what the store holds.
        await recorder.start();
        await sleep(5_000);
        await recorder.pause();

        assert.deepEqual(reporter.problems, [], 'nothing failed');
        const { tracks, segments } = await store.manifest('h-engine');
        assert.deepEqual(tracks.map((t) => t.sourceId).sort(), ['hall-cam-1', 'hall-mic-1'], 'one track per source, kept over the pause');
        for (const t of tracks) {
          const rows = segments.get(t.trackId) ?? [];
          assert.ok(rows.length >= 3, `${t.sourceId}: ${rows.length} segments`);
          assert.deepEqual(
            rows.map((r) => r.seq),
            rows.map((_, i) => i),
            `${t.sourceId}: no hole in the seq`,
          );
          assert.ok(
            rows.every((r, i) => i === 0 || r.startedAt >= rows[i - 1]!.startedAt),
            `${t.sourceId}: in time order`,
          );
        }
        const verdict = await verifyRecording({ root: dir, tracks, segments: (id) => segments.get(id) ?? [], anchors: reporter.heads });
        assert.equal(verdict.ok, true, JSON.stringify(verdict.firstBad));
        assert.ok(verdict.anchorsChecked >= 2, `chain heads checked (${verdict.anchorsChecked})`);
        // The last heads reported (at the pause) are the tracks' last segments.
        for (const t of tracks) {
          const last = await store.lastSegment(t.trackId);
          const head = reporter.heads.filter((h) => h.trackId === t.trackId).at(-1);
          assert.deepEqual(head, { trackId: t.trackId, seq: last!.seq, chain: last!.chain });
        }
        // Cleared for the other dialect's run on the same synthetic room (its own database).
        await database.transaction(() => store.deleteRecording('h-engine'));
      });
    }
  });
});

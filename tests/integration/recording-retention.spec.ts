/**
 * Retention (RECORDING_RETENTION_DAYS): a recording whose last segment ended longer ago than that
 * is deleted — files and manifest — and a recent one is kept. Through the real server and its
 * database; the segments are written straight into the manifest, as the recorder would have.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { demoHearing, seedOtherCase } from '../helpers/hall.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { sqlOf } from '../helpers/sql.ts';

const DAY = 86_400_000;
let server: TestServer;

before(async () => {
  server = await startTestServer({ RECORDING_RETENTION_DAYS: '30' });
});
after(async () => {
  await server?.close();
});

async function recordOne(hearingId: string, trackId: string, endedDaysAgo: number): Promise<string> {
  const dir = path.join(hearingId, trackId);
  const root = path.join(server.dataDir, 'recordings');
  mkdirSync(path.join(root, dir), { recursive: true });
  writeFileSync(path.join(root, dir, 'r-00000.webm'), 'segment');
  const startedAt = new Date(Date.now() - endedDaysAgo * DAY - 4000);
  const db = sqlOf(server);
  await db.run(
    "insert into recording_tracks (id, hearing_id, source_id, kind, role, label, dir, created_at) values (?, ?, 'mic', 'audio', 'hall_microphone', 'Mic', ?, ?)",
    trackId,
    hearingId,
    dir,
    startedAt,
  );
  await db.run("insert into recording_segments (track_id, seq, file, bytes, sha256, chain, started_at, duration_ms) values (?, 0, 'r-00000.webm', 7, 'x', 'y', ?, 4000)", trackId, startedAt.getTime());
  return path.join(root, hearingId);
}

test('recordings older than the retention period are deleted, newer ones kept', async () => {
  const old = (await demoHearing(server.db)).hearingId;
  const recent = (await seedOtherCase(server.db)).hearingId;
  const oldDir = await recordOne(old, 'track-old', 31);
  const recentDir = await recordOne(recent, 'track-recent', 29);

  assert.deepEqual(await server.app.recording.sweepRetention(Date.now()), [old]);
  assert.equal(existsSync(oldDir), false, 'the old recording’s files are gone');
  assert.equal(existsSync(recentDir), true, 'the recent one is kept');
  const tracks = (await sqlOf(server).all<{ hearing_id: string }>('select hearing_id from recording_tracks')).map((r) => r.hearing_id);
  assert.deepEqual(tracks, [recent]);
});

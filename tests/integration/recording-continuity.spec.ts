/**
 * The recording is exact, through the real server in its default configuration (only the port and
 * data folder set): the hall's media room (a real mediasoup worker, a hall microphone with a
 * steady tone and a hall camera) is plugged in, the secretary starts the recording, the
 * microphone drops out and comes back, the judge calls a break (the recording pauses) and ends it
 * (it resumes), the microphone drops out once more, and the secretary stops.
 *
 * What a person checking the record would do, with ffprobe and ffmpeg:
 * - each track's segments, measured by ffprobe, cover every recorded span from the moment the log
 *   says it began to the moment it ended, within 0.2 s, or the missing part is a logged gap;
 * - the filed hall mix runs on the protocol's time line: it lasts as long as was recorded (the
 *   break left out), and each moment the microphone went silent in it is where the protocol's
 *   entry for that gap points (the `t=` of the PDF, the JSON's recordingMs, the WebVTT cue).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import { MEDIA_CODECS, SyntheticSources } from '../../media/src/recording/testing/synthetic-sources.ts';
import { resolveWorkerBin } from '../../media/worker/worker-bin.ts';
import type { CommandName } from '../../server/src/shared/hearing/schemas.ts';
import { closeAll, dataOf, demoHearing, inStep, workstation, type DemoHearing, type Workstation } from '../helpers/hall.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { sqlOf } from '../helpers/sql.ts';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The most a track may lack at a start or resume without a gap saying so. */
const TOLERANCE_S = 0.2;

type LoggedEvent = { version: number; at: number; type: string; payload: Record<string, unknown> };
type Span = { from: number; to: number };
type Gap = { trackId: string; from: number; to: number; reason: string };

async function probeDuration(file: string): Promise<number> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file]);
  return Number(stdout.trim());
}

/** Where the mix's audio is silent for a second or more: ffmpeg's silencedetect, in seconds. */
async function silences(file: string): Promise<{ start: number; end: number }[]> {
  const { stderr } = await run('ffmpeg', ['-hide_banner', '-nostdin', '-i', file, '-map', '0:a', '-af', 'silencedetect=noise=-35dB:d=1', '-f', 'null', '-']);
  const starts = [...stderr.matchAll(/silence_start: ([\d.]+)/g)].map((m) => Number(m[1]));
  const ends = [...stderr.matchAll(/silence_end: ([\d.]+)/g)].map((m) => Number(m[1]));
  return starts.map((start, i) => ({ start, end: ends[i] ?? Number.POSITIVE_INFINITY }));
}

describe('the recording holds the whole hearing, on one time line with the protocol', () => {
  let server: TestServer;
  let demo: DemoHearing;
  let worker: types.Worker;
  let room: SyntheticSources;
  let judge: Workstation, secretary: Workstation;

  before(async () => {
    server = await startTestServer();
    demo = await demoHearing(server.db);
    [judge, secretary] = await Promise.all(['judge', 'secretary'].map((u) => workstation(server.url, u, demo.hearingId)));
    await Promise.all([judge, secretary].map((s) => inStep(s)));
    worker = await mediasoup.createWorker({ workerBin: resolveWorkerBin(), logLevel: 'warn' });
    room = new SyntheticSources(await worker.createRouter({ mediaCodecs: MEDIA_CODECS }));
  });
  after(async () => {
    closeAll([judge, secretary].filter(Boolean));
    await server?.close();
    room?.close();
    worker?.close();
  });

  const act = async (station: Workstation, name: CommandName) => {
    const { version } = dataOf(await station.follower.send(name, {} as never));
    await Promise.all([judge, secretary].map((s) => s.follower.reached(version)));
  };
  const logged = async (): Promise<LoggedEvent[]> =>
    (
      await sqlOf(server).all<{ version: number; at: number; type: string; payload: string }>(
        'select version, at, type, payload from hearing_events where hearing_id = ? order by version',
        demo.hearingId,
      )
    ).map((row) => ({ ...row, payload: JSON.parse(row.payload) as Record<string, unknown> }));

  test(
    'start, a microphone lost and back, a break, resume, lost and back again, stop: every track covers the recorded time or logs what it lacks; the mix and the links agree',
    { timeout: 180_000 },
    async () => {
      await room.add('hall-mic', 'audio', 'Микрофон зала');
      await room.add('hall-cam', 'video', 'Камера зала');
      await server.app.recording.attachRoom(demo.hearingId, room);
      await sleep(1500);
      await act(judge, 'hearing:open');

      await act(secretary, 'recording:start');
      await sleep(6000);
      room.remove('hall-mic');
      await sleep(3000);
      await room.add('hall-mic', 'audio', 'Микрофон зала');
      await sleep(4000);
      await act(judge, 'hearing:start-break');
      await sleep(3000);
      await act(judge, 'hearing:end-break');
      await sleep(6000);
      room.remove('hall-mic');
      await sleep(3000);
      await room.add('hall-mic', 'audio', 'Микрофон зала');
      await sleep(4000);
      await act(secretary, 'recording:stop');
      const mix = await server.app.recording.finalMix(demo.hearingId);
      assert.ok(mix, 'a hall mix is filed');

      // The recorded spans and the gaps, as the log has them.
      const events = await logged();
      const spans: Span[] = [];
      for (const e of events) {
        if (e.type === 'recording.started' || e.type === 'recording.resumed') spans.push({ from: e.at, to: Number.NaN });
        if (e.type === 'recording.paused' || e.type === 'recording.stopped') spans[spans.length - 1].to = e.at;
      }
      assert.equal(spans.length, 2, 'recorded before and after the break');
      const gaps: Gap[] = events
        .filter((e) => e.type === 'recording.gap_ended')
        .map((e) => ({ trackId: String(e.payload.trackId), from: Number(e.payload.from), to: Number(e.payload.to), reason: String(e.payload.reason) }));

      // Every track, span by span: media measured by ffprobe plus logged gaps against the wall time.
      const tracks = await sqlOf(server).all<{ id: string; label: string; dir: string }>('select id, label, dir from recording_tracks where hearing_id = ?', demo.hearingId);
      assert.equal(tracks.length, 2, 'one track per source, the microphone keeping its track');
      const report: string[] = [];
      for (const track of tracks) {
        // Quoted aliases: PostgreSQL folds unquoted ones to lower case.
        const segments = await sqlOf(server).all<{ file: string; startedAt: number; durationMs: number }>(
          'select file, started_at as "startedAt", duration_ms as "durationMs" from recording_segments where track_id = ? order by seq',
          track.id,
        );
        for (const span of spans) {
          const inSpan = segments.filter((s) => s.startedAt + s.durationMs > span.from - 1000 && s.startedAt < span.to);
          let media = 0;
          for (const s of inSpan) media += await probeDuration(path.join(server.dataDir, 'recordings', track.dir, s.file));
          const gapS = gaps.filter((g) => g.trackId === track.id).reduce((sum, g) => sum + Math.max(0, Math.min(g.to, span.to) - Math.max(g.from, span.from)), 0) / 1000;
          const wall = (span.to - span.from) / 1000;
          report.push(`${track.label}: span ${wall.toFixed(2)} s, media ${media.toFixed(2)} s, gaps ${gapS.toFixed(2)} s`);
          assert.ok(media + gapS >= wall - TOLERANCE_S, `${track.label} lacks ${(wall - media - gapS).toFixed(2)} s of a ${wall.toFixed(2)} s span without a gap saying so:\n${report.join('\n')}`);
        }
      }
      const micGaps = gaps.filter((g) => g.reason === 'source_lost');
      assert.equal(micGaps.length, 2, `the microphone's two losses are logged: ${JSON.stringify(gaps)}`);

      // The mix: as long as was recorded, the break left out.
      const recordedS = spans.reduce((sum, s) => sum + (s.to - s.from), 0) / 1000;
      const mixS = await probeDuration(mix.path);
      assert.ok(Math.abs(mixS - recordedS) <= 0.5, `the mix lasts ${mixS.toFixed(2)} s for ${recordedS.toFixed(2)} s recorded`);

      // The protocol's entries for the microphone's losses point where the mix falls silent.
      const protocol = (await secretary.api.get(`/api/hearings/${demo.hearingId}/protocol.json`)).body as { entries: { type: string; recordingMs: number | null; at: number }[] };
      const lost = protocol.entries.filter((e) => e.type === 'recording.gap_started' && micGaps.some((g) => g.from === e.at));
      assert.equal(lost.length, 2, JSON.stringify(protocol.entries.map((e) => [e.type, e.at])));
      const quiet = await silences(mix.path);
      for (const entry of lost) {
        const t = entry.recordingMs! / 1000;
        assert.ok(
          quiet.some((q) => Math.abs(q.start - t) <= 0.3),
          `the protocol says the microphone was lost at t=${t.toFixed(2)}; the mix is silent at ${quiet.map((q) => `${q.start.toFixed(2)}–${q.end.toFixed(2)}`).join(', ')}`,
        );
      }
      // And nowhere else: the break is not in the mix as silence.
      assert.equal(quiet.length, 2, `silences in the mix: ${quiet.map((q) => `${q.start.toFixed(2)}–${q.end.toFixed(2)}`).join(', ')}`);
      // The WebVTT chapter of the second loss starts at the same moment.
      const vtt = String((await secretary.api.get(`/api/hearings/${demo.hearingId}/protocol.vtt`)).body);
      const second = lost[1].recordingMs!;
      const stamp = `${String(Math.floor(second / 3_600_000)).padStart(2, '0')}:${String(Math.floor((second % 3_600_000) / 60_000)).padStart(2, '0')}:${String(Math.floor((second % 60_000) / 1000)).padStart(2, '0')}.${String(second % 1000).padStart(3, '0')}`;
      assert.ok(vtt.includes(`${stamp} -->`), `the WebVTT cue at ${stamp}:\n${vtt}`);
    },
  );
});

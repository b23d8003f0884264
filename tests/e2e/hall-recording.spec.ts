/**
 * End-to-end: what the hall's browsers publish is what gets recorded. The judge turns on the
 * workstation's camera and microphone (Chromium's fake devices, through mediasoup-client and a
 * real mediasoup worker); the secretary starts the recording; the recording service, plugged into
 * the hearing's media room, records the judge's microphone and camera as two tracks of WebM
 * segments (Opus and VP8, copied, not re-encoded); after the stop the verifier finds them intact.
 *
 * Needs the web app built (`npm run build:web`), Debian's Chromium, the mediasoup worker and ffmpeg.
 * Run: node --test tests/e2e/hall-recording.spec.ts
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import type { RecordingView } from '../../server/src/shared/api/recording-view.ts';
import { BrowserHarness, FAKE_MEDIA_ARGS, logIn } from '../helpers/browser.ts';
import { closeAll, dataOf, demoHearing, inStep, until, workstation, type DemoHearing, type Workstation } from '../helpers/hall.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const DESKTOP = { width: 1440, height: 900 };
const run = promisify(execFile);

describe('recording what the hall publishes', () => {
  let server: TestServer | undefined;
  let harness: BrowserHarness | undefined;
  let demo: DemoHearing;
  let secretary: Workstation | undefined;
  let presiding: Workstation | undefined;

  before(async () => {
    server = await startTestServer({ MEDIA_WORKERS: '1', MEDIA_LISTEN_IP: '127.0.0.1', MEDIA_RTC_MIN_PORT: '42000', MEDIA_RTC_MAX_PORT: '42999', RECORDING_SEGMENT_SECONDS: '2' });
    harness = await BrowserHarness.launch(FAKE_MEDIA_ARGS);
    demo = demoHearing(server.sqlite!);
    presiding = await workstation(server.url, 'judge', demo.hearingId);
    secretary = await workstation(server.url, 'secretary', demo.hearingId);
    await Promise.all([inStep(presiding), inStep(secretary)]);
    dataOf(await presiding.follower.send('hearing:open', {}));
  });

  after(async () => {
    closeAll([secretary, presiding].filter((w) => w !== undefined));
    await harness?.close();
    await server?.close();
  });

  test("the judge's microphone and camera become two recorded tracks, intact", async () => {
    assert.ok(server && harness && secretary);
    const judge = await harness.openPage(DESKTOP, 30_000, { permissions: ['camera', 'microphone'] });
    await logIn(judge, server.url, 'judge');
    await judge.goto(`${server.url}/hearings/${demo.hearingId}/judge`);
    await judge.locator('[data-testid="hearing-page"][data-status="online"]').waitFor();
    await judge.getByTestId('media-start').click();
    await judge.locator('[data-testid="media-phase"][data-phase="live"]').waitFor();

    dataOf(await secretary.follower.send('recording:start', {}));
    const view = async () => (await secretary!.api.get(`/api/hearings/${demo.hearingId}/recording`)).body as RecordingView;
    // Polled until both of the judge's sources have closed segments: no timing is assumed.
    for (const deadline = Date.now() + 90_000; ; await new Promise((resolve) => setTimeout(resolve, 500))) {
      const tracks = (await view()).tracks.filter((t) => t.role === 'presiding_judge');
      if (['audio', 'video'].every((kind) => tracks.some((t) => t.kind === kind && t.segments.length >= 2))) break;
      assert.ok(Date.now() < deadline, `the judge's media was not recorded: ${JSON.stringify(tracks.map((t) => [t.kind, t.segments.length]))}`);
    }
    await until(() => (secretary!.follower.replica.state?.recording.sources ?? 0) >= 2, 10_000);
    dataOf(await secretary.follower.send('recording:stop', {}));

    const tracks = (await view()).tracks.filter((t) => t.role === 'presiding_judge');
    assert.deepEqual(tracks.map((t) => t.kind).sort(), ['audio', 'video'], 'one track per source');
    for (const track of tracks) {
      const response: Response = await fetch(`${server.url}/api/hearings/${demo.hearingId}/recording/tracks/${track.trackId}/segments/1`, { headers: { cookie: secretary.api.cookieHeader } });
      assert.equal(response.status, 200);
      const file = path.join(server.dataDir, `segment-${track.kind}.webm`);
      writeFileSync(file, Buffer.from(await response.arrayBuffer()));
      const probe = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', file]);
      assert.equal(probe.stdout.trim(), track.kind === 'audio' ? 'opus' : 'vp8', `the ${track.kind} is stored as sent`);
    }
    const verdict = await secretary.api.post(`/api/hearings/${demo.hearingId}/recording/verify`);
    assert.equal(verdict.status, 200);
    assert.equal(verdict.body.ok, true, JSON.stringify(verdict.body.firstBad));
  });
});

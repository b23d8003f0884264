/**
 * End-to-end: recording the demo hearing in real browsers. The secretary starts the recording
 * from her workstation before any media room exists, and the secretary's screen and the hall's
 * wall screen both say so ("no microphones or cameras"); the hall's media (a real mediasoup worker
 * with a synthetic microphone and camera) is plugged in, the secretary stops, and the judge opens
 * the playback page: the timeline lists the recording's events, a jump plays a track from there,
 * and the verifier's button proves the recording intact.
 *
 * Needs the web app built (`npm run build:web`) and Debian's Chromium.
 * Run: node --test tests/e2e/recording.spec.ts
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as mediasoup from 'mediasoup';
import type { types } from 'mediasoup';
import type { Page } from 'playwright-core';
import { kk } from '../../apps/web/src/lib/i18n/kk.ts';
import { ru } from '../../apps/web/src/lib/i18n/ru.ts';
import { MEDIA_CODECS, SyntheticSources } from '../../media/src/recording/testing/synthetic-sources.ts';
import { resolveWorkerBin } from '../../media/worker/worker-bin.ts';
import { BrowserHarness, logIn as logInDemo } from '../helpers/browser.ts';
import { closeAll, dataOf, demoHearing, inStep, until, workstation, type DemoHearing, type Workstation } from '../helpers/hall.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const DESKTOP = { width: 1440, height: 900 };

describe('recording in the browser: the indicator everywhere, the playback page', () => {
  let server: TestServer | undefined;
  let harness: BrowserHarness | undefined;
  let demo: DemoHearing;
  let judgeSocket: Workstation | undefined;
  let worker: types.Worker | undefined;
  let room: SyntheticSources | undefined;

  before(async () => {
    server = await startTestServer({ RECORDING_SEGMENT_SECONDS: '2' });
    harness = await BrowserHarness.launch();
    demo = demoHearing(server.sqlite!);
    judgeSocket = await workstation(server.url, 'judge', demo.hearingId);
    await inStep(judgeSocket);
    dataOf(await judgeSocket.follower.send('hearing:open', {}));
    worker = await mediasoup.createWorker({ workerBin: resolveWorkerBin(), logLevel: 'warn' });
    room = new SyntheticSources(await worker.createRouter({ mediaCodecs: MEDIA_CODECS }));
  });

  after(async () => {
    closeAll(judgeSocket ? [judgeSocket] : []);
    await harness?.close();
    await server?.close();
    room?.close();
    worker?.close();
  });

  async function logIn(username: string, path: string): Promise<Page> {
    assert.ok(server && harness);
    const page = await harness.openPage(DESKTOP, 20_000);
    await logInDemo(page, server.url, username);
    await page.goto(server.url + path);
    return page;
  }

  test('the secretary starts the recording; her screen and the wall screen show it, then its sources', async () => {
    const secretary = await logIn('secretary', `/hearings/${demo.hearingId}/secretary`);
    const display = await logIn('hall1', `/hearings/${demo.hearingId}/display`);
    await secretary.locator('[data-testid="hearing-page"][data-status="online"]').waitFor();
    await display.locator('[data-testid="display-head"] [data-testid="recording-indicator"][data-status="off"]').waitFor();

    await secretary.getByTestId('recording-start').click();
    for (const page of [secretary, display]) {
      const indicator = page.locator('[data-testid="recording-indicator"][data-status="recording"]').first();
      await indicator.waitFor();
      // The secretary's account reads Russian, the wall screen Kazakh.
      assert.match(await indicator.innerText(), new RegExp(`${ru['recording.no_sources']}|${kk['recording.no_sources']}`));
    }

    await room!.add('hall-mic-1', 'audio', 'Микрофон судьи');
    await room!.add('hall-cam-1', 'video', 'Камера зала');
    await server!.app.recording.attachRoom(demo.hearingId, room!);
    const segments = () => (server!.sqlite!.prepare('select count(*) as n from recording_segments').get() as { n: number }).n;
    await until(() => segments() >= 6, 30_000);

    await secretary.getByTestId('recording-stop').click();
    await display.locator('[data-testid="display-head"] [data-testid="recording-indicator"][data-status="stopped"]').waitFor();
    await until(() => server!.app.recording.hallMix(demo.hearingId) !== null, 30_000);
  });

  test('the judge plays the recording from an event of the timeline and verifies it', async () => {
    const judge = await logIn('judge', `/hearings/${demo.hearingId}/recording`);
    await judge.getByTestId('recording-page').waitFor();
    const started = judge.locator('[data-testid="timeline-event"][data-type="recording.started"]');
    assert.match(await started.innerText(), new RegExp(ru['hall_event.recording_started']));
    assert.equal(await judge.locator('[data-testid="timeline-event"][data-type="recording.chain_heads"]').count(), 0);

    // The hall mix plays by default; choose the microphone's own track and jump to the stop.
    await judge.locator('[data-testid="source-track"][data-kind="audio"]').check();
    await judge.locator('[data-testid="timeline-event"][data-type="recording.stopped"]').getByTestId('timeline-jump').click();
    const player = judge.locator('[data-testid="recording-player"][data-source="track"]');
    await player.waitFor();
    const seq = Number(await player.getAttribute('data-seq'));
    assert.ok(seq >= 2, `the jump loads a later segment of the track (${seq})`);
    await judge.waitForFunction(() => ((document.querySelector('[data-testid="recording-player"] video') as HTMLVideoElement | null)?.readyState ?? 0) >= 1);

    await judge.getByTestId('recording-verify-button').click();
    const verdict = judge.locator('[data-testid="recording-verdict"][data-ok="true"]');
    await verdict.waitFor();
    harness!.assertNoPageErrors();
  });
});

/**
 * End-to-end: a remote witness's phone on a bad network. The presiding judge publishes a 1280×720
 * camera (Chromium's fake device at that size, sent as three simulcast layers); the witness's phone
 * page, admitted, receives it through a user-space UDP relay that caps the bandwidth, delays and
 * loses packets (bench/glass/impairing-relay.ts: the kernel has no netem), both directions and all
 * the phone's transports on the one capped link, as a phone's radio is. The server runs with its
 * defaults (one media worker on a port range of its own).
 *
 * What a person would notice, in order, as the cap drops and is lifted:
 * - the picture on the phone gets smaller: the decoded frame width steps down a layer (1280 → 640
 *   → 320) as mediasoup's estimate falls, and the judge's tile of the witness says "weak";
 * - at the lowest cap the phone says "sound only", its video stops while its sound still flows,
 *   and the judge's tile says "sound only";
 * - with the cap lifted the notice goes, the picture comes back at full size and the badge returns
 *   to "good".
 * The measured figures (cap, the server's estimate when the step was seen, the width, how long
 * each took) are printed: docs/media.md, "Bad networks", quotes them.
 *
 * Needs the web app built (`npm run build:web`) and Debian's Chromium.
 * Run: flock /tmp/ezal-web.lock node --test --test-reporter=spec tests/e2e/remote-bad-network.spec.ts
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { routePageThroughRelay } from '../../bench/glass/glass-page.ts';
import { ImpairingRelay } from '../../bench/glass/impairing-relay.ts';
import { BrowserHarness, enterAndAdmit, FAKE_MEDIA_ARGS, judgeMediaLive, TRACK_PEER_CONNECTIONS } from '../helpers/browser.ts';
import { demoHearing, type DemoHearing } from '../helpers/hall.ts';
import { ApiClient, startTestServer, type TestServer } from '../helpers/server.ts';

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
/** Unimpaired enough for the top layer (900 kbit/s) and everything else of the phone. */
const OPEN_KBPS = 5000;
/** How long each cap is held while looking for a layer step (mediasoup's estimate needs a few seconds to settle). */
const STEP_WAIT_MS = 20_000;

/**
 * The judge's camera at 1280×720, whatever the page asks for, and kept at that size when the
 * machine is busy (Chromium would otherwise shrink a camera's picture to save CPU): installed
 * before the app runs.
 */
const CAMERA_1280 = () => {
  const devices = navigator.mediaDevices;
  const original = devices.getUserMedia.bind(devices);
  devices.getUserMedia = (constraints?: MediaStreamConstraints) =>
    original(constraints?.video ? { ...constraints, video: { width: { exact: 1280 }, height: { exact: 720 }, frameRate: { ideal: 30 } } } : constraints);
  const addTransceiver = RTCPeerConnection.prototype.addTransceiver;
  RTCPeerConnection.prototype.addTransceiver = function (this: RTCPeerConnection, ...args: Parameters<RTCPeerConnection['addTransceiver']>) {
    const transceiver = addTransceiver.apply(this, args);
    if (transceiver.sender.track?.kind === 'video') {
      setTimeout(() => {
        const parameters = transceiver.sender.getParameters();
        (parameters as RTCRtpSendParameters & { degradationPreference?: string }).degradationPreference = 'maintain-resolution';
        transceiver.sender.setParameters(parameters).catch(() => {});
      }, 2000);
    }
    return transceiver;
  };
};

type Reception = { width: number; frames: number; audioSamples: number; audioEnergy: number };

/** What the phone decodes of the hall now: the width of the last video frame, frames decoded, audio received. */
function reception(page: Page): Promise<Reception> {
  return page.evaluate(async () => {
    const sum = { width: 0, frames: 0, audioSamples: 0, audioEnergy: 0 };
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      if (pc.connectionState === 'closed') continue;
      for (const r of ((await pc.getStats()) as unknown as Map<string, Record<string, number | string>>).values()) {
        if (r.type !== 'inbound-rtp') continue;
        if (r.kind === 'video') {
          sum.frames += Number(r.framesDecoded ?? 0);
          sum.width = Math.max(sum.width, Number(r.frameWidth ?? 0));
        } else {
          sum.audioSamples += Number(r.totalSamplesReceived ?? 0);
          sum.audioEnergy += Number(r.totalAudioEnergy ?? 0);
        }
      }
    }
    return sum;
  });
}

/** Polls until the phone decodes frames of `check`ed width (and they keep coming); returns that reception. */
async function untilWidth(page: Page, check: (width: number) => boolean, what: string, timeoutMs: number): Promise<Reception> {
  const deadline = Date.now() + timeoutMs;
  let last = await reception(page);
  for (;;) {
    await page.waitForTimeout(500);
    const now = await reception(page);
    if (check(now.width) && now.frames > last.frames) return now;
    if (Date.now() > deadline) throw new Error(`${what}: ${JSON.stringify(now)}`);
    last = now;
  }
}

describe('a remote witness on a bad network: simulcast steps, sound only, and back', () => {
  let server: TestServer | undefined;
  let harness: BrowserHarness | undefined;
  let relay: ImpairingRelay | undefined;
  let demo: DemoHearing;
  let judge: Page;
  let phone: Page;
  let badge: Locator;
  const figures: Record<string, unknown>[] = [];

  /** Caps the phone's link (both directions) and notes when. */
  function cap(kbps: number): number {
    relay!.up.impairment.kbps = kbps;
    return performance.now();
  }
  /**
   * Notes a step: the cap, the width, how long it took, and the server's estimate in the report that
   * carried the change to the judge's badge (`reported`: the badge's state then, e.g. the layer's scale).
   */
  async function note(step: string, kbps: number, since: number, seen: Reception | null, reported: string): Promise<void> {
    const afterS = Math.round((performance.now() - since) / 100) / 10;
    await badge
      .and(judge.locator(reported))
      .waitFor({ timeout: 15_000 })
      .catch(() => {});
    const estimate = await badge.getAttribute('data-kbps').catch(() => null);
    figures.push({
      step,
      capKbps: kbps,
      serverEstimateKbps: estimate === null || estimate === '' ? null : Number(estimate),
      width: seen?.width ?? null,
      afterS,
    });
  }

  before(async () => {
    server = await startTestServer({ MEDIA_WORKERS: '1', MEDIA_LISTEN_IP: '127.0.0.1', MEDIA_RTC_MIN_PORT: '46000', MEDIA_RTC_MAX_PORT: '46999' });
    harness = await BrowserHarness.launch(FAKE_MEDIA_ARGS);
    // Up and down share the one impairment object: one cap for the phone's radio link.
    relay = new ImpairingRelay({ delayMs: 20, loss: 0.005, kbps: OPEN_KBPS, queueMs: 200 });
    demo = demoHearing(server.sqlite!);
  });

  after(async () => {
    if (figures.length > 0) console.log('bad-network thresholds measured:\n' + figures.map((f) => '  ' + JSON.stringify(f)).join('\n'));
    await harness?.close();
    relay?.close();
    await server?.close();
  });

  test('the judge publishes a 1280×720 camera; the witness, admitted, receives it through the impaired path at full size', async () => {
    assert.ok(server && harness && relay);
    judge = await harness.openPage(DESKTOP, 60_000, { permissions: ['camera', 'microphone'] });
    await judge.addInitScript(CAMERA_1280);
    await judgeMediaLive(judge, server.url, demo.hearingId);

    const secretary = new ApiClient(server.url);
    await secretary.login('secretary');
    const invited = await secretary.post(`/api/hearings/${demo.hearingId}/invitations`, { participantId: demo.participants.witness });
    assert.equal(invited.status, 201, JSON.stringify(invited.body));
    phone = await harness.openPage(PHONE, 60_000, { permissions: ['camera', 'microphone'], isMobile: true });
    await routePageThroughRelay(phone, relay);
    await phone.addInitScript(TRACK_PEER_CONNECTIONS);
    await enterAndAdmit(phone, invited.body.invitation.link, judge, demo.participants.witness);

    const since = performance.now();
    const seen = await untilWidth(phone, (w) => w === 1280, 'the full 1280 layer never reached the phone', 90_000);
    badge = judge.locator(`[data-testid="tile-link"][data-participant-id="${demo.participants.witness}"]`);
    await badge.and(judge.locator('[data-link="good"]')).waitFor({ timeout: 30_000 });
    await note('full', OPEN_KBPS, since, seen, '[data-link="good"][data-scale="1"]');
    assert.ok(relay.down.packets > 0 && relay.up.packets > 0, 'the phone’s media go through the relay');
  });

  /**
   * Lowers the cap through `caps`, holding each for up to STEP_WAIT_MS, until the phone decodes
   * frames narrower than `below`: where a layer step happens is measured, not assumed (the layers'
   * real bitrates depend on the picture and the machine). Returns the reception and the cap.
   */
  async function stepDownBelow(below: number, caps: number[], what: string): Promise<{ seen: Reception; kbps: number }> {
    for (const kbps of caps) {
      const since = cap(kbps);
      try {
        const seen = await untilWidth(phone, (w) => w > 0 && w < below, what, STEP_WAIT_MS);
        await note(what, kbps, since, seen, `[data-scale="${1280 / seen.width}"]`);
        return { seen, kbps };
      } catch {
        // Still at the wider layer at this cap: one notch lower.
      }
    }
    throw new Error(`${what}: no step below ${below} px down to ${caps.at(-1)} kbit/s: ${JSON.stringify(await reception(phone))}`);
  }

  test('as the cap drops the picture on the phone steps down the layers (1280 → 640 → 320) and the judge sees "weak"', async () => {
    const middle = await stepDownBelow(1280, [900, 700, 600, 520, 450, 400], 'middle layer');
    assert.equal(middle.seen.width, 640, 'one layer down: half the camera’s width');
    await badge.and(judge.locator('[data-link="weak"]')).waitFor({ timeout: 30_000 });

    const lowest = await stepDownBelow(640, [380, 340, 300, 260, 220], 'lowest layer');
    assert.equal(lowest.seen.width, 320, 'the lowest layer: a quarter of the camera’s width');
    assert.ok(lowest.kbps < middle.kbps);
    await badge.and(judge.locator('[data-link="weak"]')).waitFor({ timeout: 30_000 });
  });

  test('at the lowest cap: sound only — the phone says so, its video stops, its sound flows; the judge sees "sound only"', async () => {
    const since = cap(90);
    await phone.getByTestId('join-link-audio-only').waitFor({ timeout: 90_000 });
    await note('sound only', 90, since, null, '[data-link="audio_only"]');
    await badge.and(judge.locator('[data-link="audio_only"]')).waitFor({ timeout: 10_000 });
    // Frames already on the way drain first; then a window shorter than the first trial of video.
    await phone.waitForTimeout(1500);
    const before = await reception(phone);
    await phone.waitForTimeout(3000);
    const afterWindow = await reception(phone);
    assert.equal(afterWindow.frames, before.frames, `no video while sound only: ${JSON.stringify({ before, afterWindow })}`);
    assert.ok(afterWindow.audioSamples > before.audioSamples, `the sound still flows: ${JSON.stringify({ before, afterWindow })}`);
    assert.ok(afterWindow.audioEnergy > before.audioEnergy, 'and is not silence');
  });

  test('with the cap lifted the picture comes back at full size, the notice goes and the badge returns to "good"', async () => {
    const since = cap(OPEN_KBPS);
    await phone.getByTestId('join-link-audio-only').waitFor({ state: 'detached', timeout: 120_000 });
    await note('video back', OPEN_KBPS, since, await reception(phone), '[data-link]:not([data-link="audio_only"])');
    const seen = await untilWidth(phone, (w) => w === 1280, 'the full layer never came back', 120_000);
    await badge.and(judge.locator('[data-link="good"]')).waitFor({ timeout: 60_000 });
    await note('full again', OPEN_KBPS, since, seen, '[data-link="good"][data-scale="1"]');
    harness?.assertNoPageErrors();
  });
});

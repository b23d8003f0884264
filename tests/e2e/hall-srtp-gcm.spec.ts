/**
 * End-to-end: the worker's SRTP is libsrtp 2 with OpenSSL (media/worker/libsrtp.ts), and a real
 * browser's DTLS handshake with it negotiates an AEAD AES-GCM suite. The judge and the defender
 * open the hearing in Debian's Chromium with fake cameras and microphones; each page's WebRTC
 * statistics (RTCTransportStats) must show DTLS connected over DTLS 1.2 with `srtpCipher`
 * AEAD_AES_128_GCM or AEAD_AES_256_GCM on every transport, and both pages must decode each other's
 * video and audio — so the worker encrypts and decrypts with that suite, not merely agrees on it.
 *
 * Needs the web app built (`npm run build:web`), the worker built (`npm run setup`) and Debian's
 * Chromium. Run: flock /tmp/ezal-web.lock node --test tests/e2e/hall-srtp-gcm.spec.ts
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { neededLibraries } from '../../media/worker/libsrtp.ts';
import { resolveWorkerBin } from '../../media/worker/worker-bin.ts';
import { BrowserHarness, FAKE_MEDIA_ARGS, logIn, TRACK_PEER_CONNECTIONS } from '../helpers/browser.ts';
import { demoHearing, type DemoHearing } from '../helpers/hall.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const DESKTOP = { width: 1280, height: 800 };
const GCM = /^SRTP_AEAD_AES_(128|256)_GCM$/; // the DTLS-SRTP profile names (RFC 7714) Chromium reports

type TransportSeen = { state: string; dtlsState: string; tlsVersion: string; dtlsCipher: string; srtpCipher: string };
type PageSeen = { transports: TransportSeen[]; framesDecoded: number; audioBytes: number };

/** Every open peer connection's DTLS transport (RTCTransportStats), and what was received. */
function look(page: Page): Promise<PageSeen> {
  return page.evaluate(async () => {
    const transports: TransportSeen[] = [];
    let framesDecoded = 0;
    let audioBytes = 0;
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      if (pc.connectionState === 'closed') continue;
      for (const report of ((await pc.getStats()) as unknown as Map<string, Record<string, never>>).values()) {
        if (report.type === 'transport') {
          transports.push({
            state: pc.connectionState,
            dtlsState: report.dtlsState ?? '',
            tlsVersion: report.tlsVersion ?? '',
            dtlsCipher: report.dtlsCipher ?? '',
            srtpCipher: report.srtpCipher ?? '',
          });
        }
        if (report.type === 'inbound-rtp' && report.kind === 'video') framesDecoded += report.framesDecoded ?? 0;
        if (report.type === 'inbound-rtp' && report.kind === 'audio') audioBytes += report.bytesReceived ?? 0;
      }
    }
    return { transports, framesDecoded, audioBytes };
  });
}

/** Polls until the page has a send and a receive transport, all DTLS-connected, and it decodes video and audio. */
async function connectedAndReceiving(label: string, page: Page, timeoutMs = 60_000): Promise<PageSeen> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seen = await look(page);
    const connected = seen.transports.length >= 2 && seen.transports.every((t) => t.dtlsState === 'connected');
    if (connected && seen.framesDecoded > 0 && seen.audioBytes > 0) return seen;
    if (Date.now() > deadline) throw new Error(`${label}: not connected and receiving: ${JSON.stringify(seen)}`);
    await page.waitForTimeout(250);
  }
}

describe("the browser's DTLS handshake with the worker negotiates AES-GCM SRTP", () => {
  let server: TestServer | undefined;
  let harness: BrowserHarness | undefined;
  let demo: DemoHearing;
  const pages: { label: string; page: Page }[] = [];

  before(async () => {
    server = await startTestServer({ MEDIA_WORKERS: '1', MEDIA_LISTEN_IP: '127.0.0.1', MEDIA_RTC_MIN_PORT: '46000', MEDIA_RTC_MAX_PORT: '46999' });
    harness = await BrowserHarness.launch(FAKE_MEDIA_ARGS);
    demo = demoHearing(server.sqlite!);
  });

  after(async () => {
    await harness?.close();
    await server?.close();
  });

  test('the worker has libsrtp 2 with OpenSSL linked in, not the system libsrtp2 (NSS)', () => {
    const bin = resolveWorkerBin();
    const needed = neededLibraries(bin);
    assert.ok(!needed.some((name) => /^lib(srtp|nss3)/.test(name)), `${bin} loads ${needed.join(' ')}`);
    assert.ok(needed.includes('libcrypto.so.3'), `${bin} loads ${needed.join(' ')}`);
    const binary = readFileSync(bin);
    for (const cipher of ['AES-128 GCM using openssl', 'AES-256 GCM using openssl', 'AES-128 counter mode using openssl']) {
      assert.ok(binary.includes(cipher), `${bin} lacks libsrtp's "${cipher}"`);
    }
  });

  test('the judge and the defender turn on media; every transport is DTLS 1.2 with an AEAD AES-GCM SRTP suite, and media flow', async () => {
    assert.ok(server && harness);
    for (const username of ['judge', 'defender']) {
      const page = await harness.openPage(DESKTOP, 30_000, { permissions: ['camera', 'microphone'] });
      await page.addInitScript(TRACK_PEER_CONNECTIONS);
      await logIn(page, server.url, username);
      await page.goto(`${server.url}/hearings/${demo.hearingId}`);
      await page.locator('[data-testid="hearing-page"][data-status="online"]').waitFor();
      await page.getByTestId('media-start').click();
      await page.locator('[data-testid="media-phase"][data-phase="live"]').waitFor();
      pages.push({ label: username, page });
    }
    for (const { label, page } of pages) {
      const seen = await connectedAndReceiving(label, page);
      console.log(`${label}: ${JSON.stringify(seen)}`);
      for (const transport of seen.transports) {
        assert.match(transport.srtpCipher, GCM, `${label}: ${JSON.stringify(transport)}`);
        assert.equal(transport.tlsVersion, 'FEFD', `${label}: DTLS 1.2 (${JSON.stringify(transport)})`);
      }
    }
    harness.assertNoPageErrors();
  });
});

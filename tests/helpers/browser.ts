/**
 * Debian's Chromium driven by playwright-core, for the browser tests: launched with the flags a
 * closed network needs, one fresh profile (cookies, localStorage) per page, and every uncaught
 * exception of any page collected, since a working app has none.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const BUILD_INDEX = path.resolve(import.meta.dirname, '..', '..', 'apps', 'web', 'build', 'index.html');
const CHROMIUM = '/usr/bin/chromium';

/** Chromium's synthetic camera (a test pattern) and microphone (a beep), granted without asking. */
export const FAKE_MEDIA_ARGS = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required'];

/** Every RTCPeerConnection a page makes, kept on `window.__pcs` so the test can read their stats. */
export const TRACK_PEER_CONNECTIONS = () => {
  const Original = window.RTCPeerConnection;
  const made: RTCPeerConnection[] = [];
  (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs = made;
  window.RTCPeerConnection = class extends Original {
    constructor(...args: ConstructorParameters<typeof RTCPeerConnection>) {
      super(...args);
      made.push(this);
    }
  };
};

export class BrowserHarness {
  readonly browser: Browser;
  /** Messages of uncaught exceptions in any page opened so far. */
  readonly pageErrors: string[] = [];
  #contexts: BrowserContext[] = [];

  private constructor(browser: Browser) {
    this.browser = browser;
  }

  /** Fails with what to do when the web app is not built or Chromium is not installed. */
  /** `extraArgs`: more Chromium flags, e.g. FAKE_MEDIA_ARGS for tests with camera and microphone. */
  static async launch(extraArgs: string[] = []): Promise<BrowserHarness> {
    if (!fs.existsSync(BUILD_INDEX)) throw new Error(`The web app is not built (${BUILD_INDEX} is missing): run npm run build:web`);
    if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium is not installed at ${CHROMIUM}: run apt-get install -y chromium`);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
    });
    return new BrowserHarness(browser);
  }

  /** A fresh browser profile with one page; the browser's language is Russian. */
  async openPage(viewport: { width: number; height: number }, timeoutMs = 15_000, options: { permissions?: string[]; isMobile?: boolean } = {}): Promise<Page> {
    const context = await this.browser.newContext({ viewport, locale: 'ru-RU', permissions: options.permissions, isMobile: options.isMobile, hasTouch: options.isMobile });
    this.#contexts.push(context);
    const page = await context.newPage();
    page.setDefaultTimeout(timeoutMs);
    page.on('pageerror', (error) => this.pageErrors.push(error.message));
    return page;
  }

  assertNoPageErrors(): void {
    assert.deepEqual(this.pageErrors, [], 'uncaught exceptions in the page');
  }

  async close(): Promise<void> {
    for (const context of this.#contexts) await context.close().catch(() => {});
    await this.browser.close();
  }
}

/** Logs `username` in with the demo password, and waits until the header names them (any role). */
export async function logInAs(page: Page, baseUrl: string, username: string): Promise<void> {
  await page.goto(baseUrl + '/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill('ezal-demo');
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-name').waitFor();
}

/** Logs `username` in with the demo password, and waits until the home page lists their hearings. */
export async function logIn(page: Page, baseUrl: string, username: string): Promise<void> {
  await logInAs(page, baseUrl, username);
  await page.getByTestId('hearing-row').first().waitFor();
}

export type Received = { framesDecoded: number; audioSamples: number };

/** What the page's open peer connections have received so far: video frames decoded, audio samples. */
export function received(page: Page): Promise<Received> {
  return page.evaluate(async () => {
    let framesDecoded = 0;
    let audioSamples = 0;
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      if (pc.connectionState === 'closed') continue;
      for (const report of ((await pc.getStats()) as unknown as Map<string, any>).values()) {
        if (report.type !== 'inbound-rtp') continue;
        if (report.kind === 'video') framesDecoded += report.framesDecoded ?? 0;
        if (report.kind === 'audio') audioSamples += report.totalSamplesReceived ?? 0;
      }
    }
    return { framesDecoded, audioSamples };
  });
}

/** Resolves once both video frames and audio samples have grown past `from` (polled; no timing assumed). */
export async function receivesMore(page: Page, from: Received, timeoutMs = 60_000): Promise<Received> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = await received(page);
    if (now.framesDecoded > from.framesDecoded && now.audioSamples > from.audioSamples) return now;
    if (Date.now() > deadline) throw new Error(`media not received: ${JSON.stringify({ from, now })}`);
    await page.waitForTimeout(250);
  }
}

/** The judge's workstation of the hearing with the hall's media live: logged in, online, the media started (TRACK_PEER_CONNECTIONS installed first). */
export async function judgeMediaLive(judge: Page, baseUrl: string, hearingId: string): Promise<void> {
  await judge.addInitScript(TRACK_PEER_CONNECTIONS);
  await logIn(judge, baseUrl, 'judge');
  await judge.goto(`${baseUrl}/hearings/${hearingId}/judge`);
  await judge.locator('[data-testid="hearing-page"][data-status="online"]').waitFor();
  await judge.getByTestId('media-start').click();
  await judge.locator('[data-testid="media-phase"][data-phase="live"]').waitFor();
}

/** A remote participant's page opens its invitation link and enters the lobby; the judge admits them from the "Remote participants" row; returns once the page is live. */
export async function enterAndAdmit(phone: Page, link: string, judge: Page, participantId: string): Promise<void> {
  await phone.goto(link);
  await phone.getByTestId('join-enter').click();
  await phone.locator('[data-testid="join-state"][data-state="lobby"]').waitFor();
  const row = judge.locator(`[data-testid="remote-row"][data-participant-id="${participantId}"]`);
  await row.and(judge.locator('[data-status="lobby"]')).waitFor();
  await row.getByTestId('remote-admit').click();
  await phone.locator('[data-testid="join-state"][data-state="live"]').waitFor();
}

/**
 * A court whose remote participant's phone is on a network that lets out only TCP to the web
 * address and the TURN server's TLS port, for browser tests (remote-turn-tls.spec.ts,
 * remote-self-test.spec.ts): the phone network namespace (phone-network.ts), Debian's coturn on
 * TLS with `use-auth-secret` (coturn.ts), the e-Zal server on the namespace's host address with
 * that TURN server configured, a BrowserHarness for the court's own pages, and a Chromium inside
 * the namespace for the phone. Needs root, coturn and nftables (`npm run setup`).
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { BrowserHarness, FAKE_MEDIA_ARGS } from './browser.ts';
import { startCoturn, type TestCoturn } from './coturn.ts';
import { startPhoneNetwork, type PhoneNetwork } from './phone-network.ts';
import { startTestServer, type TestServer } from './server.ts';

const PHONE = { width: 390, height: 844 };

export type TcpOnlyPhone = {
  network: PhoneNetwork;
  turn: TestCoturn;
  server: TestServer;
  /** Chromium on this machine's network, for the judge's or the secretary's pages. */
  harness: BrowserHarness;
  /** Chromium inside the phone's namespace. */
  phoneBrowser: Browser;
  /** A new phone page (Russian locale, camera and microphone allowed, 60 s default timeout). */
  openPhone(): Promise<Page>;
  close(): Promise<void>;
};

/** Starts it all; the media server listens on rtcPorts (min, max), TURN credentials live turnTtlSeconds. */
export async function startTcpOnlyPhone(options: { rtcPorts: [number, number]; turnTtlSeconds: number }): Promise<TcpOnlyPhone> {
  let network: (PhoneNetwork & { allow(ports: number[]): void }) | undefined;
  let turn: TestCoturn | undefined;
  let server: TestServer | undefined;
  let harness: BrowserHarness | undefined;
  let phoneBrowser: Browser | undefined;
  const close = async () => {
    await phoneBrowser?.close().catch(() => {});
    await harness?.close().catch(() => {});
    await server?.close();
    await turn?.close();
    network?.close();
  };
  try {
    network = startPhoneNetwork();
    turn = await startCoturn({ host: network.hostIp });
    server = await startTestServer(
      {
        HOST: network.hostIp,
        MEDIA_WORKERS: '1',
        MEDIA_LISTEN_IP: network.hostIp,
        MEDIA_RTC_MIN_PORT: String(options.rtcPorts[0]),
        MEDIA_RTC_MAX_PORT: String(options.rtcPorts[1]),
        MEDIA_TURN_URLS: turn.url,
        MEDIA_TURN_SECRET: turn.secret,
        MEDIA_TURN_TTL_SECONDS: String(options.turnTtlSeconds),
      },
      { dialect: 'sqlite' },
    );
    // The phone may reach the court's web address and the TURN server's TLS port; nothing else.
    network.allow([Number(new URL(server.url).port), turn.port]);
    // The court's address is http:// in the test: camera and microphone need it treated as secure.
    const secureOrigin = `--unsafely-treat-insecure-origin-as-secure=${server.url}`;
    harness = await BrowserHarness.launch([...FAKE_MEDIA_ARGS, secureOrigin]);
    phoneBrowser = await chromium.launch({
      executablePath: network.chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        ...FAKE_MEDIA_ARGS,
        secureOrigin,
        // The TURN server's certificate is self-signed: trusted by its key, as a court's would be by its CA.
        `--ignore-certificate-errors-spki-list=${turn.spkiSha256}`,
      ],
    });
  } catch (error) {
    await close();
    throw error;
  }
  const browser = phoneBrowser;
  const openPhone = async () => {
    const context = await browser.newContext({ viewport: PHONE, locale: 'ru-RU', permissions: ['camera', 'microphone'], isMobile: true, hasTouch: true });
    const page = await context.newPage();
    page.setDefaultTimeout(60_000);
    return page;
  };
  return { network, turn, server, harness, phoneBrowser, openPhone, close };
}

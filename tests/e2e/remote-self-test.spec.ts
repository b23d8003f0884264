/**
 * End-to-end: the self-test a remote participant runs on the phone before the lobby (docs/media.md,
 * "The self-test"). The phone's Chromium has the fake camera and microphone; the probe runs through
 * the server's own mediasoup worker; the secretary's "Remote participants" panel shows the result.
 *
 * (a) On the server's own network: camera frames arrive, the microphone's meter hears the fake
 *     microphone's beeps and its recording plays back, the person confirms the tone, UDP and TCP
 *     both reach the media server, the server measures an upload figure; verdict "ready"; the
 *     secretary sees it, and the participant then enters the lobby as usual.
 * (b) The phone in a network namespace that lets out only TCP to the web port and coturn's TLS port
 *     (tests/helpers/tcp-only-phone.ts, as in remote-turn-tls.spec.ts): UDP and direct TCP are
 *     blocked (the firewall counts the dropped packets), the relay connects over TLS with
 *     credentials e-Zal made for the probe, verdict "usable through the court's relay" with the
 *     advice for a blocked UDP; the secretary sees it.
 *
 * Needs the web app built and Debian's Chromium; (b) needs root, coturn and nftables (`npm run setup`).
 * Run: flock /tmp/ezal-web.lock node --test tests/e2e/remote-self-test.spec.ts
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { BrowserHarness, FAKE_MEDIA_ARGS, logIn } from '../helpers/browser.ts';
import { demoHearing, type DemoHearing } from '../helpers/hall.ts';
import { phoneNetworkUnavailable } from '../helpers/phone-network.ts';
import { ApiClient, startTestServer, type TestServer } from '../helpers/server.ts';
import { startTcpOnlyPhone, type TcpOnlyPhone } from '../helpers/tcp-only-phone.ts';

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

/** Each step of the phone's self-test and its state, as the page shows them. */
async function steps(phone: Page): Promise<Record<string, string>> {
  const rows = phone.getByTestId('self-test-step');
  const found: Record<string, string> = {};
  const seen: string[] = [];
  for (let i = 0; i < (await rows.count()); i++) {
    const step = (await rows.nth(i).getAttribute('data-step'))!;
    found[step] = (await rows.nth(i).getAttribute('data-state'))!;
    const saw = await rows.nth(i).getAttribute('data-browser-saw');
    if (saw) seen.push(`${step}=${saw}`);
  }
  if (seen.length > 0) console.log(`# the browser saw: ${seen.join(', ')}`);
  return found;
}

/** Runs the self-test on the phone, answering "I hear it" to the tone; waits for the verdict. */
async function runSelfTest(phone: Page): Promise<{ steps: Record<string, string>; verdict: string; kbps: string; seconds: number }> {
  const started = Date.now();
  await phone.getByTestId('self-test-start').click();
  try {
    // The meter moves while the microphone is recorded.
    await phone.getByTestId('self-test-level').waitFor();
    await phone.getByTestId('self-test-heard').click({ timeout: 30_000 });
    await phone.locator('[data-testid="self-test"][data-phase="done"]').waitFor({ timeout: 60_000 });
  } catch (error) {
    // What the page said instead, for whoever reads the failure.
    const shown = await phone
      .getByTestId('self-test')
      .evaluate((section) => `${section.getAttribute('data-phase')}: ${(section as HTMLElement).innerText}`)
      .catch(() => '?');
    throw new Error(`${(error as Error).message}\nthe self-test showed: ${shown}`, { cause: error });
  }
  return {
    steps: await steps(phone),
    verdict: (await phone.getByTestId('self-test').getAttribute('data-verdict'))!,
    kbps: (await phone.getByTestId('self-test-upload').getAttribute('data-kbps'))!,
    seconds: (Date.now() - started) / 1000,
  };
}

async function openSecretary(harness: BrowserHarness, baseUrl: string, hearingId: string): Promise<Page> {
  const secretary = await harness.openPage(DESKTOP, 30_000);
  await logIn(secretary, baseUrl, 'secretary');
  await secretary.goto(`${baseUrl}/hearings/${hearingId}/secretary`);
  await secretary.locator('[data-testid="hearing-page"][data-status="online"]').waitFor();
  return secretary;
}

async function invite(baseUrl: string, hearingId: string, participantId: string): Promise<string> {
  const api = new ApiClient(baseUrl);
  await api.login('secretary');
  const invited = await api.post(`/api/hearings/${hearingId}/invitations`, { participantId });
  assert.equal(invited.status, 201, JSON.stringify(invited.body));
  return invited.body.invitation.link;
}

describe('the self-test on a phone on an open network', () => {
  let server: TestServer | undefined;
  let harness: BrowserHarness | undefined;
  let demo: DemoHearing;
  let secretary: Page;
  let witness: Page;

  before(async () => {
    server = await startTestServer({ MEDIA_WORKERS: '1', MEDIA_LISTEN_IP: '127.0.0.1', MEDIA_RTC_MIN_PORT: '44400', MEDIA_RTC_MAX_PORT: '44499' }, { dialect: 'sqlite' });
    harness = await BrowserHarness.launch(FAKE_MEDIA_ARGS);
    demo = demoHearing(server.sqlite!);
  });

  after(async () => {
    await harness?.close();
    await server?.close();
  });

  test('camera, microphone, echo and speaker pass, UDP and TCP reach the media server, and the upload is measured', async (t) => {
    assert.ok(server && harness);
    secretary = await openSecretary(harness, server.url, demo.hearingId);
    const link = await invite(server.url, demo.hearingId, demo.participants.witness);
    const row = secretary.locator(`[data-testid="remote-row"][data-participant-id="${demo.participants.witness}"]`);
    await row.locator('[data-testid="remote-self-test"][data-verdict=""]').waitFor();

    witness = await harness.openPage(PHONE, 30_000, { permissions: ['camera', 'microphone'], isMobile: true });
    // A person who taps the self-test before the camera preview is ready: the page's own request
    // for the camera (the first) answers only after 15 s, so the test must ask for the devices itself.
    await witness.addInitScript(() => {
      const ask = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
      let first = true;
      navigator.mediaDevices.getUserMedia = (constraints) => {
        if (!first) return ask(constraints);
        first = false;
        return new Promise((resolve) => setTimeout(resolve, 15_000)).then(() => ask(constraints));
      };
    });
    await witness.goto(link);
    await witness.locator('[data-testid="join-page"][data-phase="check"]').waitFor();
    // The page is still asking for the camera ("Enter the waiting room" waits for it).
    assert.ok(await witness.getByTestId('join-enter').isDisabled(), 'no preview yet when the person taps the self-test');
    const result = await runSelfTest(witness);
    t.diagnostic(`self-test on the open network: ${JSON.stringify(result)}`);

    assert.deepEqual(result.steps, { camera: 'pass', microphone: 'pass', echo: 'pass', speaker: 'pass', udp: 'pass', tcp: 'pass', relay: 'not_offered' });
    assert.equal(result.verdict, 'ready');
    assert.ok(Number(result.kbps) > 0, `an upload figure: ${result.kbps}`);
    await witness.getByTestId('self-test-verdict').filter({ hasText: 'Всё работает' }).waitFor();
    assert.equal(await witness.getByTestId('self-test-advice').count(), 0, 'nothing to fix');

    // The court sees the same result, with the time and the measured upload.
    const shown = row.locator('[data-testid="remote-self-test"][data-verdict="ready"]');
    await shown.waitFor();
    assert.ok(Math.abs(Number(await shown.getAttribute('data-at')) - Date.now()) < 120_000);
    assert.match(await shown.innerText(), new RegExp(`${result.kbps}`));
    // Recorded in the hearing's log, with the network part as the server measured it.
    const event = server.sqlite!.prepare("SELECT payload FROM hearing_events WHERE hearing_id = ? AND type = 'remote.self_tested'").get(demo.hearingId) as { payload: string };
    const payload = JSON.parse(event.payload);
    assert.equal(payload.participantId, demo.participants.witness);
    assert.equal(payload.checks.udp, 'pass');
    assert.equal(String(payload.checks.uploadKbps), result.kbps);
  });

  test('the participant then enters the lobby as usual', async () => {
    await witness.getByTestId('join-enter').click();
    await witness.locator('[data-testid="join-state"][data-state="lobby"]').waitFor({ timeout: 60_000 });
    await secretary.locator(`[data-testid="remote-row"][data-participant-id="${demo.participants.witness}"][data-status="lobby"]`).waitFor();
    harness?.assertNoPageErrors();
  });
});

const unavailable = phoneNetworkUnavailable();

describe('the self-test on a phone whose network lets out only TCP to the web and TURN ports', { skip: unavailable ?? false }, () => {
  let phone: TcpOnlyPhone | undefined;
  let demo: DemoHearing;

  before(async () => {
    phone = await startTcpOnlyPhone({ rtcPorts: [44500, 44599], turnTtlSeconds: 3600 });
    demo = demoHearing(phone.server.sqlite!);
  });

  after(async () => {
    await phone?.close();
  });

  test('UDP and direct TCP are blocked, the relay connects over TLS, and the verdict says usable through the relay', async (t) => {
    assert.ok(phone);
    const { network, turn, server, harness } = phone;
    const secretary = await openSecretary(harness, server.url, demo.hearingId);
    const link = await invite(server.url, demo.hearingId, demo.participants.witness);

    const witness = await phone.openPhone();
    await witness.goto(link);
    await witness.locator('[data-testid="join-page"][data-phase="check"]').waitFor();
    const droppedBefore = network.dropped();
    const result = await runSelfTest(witness);
    const dropped = network.dropped();
    t.diagnostic(`self-test through TURN/TLS: ${JSON.stringify(result)}; dropped by the phone's firewall: ${JSON.stringify({ before: droppedBefore, after: dropped })}`);

    assert.equal(result.steps.udp, 'fail', JSON.stringify(result.steps));
    assert.equal(result.steps.tcp, 'fail', JSON.stringify(result.steps));
    assert.equal(result.steps.relay, 'pass', JSON.stringify(result.steps));
    assert.equal(result.steps.camera, 'pass');
    assert.equal(result.steps.microphone, 'pass');
    assert.equal(result.verdict, 'ready_relay');
    assert.ok(Number(result.kbps) > 0, `an upload figure through the relay: ${result.kbps}`);
    await witness.locator('[data-testid="self-test-step"][data-step="udp"]').filter({ hasText: 'заблокировано' }).waitFor();
    await witness.locator('[data-testid="self-test-relay-protocol"][data-protocol="tls"]').waitFor();
    await witness.getByTestId('self-test-verdict').filter({ hasText: 'через ретранслятор суда' }).waitFor();
    await witness.locator('[data-testid="self-test-advice"][data-advice="udp_via_relay"]').filter({ hasText: 'заблокирован UDP' }).waitFor();

    // The firewall dropped the phone's direct attempts, and coturn allocated for the probe's credentials.
    assert.ok(dropped.udp > droppedBefore.udp, `direct UDP dropped: ${JSON.stringify(dropped)}`);
    assert.match(turn.log(), /\d+:selftest-/);

    const row = secretary.locator(`[data-testid="remote-row"][data-participant-id="${demo.participants.witness}"]`);
    await row.locator('[data-testid="remote-self-test"][data-verdict="ready_relay"]').waitFor();
    const failed = (await row.getByTestId('remote-self-test-failed').getAttribute('data-checks'))!.split(' ');
    assert.deepEqual(failed.sort(), ['tcp', 'udp']);
    harness.assertNoPageErrors();
  });
});

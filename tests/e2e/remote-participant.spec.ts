/**
 * End-to-end: a remote witness on a phone and the presiding judge in the hall, in two browser
 * profiles with Chromium's fake camera and microphone, media through the server's own mediasoup
 * worker. The witness opens the one-time link, checks the camera, waits in the lobby; the judge
 * sees them there and admits them; both sides then decode each other's audio and video — checked
 * from WebRTC statistics (frames decoded, audio samples received keep growing), not from the
 * page. The judge mutes the witness and lets them speak again; a page of the case file presented
 * in the hall appears on the phone. Then the witness's network goes away and comes back, and the
 * media resume. A second server offers ICE over TCP only: media still flow, and the phone's camera
 * goes out as simulcast.
 *
 * Needs the web app built (`npm run build:web`) and Debian's Chromium.
 * Run: node --test tests/e2e/remote-participant.spec.ts
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { BrowserHarness, enterAndAdmit, FAKE_MEDIA_ARGS, judgeMediaLive, received, receivesMore, TRACK_PEER_CONNECTIONS } from '../helpers/browser.ts';
import { closeAll, dataOf, demoHearing, inStep, seedCaseFile, workstation, type DemoHearing } from '../helpers/hall.ts';
import { ApiClient, startTestServer, type TestServer } from '../helpers/server.ts';

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

describe('a remote witness on a phone and the judge in the hall', () => {
  let server: TestServer | undefined;
  let harness: BrowserHarness | undefined;
  let demo: DemoHearing;
  let judge: Page;
  let witness: Page;

  before(async () => {
    server = await startTestServer({ MEDIA_WORKERS: '1', MEDIA_LISTEN_IP: '127.0.0.1', MEDIA_RTC_MIN_PORT: '43000', MEDIA_RTC_MAX_PORT: '43999' });
    harness = await BrowserHarness.launch(FAKE_MEDIA_ARGS);
    demo = demoHearing(server.sqlite!);
  });

  after(async () => {
    await harness?.close();
    await server?.close();
  });

  test('the judge turns on the hall media', async () => {
    assert.ok(server && harness);
    judge = await harness.openPage(DESKTOP, 30_000, { permissions: ['camera', 'microphone'] });
    await judgeMediaLive(judge, server.url, demo.hearingId);
  });

  test('the witness opens the link on a phone, checks the camera and waits in the lobby; the judge admits them', async () => {
    assert.ok(server && harness);
    const secretary = new ApiClient(server.url);
    await secretary.login('secretary');
    const invited = await secretary.post(`/api/hearings/${demo.hearingId}/invitations`, { participantId: demo.participants.witness });
    assert.equal(invited.status, 201, JSON.stringify(invited.body));

    witness = await harness.openPage(PHONE, 30_000, { permissions: ['camera', 'microphone'], isMobile: true });
    await witness.addInitScript(TRACK_PEER_CONNECTIONS);
    await witness.goto(invited.body.invitation.link);
    await witness.locator('[data-testid="join-page"][data-phase="check"]').waitFor();
    await witness.locator('[data-testid="join-preview"] video').waitFor();
    await witness.getByTestId('join-enter').click();
    await witness.locator('[data-testid="join-state"][data-state="lobby"]').waitFor();

    // In the lobby the witness receives nothing; the judge already sees them, to identify them.
    const row = judge.locator(`[data-testid="remote-row"][data-participant-id="${demo.participants.witness}"]`);
    await row.and(judge.locator('[data-status="lobby"]')).waitFor();
    await receivesMore(judge, { framesDecoded: 0, audioSamples: 0 });
    assert.deepEqual(await received(witness), { framesDecoded: 0, audioSamples: 0 }, 'nothing reaches the lobby');

    await row.getByTestId('remote-admit').click();
    await witness.locator('[data-testid="join-state"][data-state="live"]').waitFor();
    await row.and(judge.locator('[data-status="live"]')).waitFor();
    // Admitted by the court over video is appearing by video: the judge's attendance summary counts them.
    await judge.getByTestId('count-remote').filter({ hasText: /^1$/ }).waitFor();
  });

  test("both sides decode each other's audio and video", async () => {
    const atWitness = await receivesMore(witness, { framesDecoded: 0, audioSamples: 0 });
    const atJudge = await received(judge);
    // Still flowing, not a one-off.
    await receivesMore(witness, atWitness);
    await receivesMore(judge, atJudge);
  });

  test('the judge mutes the witness: the witness sees "muted by the court" and cannot unmute; the judge lets them speak again', async () => {
    const tile = judge.locator('[data-testid="media-grid"] .person').filter({ has: judge.locator('[data-testid="media-tile"][data-name="Петров Андрей Викторович"]') });
    await tile.getByTestId('tile-mute').click();
    await witness.getByTestId('media-muted-by-court').waitFor();
    assert.equal(await witness.getByTestId('media-mic').isDisabled(), true);
    await tile.getByTestId('tile-mute').click();
    await witness.getByTestId('media-muted-by-court').waitFor({ state: 'detached' });
  });

  test('a page of the case file is presented in the hall: the witness sees it, read-only and zoomable', async () => {
    assert.ok(server);
    const file = seedCaseFile(server.sqlite!, demo.caseId);
    // The judge's socket opens the hearing and gives the floor to the prosecutor, who presents (the
    // judge's own page would present its own view if the judge held the floor).
    const chair = await workstation(server.url, 'judge', demo.hearingId);
    const presenter = await workstation(server.url, 'prosecutor', demo.hearingId);
    try {
      await inStep(chair);
      await inStep(presenter);
      dataOf(await chair.follower.send('hearing:open', {}));
      dataOf(await chair.follower.send('floor:give', { to: { kind: 'participant', participantId: demo.participants.prosecutor } }));
      await presenter.follower.reached(3);
      dataOf(await presenter.follower.send('presenter:show', { documentId: file.protocol, page: 2, zoom: 1, region: { x: 0.1, y: 0.1, width: 0.5, height: 0.2 } }));
      const shown = witness.locator(`[data-testid="join-shown"][data-document-id="${file.protocol}"][data-page="2"]`);
      await shown.waitFor();
      await witness.waitForFunction(() => ((document.querySelector('[data-testid="join-shown"] canvas') as HTMLCanvasElement | null)?.width ?? 0) > 0);
      // Another document of the case, not on screen, is not the participant's to read.
      const other = await witness.evaluate(async (id) => {
        const answer = await fetch(`/api/join/shown/${id}`);
        return { status: answer.status, type: answer.headers.get('content-type'), id };
      }, file.indictment);
      assert.equal(other.status, 403, JSON.stringify({ other, shown: file.protocol }));
    } finally {
      closeAll([chair, presenter]);
    }
  });

  test("the witness's network drops and comes back: the page says so, and the media resume", async () => {
    await witness.context().setOffline(true);
    await witness.locator('[data-testid="join-state"][data-state="reconnecting"]').waitFor({ timeout: 90_000 });
    await witness.context().setOffline(false);
    await witness.locator('[data-testid="join-state"][data-state="live"]').waitFor({ timeout: 90_000 });
    const before = await received(witness);
    await receivesMore(witness, before, 90_000);
    const atJudge = await received(judge);
    await receivesMore(judge, atJudge, 90_000);
    harness?.assertNoPageErrors();
  });
});

/** The transport protocol of each open peer connection's selected candidate pair, and the simulcast layers sent. */
function networkFacts(page: Page): Promise<{ protocols: string[]; videoLayersSending: number }> {
  return page.evaluate(async () => {
    const protocols: string[] = [];
    let videoLayersSending = 0;
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      if (pc.connectionState === 'closed') continue;
      const reports = (await pc.getStats()) as unknown as Map<string, any>;
      for (const report of reports.values()) {
        if (report.type === 'transport' && report.selectedCandidatePairId) {
          const pair = reports.get(report.selectedCandidatePairId);
          const remote = pair && reports.get(pair.remoteCandidateId);
          if (remote) protocols.push(remote.protocol);
        }
        if (report.type === 'outbound-rtp' && report.kind === 'video' && report.bytesSent > 0) videoLayersSending++;
      }
    }
    return { protocols, videoLayersSending };
  });
}

describe('on a network that blocks UDP: ICE over TCP, and the camera sent as simulcast', () => {
  let server: TestServer | undefined;
  let harness: BrowserHarness | undefined;

  before(async () => {
    server = await startTestServer({ MEDIA_WORKERS: '1', MEDIA_LISTEN_IP: '127.0.0.1', MEDIA_RTC_MIN_PORT: '43000', MEDIA_RTC_MAX_PORT: '43999', MEDIA_ICE_UDP: '0' });
    harness = await BrowserHarness.launch(FAKE_MEDIA_ARGS);
  });

  after(async () => {
    await harness?.close();
    await server?.close();
  });

  test('the judge and an admitted witness exchange media over TCP; the phone sends more than one video layer', async () => {
    assert.ok(server && harness);
    const demo = demoHearing(server.sqlite!);
    const judge = await harness.openPage(DESKTOP, 30_000, { permissions: ['camera', 'microphone'] });
    await judgeMediaLive(judge, server.url, demo.hearingId);

    const secretary = new ApiClient(server.url);
    await secretary.login('secretary');
    const invited = await secretary.post(`/api/hearings/${demo.hearingId}/invitations`, { participantId: demo.participants.witness });
    const witness = await harness.openPage(PHONE, 30_000, { permissions: ['camera', 'microphone'], isMobile: true });
    await witness.addInitScript(TRACK_PEER_CONNECTIONS);
    await enterAndAdmit(witness, invited.body.invitation.link, judge, demo.participants.witness);

    await receivesMore(witness, { framesDecoded: 0, audioSamples: 0 });
    await receivesMore(judge, { framesDecoded: 0, audioSamples: 0 });
    const facts = await networkFacts(witness);
    assert.ok(facts.protocols.length >= 2 && facts.protocols.every((p) => p === 'tcp'), `ICE over TCP only: ${JSON.stringify(facts)}`);
    assert.ok(facts.videoLayersSending >= 2, `simulcast: ${JSON.stringify(facts)}`);
    harness.assertNoPageErrors();
  });
});

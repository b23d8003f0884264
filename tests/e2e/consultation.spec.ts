/**
 * End-to-end: a private consultation on a break. The presiding judge's workstation has the hall's
 * media on; a remote defendant on a phone is admitted (their microphone and camera are recorded as
 * the hall's); the court takes a break; the defence lawyer, at the workstation, opens a private
 * consultation with the defendant. The phone joins it; lawyer and defendant see and hear each other
 * (WebRTC statistics) in a room of its own. The judge's page says "consultation, 2 min" (the
 * judge's clock moved on by Playwright's clock) and receives none of its media: no new stream
 * reaches it, no tile of the lawyer appears. The defendant taps "Back to the hall": the room is
 * gone. The recording of the hearing has no track and no gap for the consultation.
 *
 * Needs the web app built (`npm run build:web`), Debian's Chromium, the mediasoup worker and ffmpeg.
 * Run: node --test tests/e2e/consultation.spec.ts
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { RecordingView } from '../../server/src/shared/api/recording-view.ts';
import { BrowserHarness, FAKE_MEDIA_ARGS, judgeMediaLive, logIn, received, receivesMore, TRACK_PEER_CONNECTIONS } from '../helpers/browser.ts';
import { closeAll, dataOf, demoHearing, inStep, until, workstation, type DemoHearing, type Workstation } from '../helpers/hall.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

/** The incoming audio and video streams of the page's open peer connections (`kind:ssrc`), mediasoup's bandwidth probe left out. */
function inboundStreams(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const streams: string[] = [];
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      if (pc.connectionState === 'closed') continue;
      for (const report of ((await pc.getStats()) as unknown as Map<string, { type: string; kind: string; ssrc: number; mid?: string }>).values()) {
        if (report.type === 'inbound-rtp' && report.mid !== 'probator' && report.ssrc !== 1234) streams.push(`${report.kind}:${report.ssrc}`);
      }
    }
    return streams.sort();
  });
}

describe('a private consultation between a remote defendant and the defender, on a break', () => {
  let server: TestServer | undefined;
  let harness: BrowserHarness | undefined;
  let demo: DemoHearing;
  let chair: Workstation | undefined;
  let secretary: Workstation | undefined;
  let judge: Page;
  let phone: Page;
  let defender: Page;
  let defenderName: string;
  let consultationId: string;

  before(async () => {
    server = await startTestServer({ MEDIA_WORKERS: '1', MEDIA_LISTEN_IP: '127.0.0.1', MEDIA_RTC_MIN_PORT: '46000', MEDIA_RTC_MAX_PORT: '46999', RECORDING_SEGMENT_SECONDS: '2' });
    harness = await BrowserHarness.launch(FAKE_MEDIA_ARGS);
    demo = demoHearing(server.sqlite!);
    defenderName = (server.sqlite!.prepare('select full_name from case_participants where id = ?').get(demo.participants.defender) as { full_name: string }).full_name;
    chair = await workstation(server.url, 'judge', demo.hearingId);
    secretary = await workstation(server.url, 'secretary', demo.hearingId);
    await Promise.all([inStep(chair), inStep(secretary)]);
  });

  after(async () => {
    closeAll([chair, secretary].filter((w) => w !== undefined));
    await harness?.close();
    await server?.close();
  });

  test('the hearing is opened and recorded; the remote defendant is admitted and seen by the judge', async () => {
    assert.ok(server && harness && chair && secretary);
    judge = await harness.openPage(DESKTOP, 30_000, { permissions: ['camera', 'microphone'] });
    await judgeMediaLive(judge, server.url, demo.hearingId);
    dataOf(await chair.follower.send('hearing:open', {}));
    dataOf(await secretary.follower.send('recording:start', {}));

    const invited = await secretary.api.post(`/api/hearings/${demo.hearingId}/invitations`, { participantId: demo.participants.defendant });
    assert.equal(invited.status, 201, JSON.stringify(invited.body));
    phone = await harness.openPage(PHONE, 30_000, { permissions: ['camera', 'microphone'], isMobile: true });
    await phone.addInitScript(TRACK_PEER_CONNECTIONS);
    await phone.goto(invited.body.invitation.link);
    await phone.getByTestId('join-enter').click();
    await phone.locator('[data-testid="join-state"][data-state="lobby"]').waitFor();
    dataOf(await chair.follower.send('remote:admit', { participantId: demo.participants.defendant }));
    await phone.locator('[data-testid="join-state"][data-state="live"]').waitFor();
    await receivesMore(judge, await received(judge));
  });

  test('on a break the defender opens a consultation; the phone joins it; the two see and hear each other', async () => {
    assert.ok(server && harness && chair);
    dataOf(await chair.follower.send('hearing:start-break', {}));
    defender = await harness.openPage(DESKTOP, 30_000, { permissions: ['camera', 'microphone'] });
    await defender.addInitScript(TRACK_PEER_CONNECTIONS);
    await logIn(defender, server.url, 'defender');
    await defender.goto(`${server.url}/hearings/${demo.hearingId}/defender`);
    await defender.locator('[data-testid="hearing-page"][data-status="online"]').waitFor();
    const streamsAtJudge = await inboundStreams(judge);

    await defender.locator(`[data-testid="consultation-open"][data-participant-id="${demo.participants.defendant}"]`).click();
    await defender.locator('[data-testid="consultation-panel"][data-state="open"]').waitFor();
    const onPhone = phone.getByTestId('join-consultation');
    await onPhone.waitFor();
    consultationId = (await onPhone.getAttribute('data-consultation-id'))!;

    // The defender's page has no hall media: everything it decodes comes from the consultation.
    await receivesMore(defender, { framesDecoded: 0, audioSamples: 0 });
    await phone.locator('[data-testid="consultation-media"][data-received="2"]').waitFor();
    const room = server.app.mediaRooms!.find(demo.hearingId, consultationId)!;
    assert.equal(room.kind, 'consultation');
    assert.equal(room.recorded, false);
    const consultationProducers = room.sources().map((s) => s.producerId);
    assert.equal(consultationProducers.length, 4, 'camera and microphone of each member');
    // None of them is a source of the hall (what the judge and the recorder are offered).
    const hall = server.app.mediaRooms!.find(demo.hearingId)!;
    assert.deepEqual(
      hall.sources().filter((s) => consultationProducers.includes(s.producerId)),
      [],
    );

    // The judge's page receives nothing new: no stream, no tile of the defender.
    await defender.waitForTimeout(2000);
    assert.deepEqual(await inboundStreams(judge), streamsAtJudge, 'no consultation stream reaches the judge');
    assert.equal(await judge.locator(`[data-testid="media-tile"][data-name="${defenderName}"]`).count(), 0);
  });

  test("the judge's page shows 'consultation, 2 min'", async () => {
    const row = judge.locator(`[data-testid="consultation-row"][data-consultation-id="${consultationId}"]`);
    await row.and(judge.locator('[data-minutes="0"]')).waitFor();
    await judge.clock.setSystemTime(Date.now() + 2 * 60_000 + 5_000);
    await row.and(judge.locator('[data-minutes="2"]')).waitFor();
    const text = await row.textContent();
    assert.match(text ?? '', /Консультация: .+, 2 мин/);
    assert.ok(text?.includes(defenderName), text ?? '');
  });

  test('"Back to the hall" on the phone closes the consultation and its room', async () => {
    assert.ok(server && chair && secretary);
    await phone.getByTestId('join-consultation-back').click();
    await phone.getByTestId('join-consultation').waitFor({ state: 'detached' });
    await defender.locator('[data-testid="consultation-panel"][data-state="none"]').waitFor();
    await judge.locator('[data-testid="consultation-row"]').waitFor({ state: 'detached' });
    await until(() => server!.app.mediaRooms!.find(demo.hearingId, consultationId) === undefined);
    // The phone is back in the hall, seen and heard by the judge.
    await receivesMore(judge, await received(judge));
    dataOf(await chair.follower.send('hearing:end-break', {}));
    harness?.assertNoPageErrors();
  });

  test('the recording has no track and no gap for the consultation', async () => {
    assert.ok(server && secretary);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    dataOf(await secretary.follower.send('recording:stop', {}));
    const view = (await secretary.api.get(`/api/hearings/${demo.hearingId}/recording`)).body as RecordingView;
    const tracks = view.tracks.map((t) => `${t.role}:${t.kind}`).sort();
    console.log('recorded tracks', tracks);
    assert.deepEqual(tracks, ['presiding_judge:audio', 'presiding_judge:video', 'remote_participant:audio', 'remote_participant:video'], 'the hall only: the judge and the defendant');
    assert.equal(
      view.tracks.some((t) => t.label === defenderName),
      false,
      'nothing of the defender, who spoke only in the consultation',
    );
    const events = view.events.map((e) => e.type);
    const opened = view.events.find((e) => e.type === 'consultation.opened')!;
    const closed = view.events.find((e) => e.type === 'consultation.closed')!;
    assert.ok(opened && closed, JSON.stringify(events));
    const during = view.events.filter((e) => e.version > opened.version && e.version < closed.version).map((e) => e.type);
    assert.deepEqual(
      during.filter((t) => t.startsWith('recording.gap')),
      [],
      'no gap while the consultation ran',
    );
    // Gaps of the hall's tracks are the recorder's business (e.g. a late start when someone is admitted
    // after the recording began); none may be the defender's, and none may cover the consultation's time.
    const gaps = view.events.filter((e) => e.type === 'recording.gap_started' || e.type === 'recording.gap_ended');
    console.log('gaps', JSON.stringify(gaps.map((g) => [g.type, g.payload.label, g.payload.reason])));
    assert.deepEqual(
      gaps.filter((e) => e.payload.label === defenderName),
      [],
      'no gap of the defender',
    );
    assert.deepEqual(
      gaps.filter((e) => e.type === 'recording.gap_started' && e.payload.from < closed.at && e.at > opened.at),
      [],
      'no gap begins while the consultation runs',
    );
    const verified = await chair!.api.post(`/api/hearings/${demo.hearingId}/recording/verify`);
    assert.equal(verified.status, 200, JSON.stringify(verified.body));
    assert.equal(verified.body.ok, true, JSON.stringify(verified.body));
  });
});

/** Bytes and audio energy the page has received so far on each incoming audio stream, by SSRC. */
function audioIn(page: Page): Promise<Record<string, { bytes: number; energy: number }>> {
  return page.evaluate(async () => {
    const streams: Record<string, { bytes: number; energy: number }> = {};
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      if (pc.connectionState === 'closed') continue;
      for (const r of ((await pc.getStats()) as unknown as Map<string, { type: string; kind: string; ssrc: number; mid?: string; bytesReceived?: number; totalAudioEnergy?: number }>).values()) {
        if (r.type === 'inbound-rtp' && r.kind === 'audio' && r.mid !== 'probator' && r.ssrc !== 1234) streams[String(r.ssrc)] = { bytes: r.bytesReceived ?? 0, energy: r.totalAudioEnergy ?? 0 };
      }
    }
    return streams;
  });
}

/** Audio bytes the page has sent so far on its first `count` peer connections (the hall's, made before the consultation's). */
function audioSent(page: Page, count: number): Promise<number> {
  return page.evaluate(async (count) => {
    let bytes = 0;
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs.slice(0, count)) {
      if (pc.connectionState === 'closed') continue;
      for (const r of ((await pc.getStats()) as unknown as Map<string, { type: string; kind: string; bytesSent?: number }>).values()) {
        if (r.type === 'outbound-rtp' && r.kind === 'audio') bytes += r.bytesSent ?? 0;
      }
    }
    return bytes;
  }, count);
}

/**
 * The consultation's confidentiality on the hall's side, from the phone: a defence lawyer taking part
 * by video opens a consultation with the defendant with the phone's own button. Meanwhile the server
 * holds the lawyer's hall microphone paused — even when the phone's page keeps sending (forced here
 * through its RTCPeerConnection, as an old or tampered page would) the judge's page receives no bytes
 * and no audio energy from it, and the hall's source is marked "in consultation". Back in the hall,
 * the judge hears the lawyer again.
 */
describe("a lawyer on the phone consults privately; the hall doesn't hear their microphone meanwhile", () => {
  let server: TestServer | undefined;
  let harness: BrowserHarness | undefined;
  let demo: DemoHearing;
  let chair: Workstation | undefined;
  let secretary: Workstation | undefined;

  before(async () => {
    server = await startTestServer({ MEDIA_WORKERS: '1', MEDIA_LISTEN_IP: '127.0.0.1', MEDIA_RTC_MIN_PORT: '46000', MEDIA_RTC_MAX_PORT: '46999' });
    harness = await BrowserHarness.launch(FAKE_MEDIA_ARGS);
    demo = demoHearing(server.sqlite!);
    chair = await workstation(server.url, 'judge', demo.hearingId);
    secretary = await workstation(server.url, 'secretary', demo.hearingId);
    await Promise.all([inStep(chair), inStep(secretary)]);
  });

  after(async () => {
    closeAll([chair, secretary].filter((w) => w !== undefined));
    await harness?.close();
    await server?.close();
  });

  test("the phone's button opens it; the judge receives nothing of the lawyer's hall microphone until they are back", async () => {
    assert.ok(server && harness && chair && secretary);
    const judge = await harness.openPage(DESKTOP, 30_000, { permissions: ['camera', 'microphone'] });
    await judgeMediaLive(judge, server.url, demo.hearingId);
    dataOf(await chair.follower.send('hearing:open', {}));
    dataOf(await chair.follower.send('hearing:start-break', {}));
    const before = Object.keys(await audioIn(judge));

    const invited = await secretary.api.post(`/api/hearings/${demo.hearingId}/invitations`, { participantId: demo.participants.defender });
    assert.equal(invited.status, 201, JSON.stringify(invited.body));
    const phone = await harness.openPage(PHONE, 30_000, { permissions: ['camera', 'microphone'], isMobile: true });
    await phone.addInitScript(TRACK_PEER_CONNECTIONS);
    await phone.goto(invited.body.invitation.link);
    await phone.getByTestId('join-enter').click();
    await phone.locator('[data-testid="join-state"][data-state="lobby"]').waitFor();
    dataOf(await chair.follower.send('remote:admit', { participantId: demo.participants.defender }));
    await phone.locator('[data-testid="join-state"][data-state="live"]').waitFor();

    // The lawyer's microphone as the judge's page receives it: the audio stream that came with them.
    let lawyerSsrc: string | undefined;
    await until(async () => (lawyerSsrc = Object.keys(await audioIn(judge)).find((s) => !before.includes(s))) !== undefined, 30_000);
    const heard = async (ms: number) => {
      const from = (await audioIn(judge))[lawyerSsrc!]!;
      await judge.waitForTimeout(ms);
      const to = (await audioIn(judge))[lawyerSsrc!]!;
      return { bytes: to.bytes - from.bytes, energy: to.energy - from.energy };
    };
    const inHall = await heard(3000);
    console.log('judge receives from the lawyer in the hall (3 s)', inHall);
    assert.ok(inHall.bytes > 2000 && inHall.energy > 0, JSON.stringify(inHall));

    // On a break the consultation opens at once from the phone's own button.
    const hallConnections = await phone.evaluate(() => (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs.length);
    const open = phone.locator(`[data-testid="join-consultation-open"][data-participant-id="${demo.participants.defendant}"]`);
    await open.click();
    await phone.getByTestId('join-consultation').waitFor();
    await phone.getByTestId('media-in-consultation').waitFor();
    const hall = server.app.mediaRooms!.find(demo.hearingId)!;
    const lawyerMics = () => hall.sources().filter((s) => s.participantId === demo.participants.defender && s.kind === 'audio');
    await until(() => lawyerMics().length > 0 && lawyerMics().every((s) => s.inConsultation));

    // The page keeps sending anyway (a tampered page): its audio sender is switched back on.
    await phone.evaluate(async () => {
      for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
        for (const sender of pc.getSenders()) {
          if (sender.track?.kind !== 'audio') continue;
          sender.track.enabled = true;
          const parameters = sender.getParameters();
          for (const encoding of parameters.encodings) encoding.active = true;
          await sender.setParameters(parameters);
        }
      }
    });
    await judge.waitForTimeout(1000);
    const sentBefore = await audioSent(phone, hallConnections);
    const inConsultation = await heard(3000);
    const sentDuring = (await audioSent(phone, hallConnections)) - sentBefore;
    console.log('judge receives from the lawyer during the consultation (3 s)', inConsultation, 'while the phone sent', sentDuring, 'bytes');
    assert.ok(sentDuring > 2000, `the phone's page does keep sending (${sentDuring} bytes): only the server stops it`);
    assert.equal(inConsultation.bytes, 0, 'no byte of the hall microphone reaches the judge');
    assert.equal(inConsultation.energy, 0, 'no sound of it either');

    // Back to the hall: heard again.
    await phone.getByTestId('join-consultation-back').click();
    await phone.getByTestId('join-consultation').waitFor({ state: 'detached' });
    await until(() => lawyerMics().every((s) => !s.inConsultation));
    await judge.waitForTimeout(1000);
    const back = await heard(3000);
    console.log('judge receives from the lawyer back in the hall (3 s)', back);
    assert.ok(back.bytes > 2000 && back.energy > 0, JSON.stringify(back));
    harness.assertNoPageErrors();
  });
});

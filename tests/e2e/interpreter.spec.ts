/**
 * End-to-end: an interpreter on a phone speaks for a remote witness. The presiding judge appoints,
 * on the workstation, a case participant in the role of interpreter for the witness (Kazakh →
 * Russian, simultaneous, warned of liability under art. 420 of the Criminal Code); the interpreter
 * and the witness, each on a phone page with Chromium's fake camera and microphone, are admitted;
 * the interpreter speaks into the channel. The channel's audio reaches the witness's page (audio
 * samples and energy of that very track grow, read from WebRTC statistics) and not the
 * prosecutor's page; the recording has a track of its own for the channel, labelled as the
 * interpreter's; the short protocol (its view and its PDF) lists the appointment with the languages
 * and the warning.
 *
 * Needs the web app built (`npm run build:web`) and Debian's Chromium.
 * Run: node --test tests/e2e/interpreter.spec.ts
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { TextExtractor } from '../../server/src/case-text/text-extractor.ts';
import type { RecordingView } from '../../server/src/shared/api/recording-view.ts';
import { BrowserHarness, FAKE_MEDIA_ARGS, judgeMediaLive, logIn, receivesMore, TRACK_PEER_CONNECTIONS } from '../helpers/browser.ts';
import { closeAll, dataOf, demoHearing, inStep, workstation, type DemoHearing, type Workstation } from '../helpers/hall.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const INTERPRETER_NAME = 'Өмірзақова Гүлнұр Сериковна';

type Heard = Record<string, { samples: number; energy: number }>;

/** Each received audio track's samples and energy so far, by track id (mediasoup-client names a consumer's track by the consumer's id). */
function heard(page: Page): Promise<Heard> {
  return page.evaluate(async () => {
    const byTrack: Record<string, { samples: number; energy: number }> = {};
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      if (pc.connectionState === 'closed') continue;
      for (const report of ((await pc.getStats()) as unknown as Map<string, any>).values()) {
        if (report.type !== 'inbound-rtp' || report.kind !== 'audio') continue;
        byTrack[report.trackIdentifier] = { samples: report.totalSamplesReceived ?? 0, energy: report.totalAudioEnergy ?? 0 };
      }
    }
    return byTrack;
  });
}

/** Resolves once `check()` holds, asked every 250 ms (a page's statistics are not free), or fails after `timeoutMs`. */
async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await check()); await new Promise((resolve) => setTimeout(resolve, 250))) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
  }
}

/**
 * The tracks a page is set up to receive now (the live receiving transceivers of its open
 * connections): one per source the server let it consume, whether or not packets flow yet (a paused
 * microphone sends none).
 */
function receiving(page: Page): Promise<{ audio: string[]; video: number }> {
  return page.evaluate(() => {
    const audio: string[] = [];
    let video = 0;
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      if (pc.connectionState === 'closed') continue;
      for (const t of pc.getTransceivers()) {
        if (t.direction !== 'recvonly' || t.receiver.track.readyState !== 'live') continue;
        if (t.receiver.track.kind === 'audio') audio.push(t.receiver.track.id);
        else video++;
      }
    }
    return { audio, video };
  });
}

describe('an interpreter on a phone speaks for a remote witness', () => {
  let server: TestServer | undefined;
  let harness: BrowserHarness | undefined;
  let demo: DemoHearing;
  let interpreterId: string;
  let chair: Workstation | undefined;
  let secretary: Workstation | undefined;
  let judge: Page;
  let witness: Page;
  let interpreter: Page;
  let channelTrack: string;

  before(async () => {
    server = await startTestServer({ MEDIA_WORKERS: '1', MEDIA_LISTEN_IP: '127.0.0.1', MEDIA_RTC_MIN_PORT: '46000', MEDIA_RTC_MAX_PORT: '46999', RECORDING_SEGMENT_SECONDS: '2' });
    harness = await BrowserHarness.launch(FAKE_MEDIA_ARGS);
    demo = demoHearing(server.sqlite!);
    // The demo case has no interpreter: the case file names one, as an e-case package would.
    interpreterId = crypto.randomUUID();
    server
      .sqlite!.prepare("insert into case_participants (id, case_id, role, full_name, user_id, created_at) values (?, ?, 'interpreter', ?, null, ?)")
      .run(interpreterId, demo.caseId, INTERPRETER_NAME, Date.now());
    chair = await workstation(server.url, 'judge', demo.hearingId);
    secretary = await workstation(server.url, 'secretary', demo.hearingId);
    await Promise.all([inStep(chair), inStep(secretary)]);
    dataOf(await chair.follower.send('hearing:open', {}));
  });

  after(async () => {
    closeAll([chair, secretary].filter((w) => w !== undefined));
    await harness?.close();
    await server?.close();
  });

  /** A phone page opened from the participant's invitation, waiting in the lobby. */
  async function onPhone(participantId: string): Promise<Page> {
    const invited = await secretary!.api.post(`/api/hearings/${demo.hearingId}/invitations`, { participantId });
    assert.equal(invited.status, 201, JSON.stringify(invited.body));
    const page = await harness!.openPage(PHONE, 30_000, { permissions: ['camera', 'microphone'], isMobile: true });
    await page.addInitScript(TRACK_PEER_CONNECTIONS);
    await page.goto(invited.body.invitation.link);
    await page.getByTestId('join-enter').click();
    await page.locator('[data-testid="join-state"][data-state="lobby"]').waitFor();
    return page;
  }

  test('the witness and the interpreter join from their phones; the judge admits both', async () => {
    assert.ok(server && harness);
    judge = await harness.openPage(DESKTOP, 30_000, { permissions: ['camera', 'microphone'] });
    await judgeMediaLive(judge, server.url, demo.hearingId);
    witness = await onPhone(demo.participants.witness);
    interpreter = await onPhone(interpreterId);
    for (const [participantId, page] of [
      [demo.participants.witness, witness],
      [interpreterId, interpreter],
    ] as const) {
      await judge.locator(`[data-testid="remote-row"][data-participant-id="${participantId}"][data-status="lobby"]`).getByTestId('remote-admit').click();
      await page.locator('[data-testid="join-state"][data-state="live"]').waitFor();
    }
  });

  test('the judge appoints the interpreter for the witness, warned of liability; the interpreter speaks into the channel', async () => {
    // Not appointed yet: the interpreter's page offers no channel.
    assert.equal(await interpreter.getByTestId('interpretation-speak').count(), 0);
    const panel = judge.getByTestId('interpreter-panel');
    await panel.getByTestId('interpreter-who').selectOption(interpreterId);
    await panel.getByTestId('interpreter-for').selectOption(demo.participants.witness);
    await panel.getByTestId('interpreter-from').selectOption('kk');
    await panel.getByTestId('interpreter-to').selectOption('ru');
    await panel.getByTestId('interpreter-mode').selectOption('simultaneous');
    assert.equal(await panel.getByTestId('interpreter-appoint').isDisabled(), true, 'no appointment before the warning');
    await panel.getByTestId('interpreter-warned').check();
    await panel.getByTestId('interpreter-appoint').click();
    await panel.locator(`[data-testid="interpreter-appointment"][data-interpreter-id="${interpreterId}"][data-for="${demo.participants.witness}"]`).waitFor();

    const speak = interpreter.getByTestId('interpretation-speak');
    await speak.filter({ hasText: 'Петров Андрей Викторович' }).waitFor();
    await speak.click();
    await interpreter.getByTestId('interpretation-speaking').waitFor();
  });

  test("the channel's audio reaches the witness's page, from that source", async () => {
    const channel = witness.getByTestId('interpretation-channel');
    await channel.waitFor();
    channelTrack = (await channel.getAttribute('data-consumer-id'))!;
    // The channel's own track keeps growing in samples and in energy, as loud as a microphone of the
    // hall heard on the same page (Chromium's fake microphone beeps the same on every page): sound, not silence.
    let first: Heard = {};
    await eventually('the channel sounds at the witness', async () => ((first = await heard(witness))[channelTrack]?.samples ?? 0) > 0);
    let later: Heard = first;
    await eventually('two more seconds of the channel', async () => ((later = await heard(witness))[channelTrack]?.samples ?? 0) >= first[channelTrack].samples + 2 * 48_000, 30_000);
    const grew = (id: string) => ({ samples: later[id].samples - (first[id]?.samples ?? 0), energy: later[id].energy - (first[id]?.energy ?? 0) });
    const channelGrew = grew(channelTrack);
    const loudestOther = Math.max(
      ...Object.keys(later)
        .filter((id) => id !== channelTrack)
        .map((id) => grew(id).energy),
    );
    console.log(`  channel at the witness: +${channelGrew.samples} samples, energy +${channelGrew.energy.toExponential(2)} (loudest hall microphone +${loudestOther.toExponential(2)})`);
    assert.ok(loudestOther > 0, 'the hall is heard at the witness');
    assert.ok(channelGrew.energy > loudestOther / 10, `the channel carries the interpreter's voice, not silence: ${JSON.stringify({ channelGrew, loudestOther })}`);
    // The witness may lower the hall under the channel.
    await witness.getByTestId('interpretation-lower-hall').click();
    assert.equal(await witness.getByTestId('interpretation-lower-hall').getAttribute('aria-pressed'), 'true');
  });

  test("the prosecutor's page hears the hall and the interpreter's voice in it, never the channel", async () => {
    assert.ok(server && harness);
    const prosecutor = await harness.openPage(DESKTOP, 30_000, { permissions: ['camera', 'microphone'] });
    await prosecutor.addInitScript(TRACK_PEER_CONNECTIONS);
    await logIn(prosecutor, server.url, 'prosecutor');
    await prosecutor.goto(`${server.url}/hearings/${demo.hearingId}/prosecutor`);
    await prosecutor.locator('[data-testid="hearing-page"][data-status="online"]').waitFor();
    await prosecutor.getByTestId('media-start').click();
    await prosecutor.locator('[data-testid="media-phase"][data-phase="live"]').waitFor();
    await receivesMore(prosecutor, { framesDecoded: 0, audioSamples: 0 });
    // Everyone's camera arrives (the judge, the witness, the interpreter); the microphones with them, and nothing more.
    let tracks = { audio: [] as string[], video: 0 };
    await eventually("everyone's camera and microphone at the prosecutor", async () => (tracks = await receiving(prosecutor)).video >= 3 && tracks.audio.length >= 3);
    // Settled: whatever else the server would offer has had time to arrive.
    await prosecutor.waitForTimeout(2000);
    tracks = await receiving(prosecutor);
    assert.equal(tracks.audio.length, 3, `the judge's, the witness's and the interpreter's microphones only: ${JSON.stringify(tracks)}`);
    // The witness's page, meanwhile, receives the channel's own track.
    const atWitness = await receiving(witness);
    assert.ok(atWitness.audio.includes(channelTrack), JSON.stringify(atWitness));
    assert.equal(await prosecutor.getByTestId('interpretation-channel').count(), 0);
  });

  test("the recording keeps the interpreter's channel as its own track", async () => {
    assert.ok(server && secretary);
    dataOf(await secretary.follower.send('recording:start', {}));
    const view = async () => (await secretary!.api.get(`/api/hearings/${demo.hearingId}/recording`)).body as RecordingView;
    const channelOf = (v: RecordingView) => v.tracks.find((t) => t.role === 'interpretation');
    for (const deadline = Date.now() + 90_000; ; await new Promise((resolve) => setTimeout(resolve, 500))) {
      const track = channelOf(await view());
      if (track && track.segments.length >= 2) break;
      assert.ok(Date.now() < deadline, `the channel was not recorded: ${JSON.stringify((await view()).tracks.map((t) => [t.role, t.kind, t.segments.length]))}`);
    }
    dataOf(await secretary.follower.send('recording:stop', {}));
    const recorded = await view();
    const track = channelOf(recorded)!;
    assert.equal(track.kind, 'audio');
    assert.equal(track.label, INTERPRETER_NAME, "labelled as the interpreter's");
    assert.equal(track.sourceId, `${interpreterId}:audio:interpretation`);
    const microphone = recorded.tracks.find((t) => t.sourceId === `${interpreterId}:audio:microphone`);
    assert.ok(microphone && microphone.trackId !== track.trackId, "apart from the interpreter's microphone in the hall");
    const seconds = track.segments.reduce((sum, s) => sum + (s.durationMs ?? 0), 0) / 1000;
    assert.ok(track.segments.every((s) => s.bytes > 0));
    assert.ok(seconds >= 2, `seconds of the channel in the recording: ${seconds}`);
    console.log(`  channel track: ${track.segments.length} segments, ${seconds.toFixed(1)} s`);
  });

  test('the short protocol lists the appointment with the languages and the warning', async () => {
    assert.ok(server && secretary);
    const answer = await secretary.api.get(`/api/hearings/${demo.hearingId}/protocol`);
    assert.equal(answer.status, 200);
    const entries = (answer.body.protocol.entries as { type: string; text: string }[]).filter((e) => e.type === 'interpreter.appointed');
    assert.equal(entries.length, 1, JSON.stringify(answer.body.protocol.entries.map((e: { text: string }) => e.text)));
    const [entry] = entries;
    assert.match(entry.text, new RegExp(`Назначен переводчик ${INTERPRETER_NAME} \\(для: свидетель Петров Андрей Викторович\\)`));
    assert.match(entry.text, /казахский — русский/);
    assert.match(entry.text, /синхронный/);
    assert.match(entry.text, /предупреждён об уголовной ответственности за заведомо неправильный перевод по статье 420 УК РК/);

    const pdf = await fetch(`${server.url}/api/hearings/${demo.hearingId}/protocol.pdf`, { headers: { cookie: secretary.api.cookieHeader } });
    assert.equal(pdf.status, 200);
    const extractor = new TextExtractor();
    try {
      const text = (await extractor.extract(new Uint8Array(await pdf.arrayBuffer()))).join('\n').replace(/\s+/g, ' ');
      assert.ok(text.includes('казахский — русский'), text);
      assert.ok(text.includes('по статье 420 УК РК'), text);
    } finally {
      await extractor.close();
    }
    harness?.assertNoPageErrors();
  });
});

/**
 * End-to-end: a remote witness whose phone is on a network that lets out only TCP to two ports —
 * the court's web address and its TURN server's TLS port (443 each in a court) — reaches the hall
 * through TURN over TLS. The phone's Chromium runs in a network namespace (tests/helpers/phone-network.ts)
 * whose firewall drops every UDP packet and every TCP connection to the media ports; the court's
 * coturn (Debian's, tests/helpers/coturn.ts) listens only on TLS, with `use-auth-secret`, and e-Zal
 * hands each connection its own time-limited credentials (MEDIA_TURN_SECRET). The judge, on the
 * server's own network, admits the witness; then WebRTC statistics must show the phone's selected
 * candidate pairs going from a relay candidate whose relayProtocol is `tls`, the judge decoding the
 * phone's video and audio (frames advancing) and the phone the judge's; the firewall must have dropped the
 * phone's direct attempts (so the relay was needed, not merely chosen), and coturn must have
 * allocated for the credentials e-Zal made. An expired credential is refused by coturn.
 *
 * Needs root (a network namespace), coturn and nftables (`npm run setup`), the web app built and
 * Debian's Chromium. Run: flock /tmp/ezal-web.lock node --test tests/e2e/remote-turn-tls.spec.ts
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { turnRestCredentials } from '../../server/src/media-rooms/turn-credentials.ts';
import { enterAndAdmit, judgeMediaLive, receivesMore, TRACK_PEER_CONNECTIONS, type BrowserHarness } from '../helpers/browser.ts';
import type { TestCoturn } from '../helpers/coturn.ts';
import { demoHearing, type DemoHearing } from '../helpers/hall.ts';
import { phoneNetworkUnavailable, type PhoneNetwork } from '../helpers/phone-network.ts';
import { ApiClient, type TestServer } from '../helpers/server.ts';
import { startTcpOnlyPhone, type TcpOnlyPhone } from '../helpers/tcp-only-phone.ts';

const DESKTOP = { width: 1280, height: 800 };
const TTL_SECONDS = 3600;

type SelectedPair = { state: string; localType: string; relayProtocol: string | null; localProtocol: string; remoteAddress: string; remotePort: number; remoteProtocol: string };

/** Each open peer connection's selected candidate pair, and the TURN usernames it was configured with. */
function selectedPairs(page: Page): Promise<{ pairs: SelectedPair[]; turnUsernames: string[] }> {
  return page.evaluate(async () => {
    const pairs: SelectedPair[] = [];
    const turnUsernames: string[] = [];
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      if (pc.connectionState === 'closed') continue;
      for (const server of pc.getConfiguration().iceServers ?? []) if (server.username) turnUsernames.push(server.username);
      const reports = (await pc.getStats()) as unknown as Map<string, any>;
      for (const report of reports.values()) {
        if (report.type !== 'transport' || !report.selectedCandidatePairId) continue;
        const pair = reports.get(report.selectedCandidatePairId);
        const local = pair && reports.get(pair.localCandidateId);
        const remote = pair && reports.get(pair.remoteCandidateId);
        if (!local || !remote) continue;
        pairs.push({
          state: pair.state,
          localType: local.candidateType,
          relayProtocol: local.relayProtocol ?? null,
          localProtocol: local.protocol,
          remoteAddress: remote.address,
          remotePort: remote.port,
          remoteProtocol: remote.protocol,
        });
      }
    }
    return { pairs, turnUsernames };
  });
}

const unavailable = phoneNetworkUnavailable();

describe('a phone on a network that lets out only TCP to the web and TURN ports reaches the hall through TURN over TLS', { skip: unavailable ?? false }, () => {
  let phone: TcpOnlyPhone | undefined;
  let network: PhoneNetwork;
  let turn: TestCoturn;
  let server: TestServer;
  let harness: BrowserHarness;
  let demo: DemoHearing;
  let judge: Page;
  let witness: Page;

  before(async () => {
    phone = await startTcpOnlyPhone({ rtcPorts: [44100, 44299], turnTtlSeconds: TTL_SECONDS });
    ({ network, turn, server, harness } = phone);
    demo = demoHearing(server.sqlite!);
  });

  after(async () => {
    await phone?.close();
  });

  test('the judge turns on the hall media', async () => {
    judge = await harness.openPage(DESKTOP, 30_000, { permissions: ['camera', 'microphone'] });
    await judgeMediaLive(judge, server.url, demo.hearingId);
  });

  test('the witness opens the link on the phone, waits in the lobby and is admitted', async () => {
    const secretary = new ApiClient(server.url);
    await secretary.login('secretary');
    const invited = await secretary.post(`/api/hearings/${demo.hearingId}/invitations`, { participantId: demo.participants.witness });
    assert.equal(invited.status, 201, JSON.stringify(invited.body));

    witness = await phone!.openPhone();
    await witness.addInitScript(TRACK_PEER_CONNECTIONS);
    await enterAndAdmit(witness, invited.body.invitation.link, judge, demo.participants.witness);
  });

  test("both sides decode each other's video and audio, the phone's through a TURN relay over TLS", async (t) => {
    const atWitness = await receivesMore(witness, { framesDecoded: 0, audioSamples: 0 }, 90_000);
    const atJudge = await receivesMore(judge, { framesDecoded: 0, audioSamples: 0 }, 90_000);
    // Still flowing: frames keep advancing on both sides.
    await receivesMore(witness, atWitness);
    await receivesMore(judge, atJudge);

    const { pairs, turnUsernames } = await selectedPairs(witness);
    assert.ok(pairs.length >= 2, `a send and a receive transport: ${JSON.stringify(pairs)}`);
    for (const pair of pairs) {
      assert.equal(pair.localType, 'relay', `the phone sends through the TURN server: ${JSON.stringify(pairs)}`);
      assert.equal(pair.relayProtocol, 'tls', `to the TURN server over TLS: ${JSON.stringify(pairs)}`);
      assert.equal(pair.remoteAddress, network.hostIp, JSON.stringify(pair));
      assert.ok(pair.remotePort >= 44100 && pair.remotePort <= 44299, `to the media server's ports: ${JSON.stringify(pair)}`);
    }

    // The credentials were made for this connection and expire within the configured time.
    assert.ok(turnUsernames.length >= 2, JSON.stringify(turnUsernames));
    const now = Date.now() / 1000;
    for (const username of turnUsernames) {
      const expiry = Number(/^(\d+):[^:]+$/.exec(username)?.[1]);
      assert.ok(expiry > now && expiry <= now + TTL_SECONDS + 5, `time-limited username: ${username}`);
    }
    // coturn checked them (use-auth-secret) and allocated a relay for them.
    assert.ok(
      turnUsernames.some((username) => turn.log().includes(username)),
      turn.log().slice(-3000),
    );

    // The firewall did its part: the phone's direct attempts to the media ports were dropped.
    const dropped = network.dropped();
    assert.ok(dropped.udp > 0, `direct UDP dropped: ${JSON.stringify(dropped)}`);
    t.diagnostic(`phone's selected pairs: ${JSON.stringify(pairs)}; dropped by the phone's firewall: ${JSON.stringify(dropped)}`);

    // The judge, on the server's network, connects directly.
    const atJudgeSide = await selectedPairs(judge);
    assert.ok(
      atJudgeSide.pairs.every((pair) => pair.localType !== 'relay'),
      JSON.stringify(atJudgeSide.pairs),
    );
  });

  test('an expired credential is refused by the TURN server', async () => {
    const expired = turnRestCredentials(turn.secret, 'expired', Date.now() / 1000 - 60);
    const valid = turnRestCredentials(turn.secret, 'probe', Date.now() / 1000 + 60);
    const gather = (credentials: { username: string; credential: string }) =>
      witness.evaluate(
        async ({ url, credentials }) => {
          const pc = new RTCPeerConnection({ iceServers: [{ urls: url, ...credentials }], iceTransportPolicy: 'relay' });
          const found: string[] = [];
          const errors: number[] = [];
          pc.addEventListener('icecandidate', (event) => event.candidate?.candidate && found.push(event.candidate.candidate));
          pc.addEventListener('icecandidateerror', (event) => errors.push((event as RTCPeerConnectionIceErrorEvent).errorCode));
          pc.createDataChannel('probe');
          await pc.setLocalDescription(await pc.createOffer());
          await new Promise<void>((resolve) => {
            if (pc.iceGatheringState === 'complete') resolve();
            pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve());
            setTimeout(resolve, 15_000);
          });
          pc.close();
          return { relays: found.filter((c) => c.includes(' typ relay')).length, errors };
        },
        { url: turn.url, credentials },
      );
    const withValid = await gather(valid);
    assert.ok(withValid.relays > 0, `a fresh credential gets a relay: ${JSON.stringify(withValid)}`);
    const withExpired = await gather(expired);
    assert.equal(withExpired.relays, 0, `an expired one does not: ${JSON.stringify(withExpired)}`);
  });
});

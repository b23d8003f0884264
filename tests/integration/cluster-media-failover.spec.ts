/**
 * kill -9 of the node holding a hearing's media (issue 21, item 4; docs/media.md, "Media
 * failover"): two e-Zal nodes with a media worker each, on one PostgreSQL and one Redis, one shared
 * RECORDINGS_DIR, behind haproxy with the repository's configuration. The hearing is open and
 * recorded; the judge's and the secretary's workstations and an admitted remote witness's phone
 * page (Chromium, fake camera and microphone, through haproxy) see and hear each other. The node
 * holding the hearing's media room lease is killed. Then, with nobody doing anything:
 * - every page decodes video frames and receives audio bytes again; the time from the kill until
 *   that is so on each page is printed;
 * - the lease is the other node's, and the recording went on there;
 * - stopped, the recording verifies (files and hash chains across both nodes' segments), and each
 *   track recorded before the kill has a gap of about the outage's length.
 *
 * Needs PostgreSQL, Redis and haproxy (npm run setup), the web app built (npm run build:web),
 * Debian's Chromium, the mediasoup worker and ffmpeg.
 * Run: flock /tmp/ezal-web.lock node --test tests/integration/cluster-media-failover.spec.ts
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { openPostgresDb, type Database } from '../../db/database.ts';
import { freePort } from '../../server/cluster/free-port.ts';
import { nodeOfHearing, startLocalCluster, type LocalCluster } from '../../server/cluster/local-cluster.ts';
import { startNodeProcess } from '../../server/cluster/node-process.ts';
import type { RecordedTrack, RecordingVerdict, RecordingView } from '../../server/src/shared/api/recording-view.ts';
import { BrowserHarness, enterAndAdmit, FAKE_MEDIA_ARGS, judgeMediaLive, logIn, TRACK_PEER_CONNECTIONS } from '../helpers/browser.ts';
import { routedWorkstation } from '../helpers/cluster.ts';
import { closeAll, dataOf, demoHearing, inStep, until, type DemoHearing, type Workstation } from '../helpers/hall.ts';
import { sqlOf } from '../helpers/sql.ts';

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const SEGMENT_SECONDS = 2;
/** The restarted node waits this long before it records those with no page on any node as cut off. */
const GRACE_SECONDS = 5;
/** Each node's own range of RTC ports. */
const mediaPortsOf = (index: number) => ({ MEDIA_RTC_MIN_PORT: String(45000 + index * 500), MEDIA_RTC_MAX_PORT: String(45499 + index * 500) });

/** Per peer connection of the page (by the order they were made): video frames decoded and audio bytes received. */
type Flow = { frames: number; audioBytes: number; closed: boolean }[];

function flowOf(page: Page): Promise<Flow> {
  return page.evaluate(async () => {
    const flows: { frames: number; audioBytes: number; closed: boolean }[] = [];
    for (const pc of (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs) {
      const flow = { frames: 0, audioBytes: 0, closed: pc.connectionState === 'closed' };
      if (!flow.closed) {
        for (const report of ((await pc.getStats()) as unknown as Map<string, any>).values()) {
          if (report.type !== 'inbound-rtp') continue;
          if (report.kind === 'video') flow.frames += report.framesDecoded ?? 0;
          if (report.kind === 'audio') flow.audioBytes += report.bytesReceived ?? 0;
        }
      }
      flows.push(flow);
    }
    return flows;
  });
}

/** What grew between two looks, over the connections open at both (a connection closed meanwhile counts nothing). */
function grown(before: Flow, now: Flow): { frames: number; audioBytes: number } {
  let frames = 0;
  let audioBytes = 0;
  for (const [i, flow] of now.entries()) {
    const was = before[i];
    if (!was || was.closed || flow.closed) continue;
    frames += Math.max(0, flow.frames - was.frames);
    audioBytes += Math.max(0, flow.audioBytes - was.audioBytes);
  }
  return { frames, audioBytes };
}

/** Resolves once video frames and audio bytes both grow over one `stepMs` on the page; its time (ms since the epoch). */
async function flowing(page: Page, timeoutMs: number, stepMs = 250): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let before = await flowOf(page);
  for (;;) {
    await page.waitForTimeout(stepMs);
    const now = await flowOf(page);
    const growth = grown(before, now);
    if (growth.frames > 0 && growth.audioBytes > 0) return Date.now();
    if (Date.now() > deadline) throw new Error(`media not flowing: ${JSON.stringify({ growth, now })}`);
    before = now;
  }
}

/** Resolves once nothing (no frame, no audio byte) has arrived on the page for `quietMs`: the outage is seen. */
async function stalled(page: Page, timeoutMs: number, quietMs = 1000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let before = await flowOf(page);
  for (;;) {
    await page.waitForTimeout(quietMs);
    const now = await flowOf(page);
    const growth = grown(before, now);
    if (growth.frames === 0 && growth.audioBytes === 0) return;
    if (Date.now() > deadline) throw new Error(`media never stopped: ${JSON.stringify(growth)}`);
    before = now;
  }
}

/**
 * A request that changes nothing, asked again when a kept-alive connection through haproxy is
 * found closed as it is reused (undici's "other side closed", a TypeError).
 */
async function readOnly<T>(ask: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await ask();
    } catch (error) {
      if (attempt >= 3 || !(error instanceof TypeError)) throw error;
    }
  }
}

/** A track being recorded at `at`: its last segment before then ended at most two segments earlier. */
const recordingAt = (at: number) => (track: RecordedTrack) => track.segments.some((s) => s.startedAt < at && s.startedAt + s.durationMs >= at - 2 * SEGMENT_SECONDS * 1000 - 1000);

describe("kill -9 of the node holding a recorded hearing's media, with a phone participant", () => {
  let dir: string;
  let cluster: LocalCluster;
  let database: Database;
  let harness: BrowserHarness;
  let demo: DemoHearing;
  let presiding: Workstation;
  let clerk: Workstation;
  const pages: { label: string; page: Page }[] = [];
  let killedAt = 0;
  let killed = '';
  let outageMs = 0;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-cluster-media-'));
    const port = await freePort();
    cluster = await startLocalCluster({
      dir,
      bind: `127.0.0.1:${port}`,
      progress: (m) => console.log(`# ${m}`),
      nodeEnv: {
        MEDIA_WORKERS: '1',
        MEDIA_LISTEN_IP: '127.0.0.1',
        RECORDINGS_DIR: path.join(dir, 'recordings'),
        RECORDING_SEGMENT_SECONDS: String(SEGMENT_SECONDS),
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        SOCKET_COMMAND_RATE: '1000',
        // A node that starts checks after this grace period who has no page on any node (docs/media.md).
        REMOTE_DISCONNECT_GRACE_SECONDS: String(GRACE_SECONDS),
        LOG_LEVEL: 'info',
      },
      nodeEnvOf: mediaPortsOf,
    });
    database = await openPostgresDb(cluster.postgres.url, { poolSize: 2 });
    demo = await demoHearing(database);
    harness = await BrowserHarness.launch(FAKE_MEDIA_ARGS);
    presiding = await routedWorkstation(cluster.url, 'judge', demo.hearingId);
    clerk = await routedWorkstation(cluster.url, 'secretary', demo.hearingId, undefined, 20_000);
    await Promise.all([inStep(presiding), inStep(clerk)]);
    dataOf(await presiding.follower.send('hearing:open', {}));
  });

  after(async () => {
    closeAll([presiding, clerk].filter((w) => w !== undefined));
    await harness?.close();
    await database?.close();
    await cluster?.stop();
    // The nodes' logs, for a failure: EZAL_KEEP_TEST_DIR=1 keeps the folder.
    if (process.env.EZAL_KEEP_TEST_DIR) console.log(`# kept ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  });

  const disconnections = async () =>
    (await sqlOf(database).all<{ version: number }>("select version from hearing_events where hearing_id = ? and type = 'remote.disconnected'", demo.hearingId)).length;
  const leaseHolder = async () => (await sqlOf(database).one<{ node_id: string }>('select node_id from media_room_leases where hearing_id = ?', demo.hearingId))?.node_id ?? null;

  test('the judge, the secretary and an admitted witness on a phone see and hear each other; the hearing is recorded', async () => {
    const judge = await harness.openPage(DESKTOP, 30_000, { permissions: ['camera', 'microphone'] });
    await judgeMediaLive(judge, cluster.url, demo.hearingId);
    pages.push({ label: 'judge', page: judge });

    const secretary = await harness.openPage(DESKTOP, 30_000, { permissions: ['camera', 'microphone'] });
    await secretary.addInitScript(TRACK_PEER_CONNECTIONS);
    await logIn(secretary, cluster.url, 'secretary');
    await secretary.goto(`${cluster.url}/hearings/${demo.hearingId}/secretary`);
    await secretary.locator('[data-testid="hearing-page"][data-status="online"]').waitFor();
    await secretary.getByTestId('media-start').click();
    await secretary.locator('[data-testid="media-phase"][data-phase="live"]').waitFor();
    pages.push({ label: 'secretary', page: secretary });

    const invited = await clerk.api.post(`/api/hearings/${demo.hearingId}/invitations`, { participantId: demo.participants.witness });
    assert.equal(invited.status, 201, JSON.stringify(invited.body));
    const witness = await harness.openPage(PHONE, 30_000, { permissions: ['camera', 'microphone'], isMobile: true });
    await witness.addInitScript(TRACK_PEER_CONNECTIONS);
    await enterAndAdmit(witness, invited.body.invitation.link, judge, demo.participants.witness);
    pages.push({ label: 'phone', page: witness });

    await Promise.all(pages.map(({ page }) => flowing(page, 60_000)));
    dataOf(await clerk.follower.send('recording:start', {}));
    // Recorded for a while: every source has closed segments before the kill.
    for (const deadline = Date.now() + 90_000; ; await new Promise((resolve) => setTimeout(resolve, 500))) {
      const view = await readOnly(async () => (await clerk.api.get(`/api/hearings/${demo.hearingId}/recording`)).body as RecordingView);
      const recorded = view.tracks.filter((t) => t.segments.length >= 2);
      // Six sources; a camera the page has switched off on a slow link (audio only) records nothing.
      if (recorded.length >= 4) break;
      assert.ok(Date.now() < deadline, `not recorded: ${JSON.stringify(view.tracks.map((t) => [t.label, t.kind, t.segments.length]))}`);
    }
    const holder = await leaseHolder();
    assert.equal(holder, await nodeOfHearing(cluster.url, demo.hearingId), "the lease is held by the node haproxy sends the hearing's connections to");
  });

  test('kill -9 of the lease holder: audio and video come back on every page by themselves', async () => {
    const holder = (await leaseHolder())!;
    const node = cluster.nodes.find((n) => n.name === holder)!;
    const survivor = cluster.nodes.find((n) => n.name !== holder)!;
    killedAt = Date.now();
    killed = holder;
    await node.kill();
    console.log(`# killed node ${holder} (kill -9); ${survivor.name} is left`);
    const back = await Promise.all(
      pages.map(async ({ label, page }) => {
        await stalled(page, 15_000);
        const at = await flowing(page, 90_000);
        console.log(`# ${label}: audio and video back ${((at - killedAt) / 1000).toFixed(1)} s after the kill`);
        return at;
      }),
    );
    outageMs = Math.max(...back) - killedAt;
    console.log(`# media back on every page ${(outageMs / 1000).toFixed(1)} s after the kill`);
    await pages[2]!.page.locator('[data-testid="join-state"][data-state="live"]').waitFor();
    for (const { page } of pages.slice(0, 2)) await page.locator('[data-testid="media-phase"][data-phase="live"]').waitFor();
    assert.equal(await leaseHolder(), survivor.name, 'the survivor took the lease over');
    // Still flowing, not a one-off.
    await Promise.all(pages.map(({ page }) => flowing(page, 30_000)));
  });

  test('the recording verifies across both nodes, the outage a gap on each track', async () => {
    // The routed workstations came back on the survivor by themselves.
    await until(() => clerk.socket.connected, 30_000);
    // The recording goes on on the survivor: every source has a segment there before the stop.
    const view = () => readOnly(async () => (await clerk.api.get(`/api/hearings/${demo.hearingId}/recording`)).body as RecordingView);
    for (const deadline = Date.now() + 60_000; ; await new Promise((resolve) => setTimeout(resolve, 500))) {
      // An answer without tracks (a node still settling after the takeover) is asked again.
      const tracks = (await view()).tracks ?? [];
      const live = tracks.filter(recordingAt(killedAt));
      if (live.length >= 4 && live.every((t) => t.segments.some((s) => s.startedAt > killedAt))) break;
      assert.ok(Date.now() < deadline, `not recorded after the kill: ${JSON.stringify(tracks.map((t) => [t.label, t.kind, t.segments.filter((s) => s.startedAt > killedAt).length]))}`);
    }
    let stopped = false;
    for (const deadline = Date.now() + 30_000; !stopped;) {
      const answer = await clerk.follower.send('recording:stop', {}).catch((error: Error) => ({ error: { code: 'timeout', message: error.message } }));
      if ('data' in answer) stopped = true;
      else {
        assert.ok(Date.now() < deadline, `recording:stop refused: ${JSON.stringify(answer)}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    const verdict = await readOnly(() => clerk.api.post(`/api/hearings/${demo.hearingId}/recording/verify`));
    assert.equal(verdict.status, 200, JSON.stringify(verdict.body));
    const { ok, tracks, firstBad } = verdict.body as RecordingVerdict;
    assert.equal(ok, true, JSON.stringify(firstBad));

    const recorded = await view();
    const gaps = recorded.events.flatMap((e) => (e.type === 'recording.gap_ended' ? [e.payload] : []));
    const before = recorded.tracks.filter(recordingAt(killedAt));
    assert.ok(before.length >= 4, 'the tracks being recorded when the node was killed');
    for (const track of before) {
      const gap = gaps.find((g) => g.trackId === track.trackId && g.from <= killedAt + 1000 && g.to >= killedAt);
      assert.ok(gap, `${track.label} ${track.kind}: a gap over the kill (${JSON.stringify(gaps)})`);
      const length = gap.to - gap.from;
      console.log(`# gap on ${track.label} ${track.kind}: ${(length / 1000).toFixed(1)} s (${gap.reason})`);
      // From the end of the last segment closed before the kill to the first one after it.
      assert.ok(gap.from >= killedAt - 2 * SEGMENT_SECONDS * 1000 - 1000, `${track.label}: the gap starts just before the kill`);
      assert.ok(length >= outageMs * 0.5 && length <= outageMs + 2 * SEGMENT_SECONDS * 1000 + 5000, `${track.label}: a gap of ${length} ms for an outage of ${outageMs} ms`);
      const after = track.segments.find((s) => s.startedAt > killedAt);
      assert.ok(after && after.startedAt >= gap.from, `${track.label} ${track.kind}: recorded again after the outage (${JSON.stringify({ gap, after })})`);
    }
    assert.ok(tracks.length >= before.length);
    harness.assertNoPageErrors();
  });

  test('the killed node comes back: a page that reaches it is sent to the lease holder, and sees and hears everyone', async () => {
    const index = cluster.nodes.findIndex((n) => n.name === killed);
    const old = cluster.nodes[index]!;
    const holder = (await leaseHolder())!;
    assert.notEqual(holder, killed);
    const disconnectedBefore = await disconnections();
    const restartedAt = Date.now();
    const restarted = await startNodeProcess({ name: killed, dataDir: path.join(dir, `node-${killed}`), port: Number(old.address.split(':').at(-1)), env: { ...cluster.env, ...mediaPortsOf(index) } });
    cluster.nodes[index] = restarted;
    // haproxy takes it back after two good checks; the hearing hashes to it again.
    await until(async () => (await nodeOfHearing(cluster.url, demo.hearingId)) === killed, 30_000);
    const pinned = await fetch(`${cluster.url}/socket.io/?EIO=4&transport=polling&hearing=${demo.hearingId}&node=${holder}`);
    await pinned.body?.cancel();
    assert.equal(pinned.headers.get('x-ezal-node'), holder, '`?node=` sends the handshake to the node it names');

    const prosecutor = await harness.openPage(DESKTOP, 30_000, { permissions: ['camera', 'microphone'] });
    await prosecutor.addInitScript(TRACK_PEER_CONNECTIONS);
    await logIn(prosecutor, cluster.url, 'prosecutor');
    await prosecutor.goto(`${cluster.url}/hearings/${demo.hearingId}`);
    await prosecutor.locator('[data-testid="hearing-page"][data-status="online"]').waitFor();
    const startedAt = Date.now();
    await prosecutor.getByTestId('media-start').click();
    await prosecutor.locator('[data-testid="media-phase"][data-phase="live"]').waitFor({ timeout: 60_000 });
    await flowing(prosecutor, 60_000);
    console.log(`# a page that reached node ${killed} was sent to ${holder}: media ${((Date.now() - startedAt) / 1000).toFixed(1)} s after it asked`);
    assert.equal(await leaseHolder(), holder, 'the room did not move back');
    // Everyone still sees and hears (now the prosecutor too), the phone included: the restarted
    // node waited the grace period and found the witness's page connected to the other node.
    const checked = restartedAt + (GRACE_SECONDS + 2) * 1000;
    if (Date.now() < checked) await new Promise((resolve) => setTimeout(resolve, checked - Date.now()));
    await Promise.all(pages.map(({ page }) => flowing(page, 30_000)));
    assert.equal(await disconnections(), disconnectedBefore, 'nobody was recorded as cut off by the restart of one node');
    harness.assertNoPageErrors();
  });
});

/**
 * The link classification and the sound-only hysteresis (link-quality.ts), fed with samples as the
 * monitor reads them from mediasoup once a second: when a participant's video is paused, when it is
 * tried again, when it comes back, and what the court's badge says meanwhile. Then, on a real
 * mediasoup worker, what the monitor may touch: remote participants' consumers only (never a hall
 * workstation's), and never one the page paused itself.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { types } from 'mediasoup';
import { resolveWorkerBin } from '../worker/worker-bin.ts';
import { HearingMediaRoom, type PeerIdentity } from './hearing-media-room.ts';
import { MediaWorkerPool } from './worker-pool.ts';
import {
  holdVideo,
  releaseVideo,
  AUDIO_ONLY_BELOW_KBPS,
  downlinkState,
  ENTER_AUDIO_ONLY_MS,
  FRESH_MEMORY,
  HOLD_MS,
  MAX_HOLD_MS,
  nextLink,
  PROBE_MS,
  reportedLayer,
  RESUME_ABOVE_KBPS,
  uplinkState,
  type LinkAction,
  type LinkMemory,
  type LinkSample,
  type VideoSample,
} from './link-quality.ts';

const top: VideoSample = { score: 10, spatialLayer: 2, preferredSpatialLayer: 2, spatialLayers: 3, scaleDown: 1 };
const sample = (availableKbps: number | null, video: VideoSample[] = [top], uplinkScore: number | null = 10): LinkSample => ({ availableKbps, video, uplinkScore });

/** Runs samples one second apart from `start`; returns the memory and every action with its time. */
function run(memory: LinkMemory, kbps: (number | null)[], start = 0): { memory: LinkMemory; actions: { at: number; action: LinkAction }[] } {
  const actions: { at: number; action: LinkAction }[] = [];
  kbps.forEach((value, i) => {
    const at = start + i * 1000;
    const next = nextLink(memory, sample(value), at);
    memory = next.memory;
    if (next.action) actions.push({ at, action: next.action });
  });
  return { memory, actions };
}

describe('link classification', () => {
  test('every layer asked for, a good score and a comfortable estimate: good', () => {
    assert.equal(downlinkState(FRESH_MEMORY, sample(2000)), 'good');
  });

  test('mediasoup forwarding a layer below the one asked for: weak, and the layer is reported', () => {
    const stepped = { ...top, spatialLayer: 1, scaleDown: 2 };
    assert.equal(downlinkState(FRESH_MEMORY, sample(700, [stepped])), 'weak');
    assert.deepEqual(reportedLayer(sample(700, [top, stepped])), { spatialLayer: 1, spatialLayers: 3, scaleDown: 2 });
  });

  test('a layer the page itself asked to lower (a small tile) is not weak', () => {
    assert.equal(downlinkState(FRESH_MEMORY, sample(2000, [{ ...top, spatialLayer: 0, preferredSpatialLayer: 0 }])), 'good');
  });

  test('a poor score (loss) or a low estimate: weak', () => {
    assert.equal(downlinkState(FRESH_MEMORY, sample(2000, [{ ...top, score: 5 }])), 'weak');
    assert.equal(downlinkState(FRESH_MEMORY, sample(200, [])), 'weak');
  });

  test('the uplink from the producers’ scores; none published: unknown', () => {
    assert.equal(uplinkState(sample(2000, [], 9)), 'good');
    assert.equal(uplinkState(sample(2000, [], 4)), 'weak');
    assert.equal(uplinkState(sample(2000, [], null)), null);
  });
});

describe('sound only, with hysteresis', () => {
  test('a low estimate must last ENTER_AUDIO_ONLY_MS before the video is paused', () => {
    const low = AUDIO_ONLY_BELOW_KBPS - 10;
    const brief = run(FRESH_MEMORY, [low, low, 2000, low, low]);
    assert.deepEqual(brief.actions, [], 'a dip interrupted by a good reading pauses nothing');
    const lasting = run(FRESH_MEMORY, [low, low, low, low]);
    assert.deepEqual(lasting.actions, [{ at: ENTER_AUDIO_ONLY_MS, action: 'hold' }]);
    assert.equal(downlinkState(lasting.memory, sample(low)), 'audio_only');
  });

  test('an unknown estimate is not a low one', () => {
    assert.deepEqual(run(FRESH_MEMORY, [null, null, null, null, null]).actions, []);
  });

  test('an estimate that recovers while paused resumes the video, but not before the minimum hold', () => {
    const held: LinkMemory = { ...FRESH_MEMORY, mode: 'held', heldSince: 0, probeAt: HOLD_MS };
    assert.equal(nextLink(held, sample(RESUME_ABOVE_KBPS + 100), HOLD_MS - 1000).action, null, 'held at least HOLD_MS');
    const back = nextLink(held, sample(RESUME_ABOVE_KBPS + 100), HOLD_MS);
    assert.equal(back.action, 'release');
    assert.equal(back.memory.mode, 'normal');
    // Between the two thresholds nothing changes either way.
    const between = (AUDIO_ONLY_BELOW_KBPS + RESUME_ABOVE_KBPS) / 2;
    assert.equal(nextLink({ ...held, probeAt: 100_000 }, sample(between), HOLD_MS).action, null);
  });

  test('with the estimate stuck low while paused, the video is tried again after the hold; a failed trial doubles the wait', () => {
    const low = AUDIO_ONLY_BELOW_KBPS - 50;
    let memory: LinkMemory = { ...FRESH_MEMORY, mode: 'held', heldSince: 0, probeAt: HOLD_MS };
    let step = nextLink(memory, sample(low), HOLD_MS);
    assert.equal(step.action, 'release', 'a trial resumes the video');
    assert.equal(step.memory.mode, 'probing');
    assert.equal(downlinkState(step.memory, sample(low)), 'audio_only', 'still sound only while on trial');
    memory = step.memory;
    assert.equal(nextLink(memory, sample(low), HOLD_MS + PROBE_MS - 1000).action, null, 'the trial runs PROBE_MS');
    step = nextLink(memory, sample(low), HOLD_MS + PROBE_MS);
    assert.equal(step.action, 'hold', 'a failed trial pauses again');
    assert.equal(step.memory.holdMs, HOLD_MS * 2);
    assert.equal(step.memory.probeAt, HOLD_MS + PROBE_MS + HOLD_MS * 2);
    // The wait doubles up to MAX_HOLD_MS.
    let m = step.memory;
    for (let i = 0; i < 10; i++) m = nextLink({ ...m, mode: 'probing', probeUntil: 0 }, sample(low), 1).memory;
    assert.equal(m.holdMs, MAX_HOLD_MS);
  });

  test('a trial during which the estimate climbs ends sound only: back to normal, the wait reset', () => {
    const probing: LinkMemory = { ...FRESH_MEMORY, mode: 'probing', probeUntil: 20_000, holdMs: 4 * HOLD_MS };
    const step = nextLink(probing, sample(RESUME_ABOVE_KBPS + 1), 20_000);
    assert.equal(step.action, null, 'the video already flows');
    assert.deepEqual(step.memory, FRESH_MEMORY);
    assert.equal(downlinkState(step.memory, sample(RESUME_ABOVE_KBPS + 1, [{ ...top, spatialLayer: 0 }])), 'weak');
  });
});

const person = (peerId: string, role: string, participantId: string | null): PeerIdentity => ({
  peerId,
  kind: participantId ? 'remote' : 'hall',
  role,
  userId: participantId ? null : `user-${peerId}`,
  participantId,
  fullName: peerId,
});

/** What a browser would send for a VP8 camera in three simulcast layers (mediasoup-client adds each layer's scale). */
function vp8Simulcast(ssrc: number): types.RtpParameters {
  const encodings = [
    { ssrc, scaleResolutionDownBy: 4 },
    { ssrc: ssrc + 1, scaleResolutionDownBy: 2 },
    { ssrc: ssrc + 2, scaleResolutionDownBy: 1 },
  ];
  return {
    mid: String(ssrc),
    codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, parameters: {}, rtcpFeedback: [] }],
    headerExtensions: [],
    encodings,
    rtcp: { cname: `c${ssrc}` },
  };
}

describe('what the monitor touches, on a real worker', () => {
  let pool: MediaWorkerPool;
  const quietLog = { info() {}, error() {} };
  const transport = { listenInfos: [{ protocol: 'udp' as const, ip: '127.0.0.1' }], initialOutgoingBitrate: 600_000 };

  before(async () => {
    pool = await MediaWorkerPool.start({ workers: 1, workerBin: resolveWorkerBin(), rtcMinPort: 44500, rtcMaxPort: 44599, log: quietLog });
  });
  after(() => pool.close());

  test('remote participants only; a held consumer stays paused when the page asks for a layer; a page’s own pause is never undone', async () => {
    const room = await HearingMediaRoom.create('h-link', pool.nextWorker(), transport);
    try {
      // Every consumer the router makes, to look at the hall workstation's too.
      const made = new Map<string, types.Consumer>();
      room.router.observer.on('newtransport', (t) => t.observer.on('newconsumer', (c) => made.set(c.id, c)));
      room.addPeer(person('judge', 'presiding_judge', null), 'live');
      room.addPeer(person('prosecutor', 'prosecutor', null), 'live');
      room.addPeer(person('witness', 'remote_participant', 'p-witness'), 'live');
      for (const peerId of ['judge', 'prosecutor', 'witness']) room.setRtpCapabilities(peerId, room.router.rtpCapabilities);
      const send = await room.createTransport('judge');
      const camera = await room.produce('judge', { transportId: send.id, kind: 'video', rtpParameters: vp8Simulcast(2000), label: 'camera' });
      const consumerOf = async (peerId: string) => {
        const recv = await room.createTransport(peerId);
        const params = await room.consume(peerId, { transportId: recv.id, producerId: camera.producerId });
        await room.resumeConsumer(peerId, params.id);
        return params.id;
      };
      const atProsecutor = await consumerOf('prosecutor');
      const atWitness = await consumerOf('witness');

      const peers = room.remotePeers();
      assert.deepEqual(
        peers.map((p) => p.participantId),
        ['p-witness'],
        'the hall’s workstations are not watched',
      );
      assert.deepEqual(
        room.encodingsOf(camera.producerId)?.map((e) => (e as { scaleResolutionDownBy?: number }).scaleResolutionDownBy),
        [4, 2, 1],
      );
      const witnessConsumer = peers[0].consumers.find((c) => c.id === atWitness)!;

      await holdVideo(room.remotePeers());
      assert.equal(witnessConsumer.paused, true, 'held for the network');
      // The page asks for a layer (a tile shown again) while held: the layer is noted, the video stays paused.
      await room.setConsumerQuality('witness', atWitness, 1);
      await room.resumeConsumer('witness', atWitness);
      assert.equal(witnessConsumer.paused, true);
      await releaseVideo(room.remotePeers());
      assert.equal(witnessConsumer.paused, false, 'resumed when the network allows');

      // Held again, then the page pauses it itself (audio only chosen): the monitor leaves it paused.
      await holdVideo(room.remotePeers());
      await room.setConsumerQuality('witness', atWitness, null);
      await releaseVideo(room.remotePeers());
      assert.equal(witnessConsumer.paused, true, 'the page’s own pause stays');
      // A consumer the page paused before any hold is not taken over either.
      await holdVideo(room.remotePeers());
      await releaseVideo(room.remotePeers());
      assert.equal(witnessConsumer.paused, true);

      assert.equal(made.get(atProsecutor)?.paused, false, 'the hall workstation’s video was never paused');
    } finally {
      room.close();
    }
  });
});

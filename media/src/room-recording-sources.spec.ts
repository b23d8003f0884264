/**
 * The recorder's view of a hearing's media room, against a real mediasoup worker: a participant in
 * the lobby is not part of the record; admitted, their microphone is offered with a source id that
 * stays the same when they reconnect; sent back to the lobby or gone, it is withdrawn.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { types } from 'mediasoup';
import { resolveWorkerBin } from '../worker/worker-bin.ts';
import { HearingMediaRoom, type PeerIdentity } from './hearing-media-room.ts';
import { recordingSourcesOf } from './room-recording-sources.ts';
import { MediaWorkerPool } from './worker-pool.ts';

const TRANSPORT = { listenIp: '127.0.0.1', enableUdp: true, enableTcp: true, initialOutgoingBitrate: 600_000 };
const witness = (peerId: string): PeerIdentity => ({ peerId, kind: 'remote', role: 'remote_participant', userId: null, participantId: 'participant-7', fullName: 'Петров А. В.' });
const opus = (ssrc: number): types.RtpParameters => ({
  mid: String(ssrc),
  codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2, parameters: {}, rtcpFeedback: [] }],
  headerExtensions: [],
  encodings: [{ ssrc }],
  rtcp: { cname: `c${ssrc}` },
});

describe('the recorder’s view of a media room', () => {
  let pool: MediaWorkerPool;
  before(async () => {
    pool = await MediaWorkerPool.start({ workers: 1, workerBin: resolveWorkerBin(), rtcMinPort: 45000, rtcMaxPort: 45499, log: { info() {}, error() {} } });
  });
  after(() => pool.close());

  test('lobby sources are left out; admitted ones are offered under a stable id; leaving withdraws them', async () => {
    const room = await HearingMediaRoom.create('h-rec', pool.nextWorker(), TRANSPORT);
    const sources = recordingSourcesOf(room);
    const seen: string[] = [];
    sources.on('source-added', (s) => seen.push(`added ${s.sourceId} ${s.who.label}`));
    sources.on('source-removed', (id) => seen.push(`removed ${id}`));
    try {
      assert.equal(sources.router, room.router);
      room.addPeer(witness('phone-1'), 'lobby');
      const send = await room.createTransport('phone-1');
      const first = await room.produce('phone-1', { transportId: send.id, kind: 'audio', rtpParameters: opus(1001), label: 'microphone' });
      assert.deepEqual(sources.sources(), [], 'a participant in the lobby is not recorded');
      assert.deepEqual(seen, []);

      room.setStanding('phone-1', 'live');
      assert.deepEqual(
        sources.sources().map((s) => [s.sourceId, s.producerId, s.kind, s.who.participantId]),
        [['participant-7:audio:microphone', first.producerId, 'audio', 'participant-7']],
      );
      room.setStanding('phone-1', 'lobby');
      assert.deepEqual(sources.sources(), []);
      room.removePeer('phone-1');

      // The same person reconnects from another connection: the same source id, a new producer.
      room.addPeer(witness('phone-2'), 'live');
      const again = await room.createTransport('phone-2');
      const second = await room.produce('phone-2', { transportId: again.id, kind: 'audio', rtpParameters: opus(1002), label: 'microphone' });
      assert.deepEqual(sources.sources().map((s) => [s.sourceId, s.producerId]), [['participant-7:audio:microphone', second.producerId]]);
      assert.deepEqual(seen, [
        'added participant-7:audio:microphone microphone',
        'removed participant-7:audio:microphone',
        'removed participant-7:audio:microphone',
        'added participant-7:audio:microphone microphone',
      ]);
    } finally {
      room.close();
    }
  });
});

/**
 * A hearing's media room against a real mediasoup worker: the lobby rule (a participant in the
 * lobby receives nothing and is seen only by the presiding judge and the secretary), muting by the
 * court, the sources recording reads, cleanup of every transport, producer and consumer, and a
 * hearing recovering on another worker when its worker dies; and what recording is offered of the
 * room: lobby sources left out, admitted ones under an id that survives a reconnect.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { HearingMediaRoom, MediaError, type MediaSource, type PeerIdentity } from './hearing-media-room.ts';
import { MediaRooms } from './media-rooms.ts';
import { recordingSourcesOf } from './room-recording-sources.ts';
import { opus, quietLog, startTestPool } from './testing-room.ts';
import type { MediaWorkerPool } from './worker-pool.ts';

const TRANSPORT = {
  listenInfos: [
    { protocol: 'udp' as const, ip: '127.0.0.1' },
    { protocol: 'tcp' as const, ip: '127.0.0.1' },
  ],
  initialOutgoingBitrate: 600_000,
};

const person = (peerId: string, role: string, kind: 'hall' | 'remote' = 'hall'): PeerIdentity => ({
  peerId,
  kind,
  role,
  userId: kind === 'hall' ? `user-${peerId}` : null,
  participantId: kind === 'remote' ? `participant-${peerId}` : null,
  fullName: peerId,
});

async function expectRefusal(promise: Promise<unknown> | (() => unknown), code: string): Promise<void> {
  await assert.rejects(
    async () => (typeof promise === 'function' ? promise() : promise),
    (error: unknown) => error instanceof MediaError && error.code === code,
  );
}

describe('a hearing media room', () => {
  let pool: MediaWorkerPool;

  before(async () => {
    pool = await startTestPool(2, 44000, 44999);
  });
  after(() => pool.close());

  test('the lobby: seen by the judge and the secretary only, receives nothing; admitted, seen by all', async () => {
    const room = await HearingMediaRoom.create('h1', pool.nextWorker(), TRANSPORT);
    const added: MediaSource[] = [];
    const closedConsumers: string[] = [];
    room.on('source-added', (s) => added.push(s));
    room.on('consumer-closed', (c) => closedConsumers.push(c.peerId));
    try {
      room.addPeer(person('judge', 'presiding_judge'), 'live');
      room.addPeer(person('prosecutor', 'prosecutor'), 'live');
      room.addPeer(person('witness', 'remote_participant', 'remote'), 'lobby');
      for (const peerId of ['judge', 'prosecutor', 'witness']) room.setRtpCapabilities(peerId, room.router.rtpCapabilities);

      const send = await room.createTransport('witness');
      await expectRefusal(room.createTransport('witness'), 'forbidden_action');
      const source = await room.produce('witness', { transportId: send.id, kind: 'audio', rtpParameters: opus(1111), label: 'microphone' });
      assert.equal(source.inLobby, true);
      assert.equal(source.participantId, 'participant-witness', 'the identity comes from the peer, not from the publisher');
      assert.deepEqual(
        added.map((s) => s.producerId),
        [source.producerId],
        'recording hears of the new source',
      );

      assert.deepEqual(
        room.sourcesFor('judge').map((s) => s.producerId),
        [source.producerId],
      );
      assert.deepEqual(room.sourcesFor('prosecutor'), []);
      const judgeRecv = await room.createTransport('judge');
      await room.consume('judge', { transportId: judgeRecv.id, producerId: source.producerId });
      const prosecutorRecv = await room.createTransport('prosecutor');
      await expectRefusal(room.consume('prosecutor', { transportId: prosecutorRecv.id, producerId: source.producerId }), 'forbidden_action');

      // The judge's own microphone does not reach the lobby.
      const judgeSend = await room.createTransport('judge');
      const judgeMic = await room.produce('judge', { transportId: judgeSend.id, kind: 'audio', rtpParameters: opus(2222), label: 'microphone' });
      assert.deepEqual(room.sourcesFor('witness'), []);

      room.setStanding('witness', 'live');
      assert.deepEqual(
        room
          .sourcesFor('prosecutor')
          .map((s) => s.producerId)
          .sort(),
        [judgeMic.producerId, source.producerId].sort(),
      );
      await room.consume('prosecutor', { transportId: prosecutorRecv.id, producerId: source.producerId });
      const witnessRecv = await room.createTransport('witness');
      await room.consume('witness', { transportId: witnessRecv.id, producerId: judgeMic.producerId });

      // Back to the lobby: the witness's consumers close, and so does the prosecutor's of the witness.
      room.setStanding('witness', 'lobby');
      assert.deepEqual(closedConsumers.sort(), ['prosecutor', 'witness']);
      assert.equal(room.counts().consumers, 1, "only the judge's consumer of the witness is left");
    } finally {
      room.close();
    }
  });

  test('muted by the court: the microphone pauses and its publisher cannot unmute it', async () => {
    const room = await HearingMediaRoom.create('h2', pool.nextWorker(), TRANSPORT);
    try {
      room.addPeer(person('defender', 'defender'), 'live');
      const send = await room.createTransport('defender');
      const mic = await room.produce('defender', { transportId: send.id, kind: 'audio', rtpParameters: opus(3333), label: 'microphone' });
      assert.deepEqual(room.peersOf({ userId: 'user-defender' }), ['defender']);
      assert.equal(await room.muteByCourt('defender', true), true);
      const [muted] = room.sources();
      assert.equal(muted.paused, true);
      assert.equal(muted.mutedByCourt, true);
      await expectRefusal(room.setPaused('defender', mic.producerId, false), 'forbidden_action');
      await room.muteByCourt('defender', false);
      assert.equal(room.sources()[0].paused, false);
    } finally {
      room.close();
    }
  });

  test("in a consultation: the microphone is held paused apart from the court's muting and the publisher's own switch", async () => {
    const room = await HearingMediaRoom.create('h2c', pool.nextWorker(), TRANSPORT);
    try {
      room.addPeer(person('defendant', 'remote_participant', 'remote'), 'live');
      const send = await room.createTransport('defendant');
      const mic = await room.produce('defendant', { transportId: send.id, kind: 'audio', rtpParameters: opus(3334), label: 'microphone' });
      const producerPaused = () => room.remotePeers()[0]!.producers[0]!.paused;
      assert.equal(mic.inConsultation, false);
      assert.equal(await room.holdForConsultation('defendant', true), true);
      assert.equal(producerPaused(), true);
      assert.equal(room.sources()[0]!.inConsultation, true);
      // The page switching its microphone on changes nothing while the consultation lasts.
      await room.setPaused('defendant', mic.producerId, false);
      assert.equal(producerPaused(), true);
      // The court mutes and lets speak again meanwhile: still held for the consultation.
      await room.muteByCourt('defendant', true);
      await room.muteByCourt('defendant', false);
      assert.equal(producerPaused(), true);
      assert.equal(await room.holdForConsultation('defendant', false), true);
      assert.equal(producerPaused(), false, 'back in the hall: heard again');
      // Muted by the court when the consultation ends: the court's mute stands.
      await room.holdForConsultation('defendant', true);
      await room.muteByCourt('defendant', true);
      await room.holdForConsultation('defendant', false);
      assert.equal(producerPaused(), true);
      assert.equal(room.sources()[0]!.mutedByCourt, true);
    } finally {
      room.close();
    }
  });

  test('a peer that leaves takes every transport, producer and consumer with it', async () => {
    const room = await HearingMediaRoom.create('h3', pool.nextWorker(), TRANSPORT);
    const removed: string[] = [];
    room.on('source-removed', (s) => removed.push(s.producerId));
    try {
      room.addPeer(person('judge', 'presiding_judge'), 'live');
      room.addPeer(person('secretary', 'secretary'), 'live');
      room.setRtpCapabilities('secretary', room.router.rtpCapabilities);
      const send = await room.createTransport('judge');
      const mic = await room.produce('judge', { transportId: send.id, kind: 'audio', rtpParameters: opus(4444), label: 'microphone' });
      const recv = await room.createTransport('secretary');
      await room.consume('secretary', { transportId: recv.id, producerId: mic.producerId });
      assert.deepEqual(room.counts(), { peers: 2, transports: 2, producers: 1, consumers: 1 });

      room.removePeer('judge');
      assert.deepEqual(removed, [mic.producerId]);
      // The worker tells the consumer its producer is gone: asynchronously.
      await until(() => room.counts().consumers === 0);
      assert.deepEqual(room.counts(), { peers: 1, transports: 1, producers: 0, consumers: 0 }, "the secretary's consumer closed with the judge's microphone");
      room.removePeer('secretary');
      const dump = await room.router.dump();
      assert.deepEqual(dump.transportIds, [], 'nothing is left on the router');
    } finally {
      room.close();
    }
  });

  test('a dead worker: its hearings are told, and the next join makes the room on a live worker', async () => {
    const rooms = new MediaRooms({ pool, transport: TRANSPORT, log: quietLog });
    const first = await rooms.get('h4');
    assert.equal(await rooms.get('h4'), first, 'one room per hearing');
    const closed = new Promise<string>((resolve) => first.once('closed', ({ reason }) => resolve(reason)));
    const [a, b] = await Promise.all([rooms.get('h5'), rooms.get('h5')]);
    assert.equal(a, b, 'two joins at once make one room');

    const pid = rooms.workerPidOf('h4');
    assert.ok(pid);
    process.kill(pid, 'SIGKILL');
    assert.equal(await closed, 'worker-died');
    assert.equal(rooms.find('h4'), undefined);
    const again = await rooms.get('h4');
    assert.notEqual(again, first);
    assert.equal(again.closed, false);
    again.addPeer(person('judge', 'presiding_judge'), 'live');
    await again.createTransport('judge');
    rooms.closeAll();
  });

  // What recording is offered of the room (room-recording-sources.ts).
  test('lobby sources are left out; admitted ones are offered under a stable id; leaving withdraws them', async () => {
    const room = await HearingMediaRoom.create('h-rec', pool.nextWorker(), TRANSPORT);
    const sources = recordingSourcesOf(room);
    const seen: string[] = [];
    sources.on('source-added', (s) => seen.push(`added ${s.sourceId} ${s.who.label}`));
    sources.on('source-removed', (id) => seen.push(`removed ${id}`));
    try {
      assert.equal(sources.router, room.router);
      room.addPeer({ ...person('phone-1', 'remote_participant', 'remote'), participantId: 'participant-7', fullName: 'Петров А. В.' }, 'lobby');
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
      room.addPeer({ ...person('phone-2', 'remote_participant', 'remote'), participantId: 'participant-7', fullName: 'Петров А. В.' }, 'live');
      const again = await room.createTransport('phone-2');
      const second = await room.produce('phone-2', { transportId: again.id, kind: 'audio', rtpParameters: opus(1002), label: 'microphone' });
      assert.deepEqual(
        sources.sources().map((s) => [s.sourceId, s.producerId]),
        [['participant-7:audio:microphone', second.producerId]],
      );
      assert.deepEqual(seen, [
        'added participant-7:audio:microphone Петров А. В.',
        'removed participant-7:audio:microphone',
        'removed participant-7:audio:microphone',
        'added participant-7:audio:microphone Петров А. В.',
      ]);
    } finally {
      room.close();
    }
  });
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

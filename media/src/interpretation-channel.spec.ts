/**
 * An interpreter's channel in a hearing's media room, against a real mediasoup worker: an
 * `interpretation` source reaches only the participants it is for — not the presiding judge, not
 * the prosecutor, not the hall — follows the appointment when it changes, is silent from the
 * lobby, and is offered to recording as its own track, labelled as the interpreter's channel.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { HearingMediaRoom, MediaError, type PeerIdentity } from './hearing-media-room.ts';
import { recordingSourceId, recordingSourcesOf } from './room-recording-sources.ts';
import { LOOPBACK_UDP_TRANSPORT, opus, startTestPool } from './testing-room.ts';
import type { MediaWorkerPool } from './worker-pool.ts';

const TRANSPORT = LOOPBACK_UDP_TRANSPORT;

const hall = (peerId: string, role: string): PeerIdentity => ({ peerId, kind: 'hall', role, userId: `user-${peerId}`, participantId: null, fullName: peerId });
const remote = (peerId: string): PeerIdentity => ({ peerId, kind: 'remote', role: 'remote_participant', userId: null, participantId: `participant-${peerId}`, fullName: peerId });

const visibleTo = (room: HearingMediaRoom, peerId: string) => room.sourcesFor(peerId).map((s) => s.label);

describe("an interpreter's channel", () => {
  let pool: MediaWorkerPool;

  before(async () => {
    pool = await startTestPool(1, 45500, 45999);
  });
  after(() => pool.close());

  test('reaches only whom it is for; follows the appointment; silent from the lobby; recorded as its own track', async () => {
    const room = await HearingMediaRoom.create('h-int', pool.nextWorker(), TRANSPORT);
    try {
      room.addPeer(hall('judge', 'presiding_judge'), 'live');
      room.addPeer(hall('prosecutor', 'prosecutor'), 'live');
      room.addPeer(remote('witness'), 'live');
      room.addPeer(remote('victim'), 'live');
      room.addPeer(remote('interpreter'), 'live');
      for (const peerId of room.peerIds()) room.setRtpCapabilities(peerId, room.router.rtpCapabilities);

      const send = await room.createTransport('interpreter');
      await room.produce('interpreter', { transportId: send.id, kind: 'audio', rtpParameters: opus(2001), label: 'microphone' });
      const channel = await room.produce('interpreter', { transportId: send.id, kind: 'audio', rtpParameters: opus(2002), label: 'interpretation', listeners: ['participant-witness'] });
      assert.deepEqual(channel.listeners, ['participant-witness']);
      await assert.rejects(
        room.produce('interpreter', { transportId: send.id, kind: 'video', rtpParameters: opus(2003), label: 'interpretation', listeners: [] }),
        (error: unknown) => error instanceof MediaError && error.code === 'invalid_request',
        'a channel is audio',
      );

      assert.deepEqual(visibleTo(room, 'witness'), ['microphone', 'interpretation'], 'the witness hears the hall voice and the channel');
      for (const other of ['judge', 'prosecutor', 'victim']) assert.deepEqual(visibleTo(room, other), ['microphone'], `${other} hears the interpreter only in the hall`);

      const witnessRecv = await room.createTransport('witness');
      const consumer = await room.consume('witness', { transportId: witnessRecv.id, producerId: channel.producerId });
      assert.equal(consumer.source.label, 'interpretation');
      const prosecutorRecv = await room.createTransport('prosecutor');
      await assert.rejects(
        room.consume('prosecutor', { transportId: prosecutorRecv.id, producerId: channel.producerId }),
        (error: unknown) => error instanceof MediaError && error.code === 'forbidden_action',
      );

      // The judge releases the interpreter: the witness's consumer of the channel closes.
      const closed: string[] = [];
      room.on('consumer-closed', (c) => closed.push(`${c.peerId}:${c.consumerId}`));
      room.setInterpretationListeners('interpreter', []);
      assert.deepEqual(closed, [`witness:${consumer.id}`]);
      assert.deepEqual(visibleTo(room, 'witness'), ['microphone']);
      room.setInterpretationListeners('interpreter', ['participant-victim']);
      assert.deepEqual(visibleTo(room, 'victim'), ['microphone', 'interpretation']);

      // Sent back to the lobby, the interpreter is heard by nobody, on either source, save the court's lobby view of the microphone.
      room.setStanding('interpreter', 'lobby');
      assert.deepEqual(visibleTo(room, 'victim'), []);
      assert.deepEqual(visibleTo(room, 'judge'), ['microphone']);
      room.setStanding('interpreter', 'live');

      // Recording: the channel is its own track, labelled as the interpreter's channel.
      const recorded = recordingSourcesOf(room).sources();
      const track = recorded.find((s) => s.producerId === channel.producerId);
      assert.ok(track, 'the channel is offered to recording');
      assert.equal(track.sourceId, recordingSourceId(channel));
      assert.equal(track.sourceId, 'participant-interpreter:audio:interpretation');
      assert.equal(track.who.role, 'interpretation');
      assert.equal(track.who.participantId, 'participant-interpreter');
      assert.notEqual(recorded.find((s) => s.who.role === 'remote_participant' && s.kind === 'audio')?.sourceId, track.sourceId, 'apart from the microphone');
    } finally {
      room.close();
    }
  });
});

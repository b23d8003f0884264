/**
 * A hearing's media rooms with an identity, against a real mediasoup worker: the hall (key = the
 * hearing id, recorded) and a private consultation (`<hearingId>/consultation/<id>`, its own
 * router, never recorded). A source published in the consultation is nowhere in the hall: not in
 * its sources, not in what recording is offered; closing the consultation leaves the hall as it was.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mediaRoomKey, type HearingMediaRoom } from './hearing-media-room.ts';
import { MediaRooms } from './media-rooms.ts';
import { recordingSourcesOf } from './room-recording-sources.ts';
import { LOOPBACK_UDP_TRANSPORT, opus, quietLog, startTestPool } from './testing-room.ts';
import type { MediaWorkerPool } from './worker-pool.ts';

const TRANSPORT = LOOPBACK_UDP_TRANSPORT;

describe('media rooms: the hall and private consultations', () => {
  let pool: MediaWorkerPool;

  before(async () => {
    pool = await startTestPool(1, 47000, 47499);
  });
  after(() => pool.close());

  test('a consultation is a room of its own, never recorded, and nothing of it reaches the hall', async () => {
    const rooms = new MediaRooms({ pool, transport: TRANSPORT, log: quietLog });
    const created: HearingMediaRoom[] = [];
    rooms.onRoomCreated((room) => created.push(room));

    const hall = await rooms.get('h1');
    const consultation = await rooms.get('h1', 'c1');
    assert.equal(await rooms.get('h1', 'c1'), consultation, 'one room per consultation');
    assert.notEqual(hall.router.id, consultation.router.id, 'its own router');
    assert.deepEqual([hall.kind, hall.recorded, hall.key], ['hall', true, 'h1']);
    assert.deepEqual([consultation.kind, consultation.recorded, consultation.key, consultation.hearingId], ['consultation', false, mediaRoomKey('h1', 'c1'), 'h1']);
    assert.deepEqual(
      created.map((r) => [r.key, r.recorded]),
      [
        ['h1', true],
        ['h1/consultation/c1', false],
      ],
      'whoever follows new rooms (recording) can tell them apart',
    );
    assert.equal(rooms.find('h1'), hall);
    assert.deepEqual(rooms.consultationsOf('h1'), [consultation]);

    // The lawyer speaks in the consultation; the hall (and what recording is offered of it) has none of it.
    const recordable = recordingSourcesOf(hall);
    const offered: string[] = [];
    recordable.on('source-added', (s) => offered.push(s.producerId));
    consultation.addPeer({ peerId: 'lawyer', kind: 'hall', userId: 'u-defender', participantId: 'p-defender', role: 'defender', fullName: 'Адвокат' }, 'live');
    consultation.addPeer({ peerId: 'client', kind: 'remote', userId: null, participantId: 'p-defendant', role: 'remote_participant', fullName: 'Подсудимый' }, 'live');
    const send = await consultation.createTransport('lawyer');
    const spoken = await consultation.produce('lawyer', { transportId: send.id, kind: 'audio', rtpParameters: opus(5151), label: 'microphone' });
    assert.deepEqual(
      consultation.sourcesFor('client').map((s) => s.producerId),
      [spoken.producerId],
    );
    assert.deepEqual(hall.sources(), []);
    assert.deepEqual(recordable.sources(), []);
    assert.deepEqual(offered, []);
    assert.equal(hall.router.canConsume({ producerId: spoken.producerId, rtpCapabilities: hall.router.rtpCapabilities }), false, "the hall's router does not know the producer");

    // The consultation closes; the hall stays.
    rooms.close('h1', 'c1');
    assert.equal(consultation.closed, true);
    assert.equal(rooms.find('h1', 'c1'), undefined);
    assert.equal(rooms.find('h1'), hall);
    assert.equal(hall.closed, false);
    assert.deepEqual(rooms.consultationsOf('h1'), []);
    rooms.closeAll();
  });
});

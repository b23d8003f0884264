/**
 * Private consultations against the real server (SQLite, HTTP, socket.io, one mediasoup worker):
 * the defender opens one with the defendant before the opening (at once) and while the court sits
 * (asked, then granted by the presiding judge); its media room admits its two members only —
 * the judge and the prosecutor are refused, as is a consultation not under way — and is a room of
 * its own, never recorded; the remote defendant's "Back to the hall" closes it and its room, and the
 * members' connections hear `media:reset`; the end of the hearing closes any still open. Each
 * step is an event of the hearing's log carrying who and when, nothing said.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { io as connect, type Socket } from 'socket.io-client';
import { closeAll, dataOf, demoHearing, inStep, until, workstation, type DemoHearing, type Workstation } from '../helpers/hall.ts';
import { ApiClient, startTestServer, type TestServer } from '../helpers/server.ts';
import { opus } from '../../media/src/testing-room.ts';

type Answer<T = any> = { data: T } | { error: { code: string; message: string } };

function request<T = any>(socket: Socket, event: string, payload: unknown = {}): Promise<Answer<T>> {
  return socket.timeout(20_000).emitWithAck(event, payload);
}

const errorCode = (answer: Answer): string | undefined => ('error' in answer ? answer.error.code : undefined);

async function connected(socket: Socket): Promise<Socket> {
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

describe('private consultations: rules, a room of its own for its members only', () => {
  let server: TestServer;
  let demo: DemoHearing;
  let judge: Workstation;
  let defender: Workstation;
  let prosecutor: Workstation;
  const sockets: Socket[] = [];
  /** A second connection of a logged-in user (the workstation's consultation media). */
  const mediaSocketOf = async (who: Workstation) => {
    const socket = await connected(connect(server.url, { transports: ['websocket'], extraHeaders: { cookie: who.api.cookieHeader }, reconnection: false, forceNew: true }));
    sockets.push(socket);
    return socket;
  };
  const consultationOfDefendant = () => Object.values(judge.follower.replica.state?.consultations ?? {}).find((c) => c.members.some((m) => m.participantId === demo.participants.defendant));

  before(async () => {
    server = await startTestServer({ MEDIA_WORKERS: '1', MEDIA_RTC_MIN_PORT: '46000', MEDIA_RTC_MAX_PORT: '46999', MEDIA_LISTEN_IP: '127.0.0.1' });
    demo = await demoHearing(server.db);
    judge = await workstation(server.url, 'judge', demo.hearingId);
    defender = await workstation(server.url, 'defender', demo.hearingId);
    prosecutor = await workstation(server.url, 'prosecutor', demo.hearingId);
    await Promise.all([inStep(judge), inStep(defender), inStep(prosecutor)]);
  });

  after(async () => {
    for (const s of sockets) s.disconnect();
    closeAll([judge, defender, prosecutor].filter(Boolean));
    await server?.close();
  });

  test('before the opening the defender consults with the remote defendant (in the lobby); only the two get into its room', async () => {
    const secretary = new ApiClient(server.url);
    await secretary.login('secretary');
    const invited = await secretary.post(`/api/hearings/${demo.hearingId}/invitations`, { participantId: demo.participants.defendant });
    assert.equal(invited.status, 201, JSON.stringify(invited.body));
    const phoneApi = new ApiClient(server.url);
    assert.equal((await phoneApi.post('/api/join', { token: invited.body.invitation.link.split('/join/')[1] })).status, 200);
    const phone = await connected(connect(server.url + '/remote', { transports: ['websocket'], extraHeaders: { cookie: phoneApi.cookieHeader }, reconnection: false, forceNew: true }));
    sockets.push(phone);
    dataOf(await request(phone, 'remote:arrive'));

    // The prosecutor is no defence lawyer; the defendant does not open one with their lawyer.
    assert.equal(errorCode(await prosecutor.follower.send('consultation:open', { participantId: demo.participants.defendant })), 'forbidden_action');
    assert.equal(errorCode(await request(phone, 'remote:consultation-open', { participantId: demo.participants.defender })), 'forbidden_action');
    assert.equal(errorCode(await defender.follower.send('consultation:open', { participantId: demo.participants.witness })), 'forbidden_action', 'a witness is not the defender’s client');

    dataOf(await defender.follower.send('consultation:open', { participantId: demo.participants.defendant }));
    await until(() => consultationOfDefendant()?.status === 'open');
    const consultation = consultationOfDefendant()!;
    const standing = dataOf(await request(phone, 'remote:hello'));
    assert.equal(standing.consultation?.id, consultation.id, "the phone's standing names the consultation");

    const join = { hearingId: demo.hearingId, consultationId: consultation.id };
    // The judge and the prosecutor are no members; another id is no consultation.
    assert.equal(errorCode(await request(await mediaSocketOf(judge), 'media:join', join)), 'forbidden');
    assert.equal(errorCode(await request(await mediaSocketOf(prosecutor), 'media:join', join)), 'forbidden');
    assert.equal(errorCode(await request(await mediaSocketOf(defender), 'media:join', { ...join, consultationId: 'no-such' })), 'not_found');

    // The members: the defender's second connection, and the defendant's phone though still in the lobby.
    const lawyerMedia = await mediaSocketOf(defender);
    const joined = dataOf(await request(lawyerMedia, 'media:join', join));
    assert.equal(joined.standing, 'live');
    const phoneMedia = await connected(connect(server.url + '/remote', { transports: ['websocket'], extraHeaders: { cookie: phoneApi.cookieHeader }, reconnection: false, forceNew: true }));
    sockets.push(phoneMedia);
    assert.equal(dataOf(await request(phoneMedia, 'media:join', join)).standing, 'live');
    dataOf(await request(phoneMedia, 'media:create-transport', { hearingId: demo.hearingId }));
    dataOf(await request(phoneMedia, 'media:create-transport', { hearingId: demo.hearingId }));

    const room = server.app.mediaRooms!.find(demo.hearingId, consultation.id)!;
    assert.equal(room.kind, 'consultation');
    assert.equal(room.recorded, false);
    assert.equal(room.key, `${demo.hearingId}/consultation/${consultation.id}`);
    assert.equal(room.counts().peers, 2);
    // The hall's own room is another router, with neither of them in it.
    const hall = await server.app.mediaRooms!.get(demo.hearingId);
    assert.notEqual(hall.router.id, room.router.id);
    assert.equal(hall.recorded, true);

    // "Back to the hall" on the phone: closed for both, the room and everything in it gone.
    const reset = new Promise<{ reason: string }>((resolve) => lawyerMedia.once('media:reset', resolve));
    const back = dataOf(await request(phone, 'remote:consultation-close'));
    assert.equal(back.consultation, null);
    assert.equal((await reset).reason, 'closed');
    await until(() => server.app.mediaRooms!.find(demo.hearingId, consultation.id) === undefined);
    assert.equal(errorCode(await request(lawyerMedia, 'media:create-transport', { hearingId: demo.hearingId })), 'not_joined');
    await until(() => consultationOfDefendant() === undefined);

    const log = await judge.follower.history({ types: ['consultation.opened', 'consultation.closed'] });
    const events = dataOf(log).events;
    assert.deepEqual(
      events.map((e) => e.type),
      ['consultation.opened', 'consultation.closed'],
    );
    assert.deepEqual(events[1]!.payload, { id: consultation.id, reason: 'returned' });
    assert.deepEqual(Object.keys(events[0]!.payload).sort(), ['granted', 'id', 'members']);
  });

  test("a defender on the phone: the standing lists their client by name (a witness's lists nobody); the phone's command opens it", async () => {
    const secretary = new ApiClient(server.url);
    await secretary.login('secretary');
    const phoneOf = async (participantId: string) => {
      const invited = await secretary.post(`/api/hearings/${demo.hearingId}/invitations`, { participantId });
      assert.equal(invited.status, 201, JSON.stringify(invited.body));
      const api = new ApiClient(server.url);
      assert.equal((await api.post('/api/join', { token: invited.body.invitation.link.split('/join/')[1] })).status, 200);
      const socket = await connected(connect(server.url + '/remote', { transports: ['websocket'], extraHeaders: { cookie: api.cookieHeader }, reconnection: false, forceNew: true }));
      sockets.push(socket);
      return socket;
    };

    const witness = await phoneOf(demo.participants.witness);
    assert.deepEqual(dataOf(await request(witness, 'remote:hello')).mayConsultWith, [], 'a witness consults with nobody');
    assert.equal(errorCode(await request(witness, 'remote:consultation-open', { participantId: demo.participants.defendant })), 'forbidden_action');

    const lawyer = await phoneOf(demo.participants.defender);
    const standing = dataOf(await request(lawyer, 'remote:arrive'));
    assert.deepEqual(
      standing.mayConsultWith.map((c: { participantId: string; role: string }) => [c.participantId, c.role]),
      [[demo.participants.defendant, 'defendant']],
    );

    const opened = dataOf(await request(lawyer, 'remote:consultation-open', { participantId: demo.participants.defendant }));
    assert.equal(opened.consultation?.status, 'open', 'before the opening it opens at once');
    assert.deepEqual(opened.consultation?.members.map((m: { participantId: string }) => m.participantId).sort(), [demo.participants.defender, demo.participants.defendant].sort());
    await until(() => consultationOfDefendant()?.status === 'open');
    const defendant = opened.consultation.members.find((m: { participantId: string }) => m.participantId === demo.participants.defendant);
    assert.ok(defendant.fullName.length > 0);
    assert.equal(standing.mayConsultWith[0].fullName, defendant.fullName, 'listed by name');

    // A hall microphone published during the consultation (a reload, say) starts held paused; it is let go on the return.
    const yous: ({ inConsultation?: boolean } | null)[] = [];
    lawyer.on('media:you', (you) => yous.push(you));
    dataOf(await request(lawyer, 'media:join', { hearingId: demo.hearingId }));
    const send = dataOf(await request(lawyer, 'media:create-transport', { hearingId: demo.hearingId }));
    const { producerId } = dataOf(await request(lawyer, 'media:produce', { hearingId: demo.hearingId, transportId: send.id, kind: 'audio', rtpParameters: opus(5555), label: 'microphone' }));
    const hall = server.app.mediaRooms!.find(demo.hearingId)!;
    const mic = () => hall.sources().find((s) => s.producerId === producerId);
    assert.equal(mic()?.inConsultation, true);
    await until(() => yous.at(-1)?.inConsultation === true);
    assert.equal(dataOf(await request(lawyer, 'remote:consultation-close')).consultation, null);
    await until(() => consultationOfDefendant() === undefined);
    await until(() => mic()?.inConsultation === false);
    assert.equal(mic()?.paused, false);
    await until(() => yous.at(-1) !== undefined && yous.at(-1)?.inConsultation === undefined);
  });

  test('while the court sits the defender asks, nobody may join until the presiding judge grants; the end of the hearing closes it', async () => {
    dataOf(await judge.follower.send('hearing:open', {}));
    dataOf(await defender.follower.send('consultation:open', { participantId: demo.participants.defendant }));
    await until(() => consultationOfDefendant()?.status === 'requested');
    const { id } = consultationOfDefendant()!;
    const lawyerMedia = await mediaSocketOf(defender);
    assert.equal(errorCode(await request(lawyerMedia, 'media:join', { hearingId: demo.hearingId, consultationId: id })), 'not_found', 'not granted yet');
    assert.equal(errorCode(await defender.follower.send('consultation:grant', { consultationId: id })), 'forbidden_action');
    dataOf(await judge.follower.send('consultation:grant', { consultationId: id }));
    await until(() => consultationOfDefendant()?.status === 'open');
    dataOf(await request(lawyerMedia, 'media:join', { hearingId: demo.hearingId, consultationId: id }));
    assert.ok(server.app.mediaRooms!.find(demo.hearingId, id));

    dataOf(await judge.follower.send('hearing:adjourn', { reason: 'Неявка свидетеля' }));
    await until(() => server.app.mediaRooms!.find(demo.hearingId, id) === undefined);
    await until(() => consultationOfDefendant() === undefined);
    const closed = dataOf(await judge.follower.history({ types: ['consultation.closed'] })).events.at(-1)!;
    assert.deepEqual(closed.payload, { id, reason: 'hearing_ended' });
    assert.equal(closed.actor.role, 'system');
  });
});

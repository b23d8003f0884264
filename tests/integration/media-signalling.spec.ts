/**
 * Remote participation and media signalling against the real server (SQLite, HTTP, socket.io,
 * one mediasoup worker): invitation links work once and expire, a participant session is bound to
 * its hearing, only a participant in the lobby or admitted gets media, a participant in the lobby
 * receives nothing, the court admits, refuses and mutes, and the media of a hearing closes with it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { io as connect, type Socket } from 'socket.io-client';
import { demoHearing, type DemoHearing, workstation, inStep, closeAll, dataOf, seedCaseFile, until, type Workstation } from '../helpers/hall.ts';
import { ApiClient, startTestServer, type TestServer } from '../helpers/server.ts';
import { sqlOf } from '../helpers/sql.ts';
import { SmsGateway } from '../helpers/sms-gateway.ts';

type Answer<T = any> = { data: T } | { error: { code: string; message: string } };

function request<T = any>(socket: Socket, event: string, payload: unknown = {}): Promise<Answer<T>> {
  return socket.timeout(20_000).emitWithAck(event, payload);
}

function errorCode(answer: Answer): string | undefined {
  return 'error' in answer ? answer.error.code : undefined;
}

/** A remote participant's page: the API client holding the participant cookie, and its /remote socket. */
async function remotePage(url: string, token: string): Promise<{ api: ApiClient; socket: Socket; standing: any }> {
  const api = new ApiClient(url);
  const joined = await api.post('/api/join', { token });
  assert.equal(joined.status, 200, JSON.stringify(joined.body));
  const socket = connect(url + '/remote', { transports: ['websocket'], extraHeaders: { cookie: api.cookieHeader }, reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return { api, socket, standing: joined.body.standing };
}

describe('remote participation: invitations, lobby, admission, media signalling', () => {
  let server: TestServer;
  let sms: SmsGateway;
  let demo: DemoHearing;
  let judge: Workstation;
  let secretary: ApiClient;
  const sockets: Socket[] = [];

  before(async () => {
    sms = await new SmsGateway().listen();
    server = await startTestServer({ MEDIA_WORKERS: '1', MEDIA_RTC_MIN_PORT: '42000', MEDIA_RTC_MAX_PORT: '42999', MEDIA_LISTEN_IP: '127.0.0.1', SMS_GATEWAY_URL: sms.url });
    demo = await demoHearing(server.db);
    secretary = new ApiClient(server.url);
    await secretary.login('secretary');
    judge = await workstation(server.url, 'judge', demo.hearingId);
    await inStep(judge);
  });

  // Whatever \`before\` got to: a server that never started must not keep the SMS gateway (and the test process) alive.
  after(async () => {
    for (const s of sockets) s.disconnect();
    if (judge) closeAll([judge]);
    await server?.close();
    await sms?.close();
  });

  async function invite(participantId: string): Promise<string> {
    const answer = await secretary.post(`/api/hearings/${demo.hearingId}/invitations`, { participantId });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    return answer.body.invitation.link as string;
  }

  test('the witness gets a one-time link by SMS; a second use and an unknown link are refused', async () => {
    const link = await invite(demo.participants.witness);
    const [message] = await sms.messagesTo('+77017654321');
    assert.ok(message.body.text.includes(link), 'the SMS carries the link');
    const token = link.split('/join/')[1];
    const page = await remotePage(server.url, token);
    sockets.push(page.socket);
    assert.equal(page.standing.participant.id, demo.participants.witness);
    assert.equal(page.standing.status, 'invited');

    const again = await new ApiClient(server.url).post('/api/join', { token });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'invitation_used');
    const unknown = await new ApiClient(server.url).post('/api/join', { token: 'x'.repeat(43) });
    assert.equal(unknown.body.error.code, 'invitation_invalid');
    page.socket.disconnect();
  });

  test('an expired link is refused', async () => {
    const link = await invite(demo.participants.victim);
    await sqlOf(server).run('update remote_invitations set expires_at = ? where participant_id = ? and used_at is null', new Date(Date.now() - 1000), demo.participants.victim);
    const answer = await new ApiClient(server.url).post('/api/join', { token: link.split('/join/')[1] });
    assert.equal(answer.status, 410);
    assert.equal(answer.body.error.code, 'invitation_expired');
  });

  test('without a participant session the /remote namespace refuses the connection', async () => {
    const socket = connect(server.url + '/remote', { transports: ['websocket'], reconnection: false, forceNew: true });
    const error = await new Promise<Error>((resolve) => socket.once('connect_error', resolve));
    assert.equal(error.message, 'unauthenticated');
    socket.disconnect();
  });

  test('media only after arriving in the lobby; in the lobby one sending transport and nothing to receive; admitted, everything', async () => {
    const token = (await invite(demo.participants.witness)).split('/join/')[1];
    const { socket, api } = await remotePage(server.url, token);
    sockets.push(socket);
    const file = await seedCaseFile(server.db, demo.caseId);
    dataOf(await judge.follower.send('hearing:open', {}));
    dataOf(await judge.follower.send('floor:give', { to: { kind: 'judge' } }));
    dataOf(await judge.follower.send('presenter:show', { documentId: file.protocol, page: 1, zoom: 1 }));
    assert.equal((await api.get(`/api/join/shown/${file.protocol}`)).body.error?.code, 'not_admitted', 'the shown page is for admitted participants');

    assert.equal(errorCode(await request(socket, 'media:join', { hearingId: demo.hearingId })), 'not_admitted', 'not in the lobby yet');
    const arrived = dataOf(await request(socket, 'remote:arrive'));
    assert.equal(arrived.status, 'lobby');
    await until(() => judge.follower.replica.state?.remote?.[demo.participants.witness]?.status === 'lobby');

    assert.equal(errorCode(await request(socket, 'media:join', { hearingId: demo.participants.witness })), 'forbidden', 'another hearing');
    const joined = dataOf(await request(socket, 'media:join', { hearingId: demo.hearingId }));
    assert.equal(joined.standing, 'lobby');
    assert.ok(joined.routerRtpCapabilities.codecs.some((c: { mimeType: string }) => c.mimeType === 'video/VP8'));
    dataOf(await request(socket, 'media:create-transport', { hearingId: demo.hearingId }));
    assert.equal(errorCode(await request(socket, 'media:create-transport', { hearingId: demo.hearingId })), 'forbidden_action', 'a second transport to receive on, from the lobby');

    // The judge's workstation publishes nothing here but joins the media too.
    const judgeMedia = dataOf(await request(judge.socket as unknown as Socket, 'media:join', { hearingId: demo.hearingId }));
    assert.equal(judgeMedia.standing, 'live');
    const health = await new ApiClient(server.url).get('/api/health');
    assert.equal(health.body.media.workers.length, 1);
    assert.equal(health.body.media.rooms, 1, 'one hearing has a media room');

    const standings: any[] = [];
    socket.on('remote:standing', (s) => standings.push(s));
    dataOf(await request(judge.socket as unknown as Socket, 'remote:admit', { hearingId: demo.hearingId, participantId: demo.participants.witness }));
    await until(() => standings.some((s) => s.status === 'live'));
    await until(() => judge.follower.replica.state?.remote?.[demo.participants.witness]?.status === 'live');
    dataOf(await request(socket, 'media:create-transport', { hearingId: demo.hearingId }));
    const shown = await api.get(`/api/join/shown/${file.protocol}`);
    assert.equal(shown.status, 200);
    const notShown = await api.get(`/api/join/shown/${file.indictment}`);
    assert.equal(notShown.status, 403, 'only the document on screen');

    // Muted by the court: the participant's page hears of it.
    dataOf(await request(judge.socket as unknown as Socket, 'media:mute', { hearingId: demo.hearingId, target: { participantId: demo.participants.witness }, fullName: 'Петров', muted: true }));
    await until(() => standings.some((s) => s.mutedByCourt === true));
    dataOf(await request(judge.socket as unknown as Socket, 'media:leave', { hearingId: demo.hearingId }));
    socket.disconnect();
  });

  test('a refused participant loses the session and is disconnected', async () => {
    const token = (await invite(demo.participants.defendant)).split('/join/')[1];
    const { api, socket } = await remotePage(server.url, token);
    dataOf(await request(socket, 'remote:arrive'));
    const disconnected = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
    dataOf(await request(judge.socket as unknown as Socket, 'remote:refuse', { hearingId: demo.hearingId, participantId: demo.participants.defendant }));
    await disconnected;
    const session = await api.get('/api/join/session');
    assert.equal(session.status, 401);
  });

  test('signalling is rate limited per connection', async () => {
    const token = (await invite(demo.participants.victim)).split('/join/')[1];
    const { socket } = await remotePage(server.url, token);
    sockets.push(socket);
    const answers = await Promise.all(Array.from({ length: 100 }, () => request(socket, 'media:leave', { hearingId: demo.hearingId })));
    assert.ok(
      answers.some((a) => errorCode(a) === 'rate_limited'),
      'some requests refused',
    );
    socket.disconnect();
  });
});

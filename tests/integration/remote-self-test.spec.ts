/**
 * The self-test's probe against the real server (HTTP, socket.io, one mediasoup worker), without a
 * browser: what a participant's connection may ask of it and what it is refused. The probe offers
 * a UDP and a TCP path (no TURN configured: no relay) with only those candidates; a path nobody
 * connected cannot be measured; the page cannot claim a path the server did not see connect — its
 * report comes back `fails` with UDP and TCP failed, recorded in the hearing's log and state;
 * payloads are checked; a closed probe answers no more. The browser half is
 * tests/e2e/remote-self-test.spec.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { io as connect, type Socket } from 'socket.io-client';
import { demoHearing, type DemoHearing } from '../helpers/hall.ts';
import { ApiClient, startTestServer, type TestServer } from '../helpers/server.ts';
import { sqlOf } from '../helpers/sql.ts';

type Answer<T = any> = { data: T } | { error: { code: string; message: string } };

function request<T = any>(socket: Socket, event: string, payload: unknown = {}): Promise<Answer<T>> {
  return socket.timeout(20_000).emitWithAck(event, payload);
}

const codeOf = (answer: Answer): string | undefined => ('error' in answer ? answer.error.code : undefined);
const dataOf = <T = any>(answer: Answer<T>): T => {
  if ('error' in answer) throw new Error(`${answer.error.code}: ${answer.error.message}`);
  return answer.data;
};

const DEVICES = { camera: 'pass', microphone: 'pass', echo: 'pass', speaker: 'pass', relayProtocol: 'tls' };

describe('the self-test probe over /remote', () => {
  let server: TestServer;
  let demo: DemoHearing;
  let socket: Socket;

  before(async () => {
    server = await startTestServer({ MEDIA_WORKERS: '1', MEDIA_RTC_MIN_PORT: '44600', MEDIA_RTC_MAX_PORT: '44699', MEDIA_LISTEN_IP: '127.0.0.1' });
    demo = await demoHearing(server.db);
    const secretary = new ApiClient(server.url);
    await secretary.login('secretary');
    const invited = await secretary.post(`/api/hearings/${demo.hearingId}/invitations`, { participantId: demo.participants.witness });
    assert.equal(invited.status, 201, JSON.stringify(invited.body));
    const phone = new ApiClient(server.url);
    const joined = await phone.post('/api/join', { token: invited.body.invitation.link.split('/join/')[1] });
    assert.equal(joined.status, 200, JSON.stringify(joined.body));
    socket = connect(server.url + '/remote', { transports: ['websocket'], extraHeaders: { cookie: phone.cookieHeader }, reconnection: false, forceNew: true });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
  });

  after(async () => {
    socket?.disconnect();
    await server?.close();
  });

  test('a report before any probe is refused', async () => {
    assert.equal(codeOf(await request(socket, 'selftest:report', DEVICES)), 'invalid_transition');
  });

  test('the probe offers a UDP path with UDP candidates only and a TCP path with TCP ones; no relay without TURN', async () => {
    const opened = dataOf(await request(socket, 'selftest:open'));
    assert.deepEqual(Object.keys(opened.paths).sort(), ['tcp', 'udp']);
    assert.deepEqual(opened.iceServers, []);
    assert.ok(opened.paths.udp.iceCandidates.length > 0 && opened.paths.udp.iceCandidates.every((c: { protocol: string }) => c.protocol === 'udp'));
    assert.ok(opened.paths.tcp.iceCandidates.length > 0 && opened.paths.tcp.iceCandidates.every((c: { protocol: string }) => c.protocol === 'tcp'));
    assert.ok(opened.paths.udp.sctpParameters, 'a data channel for the upload');
    assert.ok(opened.routerRtpCapabilities.codecs.length > 0);
  });

  test('payloads are checked; a path not offered and a path not connected are refused', async () => {
    assert.equal(codeOf(await request(socket, 'selftest:measure', { path: 'wifi', ms: 3000 })), 'invalid_request');
    assert.equal(codeOf(await request(socket, 'selftest:measure', { path: 'udp', ms: 60_000 })), 'invalid_request');
    assert.equal(codeOf(await request(socket, 'selftest:connect', { path: 'relay', dtlsParameters: { role: 'client', fingerprints: [] } })), 'not_found');
    assert.equal(codeOf(await request(socket, 'selftest:measure', { path: 'udp', ms: 1000 })), 'invalid_request');
    const states = dataOf(await request(socket, 'selftest:paths'));
    assert.deepEqual(states, { udp: { connected: false, protocol: null }, tcp: { connected: false, protocol: null } });
  });

  test('the page cannot claim a path the server did not see connected: the report is recorded as it measured', async () => {
    const result = dataOf(await request(socket, 'selftest:report', DEVICES));
    assert.equal(result.verdict, 'fails');
    assert.deepEqual(result.checks, { ...DEVICES, udp: 'fail', tcp: 'fail', relay: 'not_offered', relayProtocol: null, uploadKbps: null });
    const row = await sqlOf(server).one<{ payload: string; actor_role: string }>("select payload, actor_role from hearing_events where hearing_id = ? and type = 'remote.self_tested'", demo.hearingId);
    assert.ok(row);
    assert.equal(JSON.parse(row.payload).participantId, demo.participants.witness);
    assert.equal(JSON.parse(row.payload).verdict, 'fails');
  });

  test('a closed probe answers no more', async () => {
    dataOf(await request(socket, 'selftest:close'));
    assert.equal(codeOf(await request(socket, 'selftest:paths')), 'invalid_transition');
    assert.equal(codeOf(await request(socket, 'selftest:connect', { path: 'udp', dtlsParameters: { role: 'client', fingerprints: [] } })), 'invalid_transition');
  });
});

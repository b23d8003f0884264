import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { io as connect, type Socket } from 'socket.io-client';
import { ApiClient, startTestServer, type TestServer } from '../helpers/server.ts';
import { sqlOf } from '../helpers/sql.ts';

type AuditRow = { actor: string; action: string; outcome: string; case_id: string | null };

describe('who may see a case', () => {
  let server: TestServer;
  let caseId: string;
  let hearingId: string;
  const sockets: Socket[] = [];

  before(async () => {
    server = await startTestServer();
    const judge = new ApiClient(server.url);
    await judge.login('judge');
    const { body } = await judge.get('/api/hearings');
    assert.equal(body.hearings.length, 1, 'the demo judge has one scheduled hearing');
    caseId = body.hearings[0].caseId;
    hearingId = body.hearings[0].id;
  });
  after(async () => {
    for (const socket of sockets) socket.disconnect();
    await server.close();
  });

  const audits = (actor: string) => sqlOf(server).all<AuditRow>('select actor, action, outcome, case_id from audit_log where actor = ? order by id', actor);

  test('the assigned judge, secretary and the parties see the case; the court office and chair too', async () => {
    for (const username of ['judge', 'secretary', 'prosecutor', 'defender', 'office', 'chair']) {
      const client = new ApiClient(server.url);
      await client.login(username);
      const list = await client.get('/api/cases');
      assert.deepEqual(
        list.body.cases.map((c: { id: string }) => c.id),
        [caseId],
        `${username} lists the case`,
      );
      const one = await client.get(`/api/cases/${caseId}`);
      assert.equal(one.status, 200, `${username} opens the case`);
      assert.equal(one.body.case.caseNumber, '7511-26-00-1/245');
    }
  });

  test('the case shows its participants, staff and hearing', async () => {
    const client = new ApiClient(server.url);
    await client.login('defender');
    const { body } = await client.get(`/api/cases/${caseId}`);
    assert.deepEqual(body.case.participants.map((p: { role: string }) => p.role).sort(), ['defendant', 'defender', 'prosecutor', 'victim', 'witness']);
    assert.deepEqual(body.case.myRelations, [{ kind: 'participant', role: 'defender', participantId: body.case.participants.find((p: { role: string }) => p.role === 'defender').id }]);
    assert.equal(body.case.hearings[0].id, hearingId);
    assert.equal(body.case.hearings[0].hall.name.kk, '№ 1 сот отырысы залы');
  });

  test('another judge is refused the case with 403, and the refusal is audited', async () => {
    const judge2 = new ApiClient(server.url);
    await judge2.login('judge2');
    assert.deepEqual((await judge2.get('/api/cases')).body.cases, [], 'judge2 has no cases');
    assert.deepEqual((await judge2.get('/api/hearings')).body.hearings, [], 'nor hearings');

    const refused = await judge2.get(`/api/cases/${caseId}`);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'forbidden');
    assert.equal(JSON.stringify(refused.body).includes('Иванов'), false, 'nothing of the case leaks');
    assert.deepEqual(
      (await audits('judge2')).filter((a) => a.outcome === 'denied'),
      [{ actor: 'judge2', action: 'case.read', outcome: 'denied', case_id: caseId }],
    );
  });

  test('the administrator manages the system but reads no case', async () => {
    const admin = new ApiClient(server.url);
    await admin.login('admin');
    assert.equal((await admin.get(`/api/cases/${caseId}`)).status, 403);
  });

  test('an unknown case is a 404', async () => {
    const judge = new ApiClient(server.url);
    await judge.login('judge');
    const response = await judge.get('/api/cases/00000000-0000-0000-0000-000000000000');
    assert.equal(response.status, 404);
    assert.equal(response.body.error.code, 'not_found');
  });

  test('the audit log cannot be changed or emptied', async () => {
    await assert.rejects(sqlOf(server).run("update audit_log set outcome = 'allowed'"), /append-only/);
    await assert.rejects(sqlOf(server).run('delete from audit_log'), /append-only/);
  });

  const socketFor = async (client: ApiClient | undefined): Promise<Socket> => {
    const socket = connect(server.url, {
      transports: ['websocket'],
      extraHeaders: client ? { cookie: client.cookieHeader } : {},
      reconnection: false,
    });
    sockets.push(socket);
    return socket;
  };
  const connected = (socket: Socket) =>
    new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });

  test('a socket without a session is refused', async () => {
    const socket = await socketFor(undefined);
    await assert.rejects(connected(socket), /unauthenticated/);
  });

  test('over socket.io, the judge joins the hearing and judge2 is refused', async () => {
    const judge = new ApiClient(server.url);
    await judge.login('judge');
    const judgeSocket = await socketFor(judge);
    await connected(judgeSocket);
    const joined = await judgeSocket.emitWithAck('hearing:join', { hearingId });
    assert.equal(joined.data.kind, 'snapshot');
    const { snapshot } = joined.data;
    assert.deepEqual([snapshot.hearing.id, snapshot.hearing.caseId, snapshot.state.status, snapshot.state.stage, snapshot.state.version], [hearingId, caseId, 'scheduled', null, 0]);
    assert.equal(snapshot.you.role, 'presiding_judge');

    const judge2 = new ApiClient(server.url);
    await judge2.login('judge2');
    const otherSocket = await socketFor(judge2);
    await connected(otherSocket);
    const refused = await otherSocket.emitWithAck('hearing:join', { hearingId });
    assert.equal(refused.error.code, 'forbidden');
    assert.ok((await audits('judge2')).some((a) => a.action === 'hearing.join' && a.outcome === 'denied' && a.case_id === caseId));

    const malformed = await otherSocket.emitWithAck('hearing:join', { hearingId: 42 });
    assert.equal(malformed.error.code, 'invalid_request');
  });

  test('logging out disconnects the sockets of that session', async () => {
    const client = new ApiClient(server.url);
    await client.login('secretary');
    const socket = await socketFor(client);
    await connected(socket);
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    await client.post('/api/auth/logout');
    assert.equal(await disconnected, 'io server disconnect');
  });
});

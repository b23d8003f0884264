/**
 * Remote participants as the court sees them, against the real server (SQLite, HTTP, socket.io):
 * a participant whose page goes (closed, network lost) is recorded as disconnected after the grace
 * period unless it comes back in time, and may then be invited again and admitted with the new
 * link; a server restarted while someone was in the hearing by video records them gone; being
 * admitted over video is appearing by video — in the attendance and among those who appeared in
 * the protocol — and losing the connection later does not undo it.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { io as connect, type Socket } from 'socket.io-client';
import { loadConfig } from '../../server/src/config.ts';
import type { HearingEvent } from '../../server/src/shared/hearing/state.ts';
import { startServer, type RunningServer } from '../../server/src/server.ts';
import { closeAll, dataOf, demoHearing, inStep, until, workstation, type DemoHearing, type Workstation } from '../helpers/hall.ts';
import { ApiClient, startTestServer, type TestServer } from '../helpers/server.ts';

type Answer<T = any> = { data: T } | { error: { code: string; message: string } };

/** A participant's page: the API client holding the participant cookie, and its /remote socket. */
type RemotePage = { api: ApiClient; socket: Socket };

async function openLink(url: string, link: string): Promise<RemotePage> {
  const api = new ApiClient(url);
  const joined = await api.post('/api/join', { token: link.split('/join/')[1] });
  assert.equal(joined.status, 200, JSON.stringify(joined.body));
  return { api, socket: await connectPage(url, api) };
}

/** Another connection of the same page (a reload, the network back): the cookie, no new link. */
async function connectPage(url: string, api: ApiClient): Promise<Socket> {
  const socket = connect(url + '/remote', { transports: ['websocket'], extraHeaders: { cookie: api.cookieHeader }, reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

function arrive(socket: Socket): Promise<Answer> {
  return socket.timeout(20_000).emitWithAck('remote:arrive', {});
}

const statusOf = (station: Workstation, participantId: string) => station.follower.replica.state?.remote?.[participantId]?.status;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a remote participant whose page goes', () => {
  const GRACE_SECONDS = 1;
  let server: TestServer;
  let demo: DemoHearing;
  let judge: Workstation;
  let secretary: ApiClient;
  const sockets: Socket[] = [];

  before(async () => {
    server = await startTestServer({ REMOTE_DISCONNECT_GRACE_SECONDS: String(GRACE_SECONDS) });
    demo = await demoHearing(server.db);
    secretary = new ApiClient(server.url);
    await secretary.login('secretary');
    judge = await workstation(server.url, 'judge', demo.hearingId);
    await inStep(judge);
    dataOf(await judge.follower.send('hearing:open', {}));
  });

  after(async () => {
    for (const s of sockets) s.disconnect();
    closeAll([judge]);
    await server.close();
  });

  const invite = (participantId: string) => secretary.post(`/api/hearings/${demo.hearingId}/invitations`, { participantId });

  async function admitted(participantId: string): Promise<RemotePage> {
    const invited = await invite(participantId);
    assert.equal(invited.status, 201, JSON.stringify(invited.body));
    const page = await openLink(server.url, invited.body.invitation.link);
    sockets.push(page.socket);
    assert.equal(dataOf(await arrive(page.socket)).status, 'lobby');
    await until(() => statusOf(judge, participantId) === 'lobby');
    dataOf(await judge.follower.send('remote:admit', { participantId }));
    await until(() => statusOf(judge, participantId) === 'live');
    return page;
  }

  test('the default grace period is the documented 20 seconds', () => {
    assert.equal(loadConfig({}).remote.disconnectGraceSeconds, 20);
  });

  test('back within the grace period (a reload, a network change): still in the hearing', async () => {
    const page = await admitted(demo.participants.victim);
    const versionBefore = judge.follower.replica.version!;
    page.socket.disconnect();
    await sleep(100);
    const again = await connectPage(server.url, page.api);
    sockets.push(again);
    assert.equal(dataOf(await arrive(again)).status, 'live', 'the page comes back straight into the hearing');
    await sleep(GRACE_SECONDS * 1000 + 1000);
    assert.equal(statusOf(judge, demo.participants.victim), 'live');
    assert.equal(judge.follower.replica.version, versionBefore, 'nothing was recorded');
    again.disconnect();
    await until(() => statusOf(judge, demo.participants.victim) === 'disconnected', GRACE_SECONDS * 1000 + 5000);
  });

  test('gone beyond the grace period: shown as disconnected, invited again, arrives with the new link and is admitted', async () => {
    const { witness } = demo.participants;
    const page = await admitted(witness);
    const live = await invite(witness);
    assert.equal(live.body.error?.code, 'invalid_transition', 'no new invitation while in the hearing');

    const gone = Date.now();
    page.socket.disconnect();
    await until(() => statusOf(judge, witness) === 'disconnected', GRACE_SECONDS * 1000 + 5000);
    assert.ok(Date.now() - gone >= GRACE_SECONDS * 1000 - 50, 'not before the grace period');
    const event = judge.follower.replica.events.at(-1) as HearingEvent;
    assert.equal(event.type, 'remote.disconnected');
    assert.deepEqual(event.payload, { participantId: witness, reason: 'connection_lost' });
    assert.equal(event.actor.role, 'system');
    assert.equal(judge.follower.replica.state!.attendance[witness], 'remote', 'having appeared by video stays recorded');

    const again = await invite(witness);
    assert.equal(again.status, 201, JSON.stringify(again.body));
    await until(() => statusOf(judge, witness) === 'invited');
    const second = await openLink(server.url, again.body.invitation.link);
    sockets.push(second.socket);
    assert.equal(dataOf(await arrive(second.socket)).status, 'lobby');
    await until(() => statusOf(judge, witness) === 'lobby');
    dataOf(await judge.follower.send('remote:admit', { participantId: witness }));
    await until(() => statusOf(judge, witness) === 'live');
  });

  test('admitted over video is appearing by video: the attendance says so, and the protocol lists them among those who appeared', async () => {
    const { defendant } = demo.participants;
    const page = await admitted(defendant);
    assert.equal(judge.follower.replica.state!.attendance[defendant], 'remote');
    page.socket.disconnect();
    await until(() => statusOf(judge, defendant) === 'disconnected', GRACE_SECONDS * 1000 + 5000);

    const answer = await secretary.get(`/api/hearings/${demo.hearingId}/protocol`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const { present, remote, entries } = answer.body.protocol as { present: string[]; remote: string[]; entries: { type: string; text: string }[] };
    assert.ok(present.includes('подсудимый Иванов Петр Сергеевич (по видеосвязи)'), JSON.stringify(present));
    assert.ok(present.includes('свидетель Петров Андрей Викторович (по видеосвязи)'), JSON.stringify(present));
    assert.ok(remote.includes('подсудимый Иванов Петр Сергеевич'), JSON.stringify(remote));
    const lost = entries.filter((e) => e.type === 'remote.disconnected').map((e) => e.text);
    assert.ok(lost.includes('подсудимый Иванов Петр Сергеевич: видеосвязь прервана (соединение потеряно)'), JSON.stringify(lost));
  });
});

describe('a server restarted while a participant is in the hearing by video', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-remote-restart-'));
  const config = loadConfig({ DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', MEDIA_WORKERS: '0', LOG_LEVEL: 'silent' });
  const start = () => startServer(config, pino({ level: 'silent' }));
  let server: RunningServer | undefined;
  const stations: Workstation[] = [];
  const sockets: Socket[] = [];

  after(async () => {
    for (const s of sockets) s.disconnect();
    closeAll(stations);
    await server?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('records them as gone at start; their page, back with its session, waits in the lobby again', async () => {
    server = await start();
    const demo = await demoHearing(server.db);
    const { defendant } = demo.participants;
    const judge = await workstation(server.url, 'judge', demo.hearingId);
    stations.push(judge);
    await inStep(judge);
    dataOf(await judge.follower.send('hearing:open', {}));
    const secretary = new ApiClient(server.url);
    await secretary.login('secretary');
    const invited = await secretary.post(`/api/hearings/${demo.hearingId}/invitations`, { participantId: defendant });
    const page = await openLink(server.url, invited.body.invitation.link);
    sockets.push(page.socket);
    dataOf(await arrive(page.socket));
    await until(() => statusOf(judge, defendant) === 'lobby');
    dataOf(await judge.follower.send('remote:admit', { participantId: defendant }));
    await until(() => statusOf(judge, defendant) === 'live');
    closeAll([judge]);
    await server.close();

    server = await start();
    const after = await workstation(server.url, 'judge', demo.hearingId);
    stations.push(after);
    await inStep(after);
    assert.equal(statusOf(after, defendant), 'disconnected');
    const event = after.follower.replica.events.at(-1) as HearingEvent;
    assert.equal(event.type, 'remote.disconnected');
    assert.deepEqual(event.payload, { participantId: defendant, reason: 'server_restarted' });
    assert.equal(after.follower.replica.state!.attendance[defendant], 'remote');

    const again = await connectPage(server.url, page.api);
    sockets.push(again);
    assert.equal(dataOf(await arrive(again)).status, 'lobby');
    await until(() => statusOf(after, defendant) === 'lobby');
  });
});

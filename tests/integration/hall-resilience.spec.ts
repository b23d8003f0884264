/**
 * The hall keeps going when the network or the server does not: a workstation that drops shows it,
 * refuses to act on a stale picture, and is back in step on reconnection without a reload; a lost
 * broadcast is noticed and filled in; a server killed mid-hearing comes back exactly as it was.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openSqliteDb } from '../../db/database.ts';
import { loadDemoData } from '../../db/demo.ts';
import type { HearingSync } from '../../server/src/shared/socket/events.ts';
import type { HearingEvent } from '../../server/src/shared/hearing/state.ts';
import { HearingFollower, type HearingSocket } from '../../server/src/shared/socket/hearing-follower.ts';
import { attach, closeAll, dataOf, demoHearing, inStep, seedCaseFile, until, workstation, type CaseFile, type DemoHearing, type Workstation } from '../helpers/hall.ts';
import { startMainProcess, type MainProcess } from '../helpers/main-process.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('a workstation that loses its connection', () => {
  let server: TestServer;
  let demo: DemoHearing;
  let file: CaseFile;
  let judge: Workstation, prosecutor: Workstation, defender: Workstation;
  const stations: Workstation[] = [];

  before(async () => {
    // 205 page turns back to back (a resync past 200 events): far beyond a person's pace that SOCKET_COMMAND_RATE is set for.
    server = await startTestServer({ SOCKET_COMMAND_RATE: '100000' });
    demo = await demoHearing(server.db);
    file = await seedCaseFile(server.db, demo.caseId);
    [judge, prosecutor, defender] = await Promise.all(['judge', 'prosecutor', 'defender'].map((u) => workstation(server.url, u, demo.hearingId, { reconnection: true })));
    stations.push(judge, prosecutor, defender);
    await Promise.all(stations.map((s) => inStep(s)));
    dataOf(await judge.follower.send('hearing:open', {}));
    dataOf(await judge.follower.send('hearing:move-stage', { to: 'investigation' }));
    const { version } = dataOf(await judge.follower.send('floor:give', { to: { kind: 'participant', participantId: demo.participants.prosecutor } }));
    await Promise.all(stations.map((s) => s.follower.reached(version)));
  });
  after(async () => {
    closeAll(stations);
    await server.close();
  });

  const judgeVersion = () => judge.follower.replica.version!;

  test('goes read-only while offline and is back in step after reconnecting, from the version it held', async () => {
    const outgoing: string[] = [];
    defender.socket.onAnyOutgoing((name) => outgoing.push(name));
    defender.socket.disconnect();
    await until(() => defender.follower.status === 'offline');
    const heldBefore = defender.follower.replica.version!;

    const refused = await defender.follower.send('floor:end', {});
    assert.deepEqual('error' in refused && refused.error.code, 'unavailable', 'nothing is sent on a stale picture');
    assert.equal(outgoing.length, 0);

    for (const page of [1, 2, 3]) dataOf(await prosecutor.follower.send('presenter:show', { documentId: file.expertOpinion, page, zoom: 1 }));
    assert.equal(defender.follower.replica.version, heldBefore, 'the offline screen keeps the last state it had');

    defender.socket.connect();
    await defender.follower.reached(judgeVersion());
    assert.deepEqual(defender.follower.replica.state, judge.follower.replica.state);
    assert.deepEqual(outgoing, ['hearing:join'], 'one join, from the version it held');
    assert.deepEqual(
      defender.follower.replica.events.slice(-3).map((e) => (e.type === 'position.shown' ? e.payload.position.sheet : null)),
      [1, 2, 3],
      'the missed events were replayed in order',
    );
  });

  test('converges after the transport drops and socket.io reconnects on its own', async () => {
    // The follower's own listener runs first: by the time this one runs, it has noticed.
    const statusOnDrop = new Promise<string>((resolve) => defender.socket.once('disconnect', () => resolve(defender.follower.status)));
    defender.socket.io.engine.close();
    assert.equal(await statusOnDrop, 'offline');
    dataOf(await prosecutor.follower.send('presenter:show', { documentId: file.expertOpinion, page: 7, zoom: 2 }));
    await defender.follower.reached(judgeVersion());
    assert.deepEqual(defender.follower.replica.state, judge.follower.replica.state);
    assert.equal(defender.follower.replica.state!.shown?.sheet, 7);
    dataOf(await judge.follower.send('floor:give', { to: { kind: 'participant', participantId: demo.participants.defender } }));
    const { version } = dataOf(await defender.follower.send('presenter:show', { documentId: file.indictment, page: 2, zoom: 1 }));
    await prosecutor.follower.reached(version);
    assert.equal(prosecutor.follower.replica.state!.shown?.sheet, 2, 'and it acts again once in step');
  });

  test('notices a lost broadcast, resyncs and converges', async () => {
    // A lossy link: this socket silently loses the broadcast of one version.
    const lossy = attach(server.url, prosecutor.api, 'prosecutor', demo.hearingId);
    stations.push(lossy);
    await inStep(lossy, judgeVersion());
    lossy.follower.stop();
    const dropped = judgeVersion() + 1;
    const socket = lossy.socket;
    const on = socket.on.bind(socket) as (event: string, listener: (...args: unknown[]) => void) => void;
    (socket as unknown as { on: typeof on }).on = (event, listener) => on(event, event === 'hearing:changed' ? (e: unknown) => (e as HearingEvent).version !== dropped && listener(e) : listener);
    const follower = new HearingFollower({ socket: socket as HearingSocket, hearingId: demo.hearingId });
    await follower.reached(judgeVersion());
    const outgoing: string[] = [];
    socket.onAnyOutgoing((name) => outgoing.push(name));

    dataOf(await defender.follower.send('presenter:show', { documentId: file.indictment, page: 3, zoom: 1 }));
    dataOf(await defender.follower.send('presenter:show', { documentId: file.indictment, page: 4, zoom: 1 }));
    await follower.reached(dropped + 1);
    assert.deepEqual(outgoing, ['hearing:resync']);
    assert.deepEqual(follower.replica.state, judge.follower.replica.state);
    follower.stop();
  });

  test('a resync brings the missing events when they are few, a snapshot when they are many', async () => {
    const ask = (since: number) =>
      (judge.socket as unknown as { emitWithAck(n: string, p: unknown): Promise<{ data: HearingSync }> }).emitWithAck('hearing:resync', { hearingId: demo.hearingId, since });
    const recent = (await ask(judgeVersion() - 2)).data;
    assert.equal(recent.kind, 'events');
    assert.deepEqual(recent.kind === 'events' && recent.events.map((e) => e.version), [judgeVersion() - 1, judgeVersion()]);

    for (let page = 1; page <= 205; page++) await defender.follower.send('presenter:show', { documentId: file.indictment, page: (page % 4) + 1, zoom: 1 + page / 1000 });
    await judge.follower.reached(judgeVersion());
    const behind = (await ask(1)).data;
    assert.equal(behind.kind, 'snapshot', 'more than 200 behind: a snapshot');
    assert.deepEqual(behind.kind === 'snapshot' && behind.snapshot.state, judge.follower.replica.state);
    assert.equal((await ask(judgeVersion() + 5)).data.kind, 'snapshot', 'ahead of the server (another database?): a snapshot');
  });
});

describe('a server killed mid-hearing', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-hall-restart-'));
  let main: MainProcess | undefined;
  let demo: DemoHearing;
  let file: CaseFile;
  const stations: Workstation[] = [];

  before(async () => {
    const database = openSqliteDb(dataDir);
    await loadDemoData(database);
    demo = demoHearing(database.legacy.sqlite);
    file = seedCaseFile(database.legacy.sqlite, demo.caseId);
    await database.close();
  });
  after(async () => {
    closeAll(stations);
    main?.child.kill('SIGKILL');
    await main?.exited;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('comes back with stage, attendance, presenter and shown page exactly as they were', async () => {
    main = await startMainProcess({ DATA_DIR: dataDir, MEDIA_WORKERS: '0' });
    const [judge, secretary, prosecutor] = await Promise.all(['judge', 'secretary', 'prosecutor'].map((u) => workstation(main!.url, u, demo.hearingId)));
    stations.push(judge, secretary, prosecutor);
    await Promise.all(stations.map((s) => inStep(s)));
    dataOf(await judge.follower.send('hearing:open', {}));
    dataOf(await secretary.follower.send('attendance:record', { participantId: demo.participants.defendant, attendance: 'remote' }));
    dataOf(await secretary.follower.send('mark:add', { text: 'Подсудимый участвует по видеосвязи из СИЗО' }));
    dataOf(await judge.follower.send('hearing:move-stage', { to: 'investigation' }));
    dataOf(await judge.follower.send('floor:give', { to: { kind: 'participant', participantId: demo.participants.prosecutor } }));
    const { version } = dataOf(await prosecutor.follower.send('presenter:show', { documentId: file.protocol, page: 3, zoom: 1.25, region: { x: 0.05, y: 0.5, width: 0.9, height: 0.2 } }));
    await Promise.all(stations.map((s) => s.follower.reached(version)));
    const before = structuredClone(judge.follower.replica.state!);
    const eventsBefore = structuredClone(judge.follower.replica.events);

    // Acknowledged means committed: nothing after this point may be lost.
    main.child.kill('SIGKILL');
    await main.exited;
    await until(() => stations.every((s) => s.follower.status === 'offline'));

    main = await startMainProcess({ DATA_DIR: dataDir, MEDIA_WORKERS: '0' });
    // The same people, still logged in (sessions live in the database), on new connections.
    const back = stations.map((s) => attach(main!.url, s.api, s.username, demo.hearingId));
    closeAll(stations.splice(0, stations.length));
    stations.push(...back);
    await Promise.all(back.map((s) => inStep(s, version)));
    for (const s of back) {
      assert.deepEqual(s.follower.replica.state, before, s.username);
      assert.deepEqual(s.follower.replica.events, eventsBefore, `${s.username}: the same log`);
    }
    assert.deepEqual(before.shown, { documentId: file.protocol, page: 3, volume: 1, sheet: 7, zoom: 1.25, region: { x: 0.05, y: 0.5, width: 0.9, height: 0.2 } });

    // And the hearing goes on from the next version.
    const [judgeBack, , prosecutorBack] = back;
    const next = dataOf(await prosecutorBack.follower.send('presenter:show', { documentId: file.protocol, page: 4, zoom: 1 }));
    assert.equal(next.version, version + 1);
    await judgeBack.follower.reached(version + 1);
    assert.equal(judgeBack.follower.replica.state!.shown?.sheet, 8);
  });
});

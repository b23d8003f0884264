/**
 * One connection cannot flood the server or its audit log, and a connection that stops reading is
 * dropped in seconds: commands are rate limited per connection, refusals are audited once
 * per burst with a count, a stalled client is cut off and what the server held for it released —
 * while the presenter's page turns and the hall's screens are never touched.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { closeAll, dataOf, demoHearing, inStep, seedCaseFile, until, workstation, type CaseFile, type DemoHearing, type Workstation } from '../helpers/hall.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { sqlOf } from '../helpers/sql.ts';

type Answer = { data: unknown } | { error: { code: string; message: string } };
type AuditRow = { actor: string; action: string; details: string | null };

const raw = (station: Workstation, name: string, payload: unknown) => (station.socket as unknown as { emitWithAck(name: string, payload: unknown): Promise<Answer> }).emitWithAck(name, payload);
const codes = (answers: Answer[]) => {
  const counted: Record<string, number> = {};
  for (const answer of answers) {
    const code = 'error' in answer ? answer.error.code : 'ok';
    counted[code] = (counted[code] ?? 0) + 1;
  }
  return counted;
};

describe('commands per connection', () => {
  let server: TestServer;
  let demo: DemoHearing;
  let file: CaseFile;
  let judge: Workstation, prosecutor: Workstation, defender: Workstation, display: Workstation;
  const stations: Workstation[] = [];

  before(async () => {
    server = await startTestServer();
    demo = await demoHearing(server.db);
    file = await seedCaseFile(server.db, demo.caseId);
    [judge, prosecutor, defender, display] = await Promise.all(['judge', 'prosecutor', 'defender', 'hall1'].map((u) => workstation(server.url, u, demo.hearingId)));
    stations.push(judge, prosecutor, defender, display);
    await Promise.all(stations.map((s) => inStep(s)));
    dataOf(await judge.follower.send('hearing:open', {}));
    dataOf(await judge.follower.send('hearing:move-stage', { to: 'investigation' }));
    dataOf(await judge.follower.send('floor:give', { to: { kind: 'participant', participantId: demo.participants.prosecutor } }));
  });
  after(async () => {
    closeAll(stations);
    await server.close();
  });

  const auditRows = (actor: string, sinceId: number) =>
    sqlOf(server).all<AuditRow>('select actor, action, details from audit_log where actor = ? and outcome = ? and id > ? order by id', actor, 'denied', sinceId);
  const lastAuditId = async () => (await sqlOf(server).one<{ id: number }>('select coalesce(max(id), 0) as id from audit_log'))!.id;
  const hearingVersion = async () => (await sqlOf(server).one<{ version: number }>('select version from hearings where id = ?', demo.hearingId))!.version;

  test('1,000 stage moves from the defender in a burst: most answered rate_limited, a handful of audit rows with the count', async () => {
    const since = await lastAuditId();
    const version = await hearingVersion();
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: 1000 }, () => raw(defender, 'hearing:move-stage', { hearingId: demo.hearingId, to: 'pleadings' })));
    const burstMs = performance.now() - started;
    const counted = codes(answers);
    assert.equal(counted.ok, undefined, 'nothing is carried out');
    assert.ok(counted.rate_limited >= 950, `answers: ${JSON.stringify(counted)}`);
    assert.equal(counted.rate_limited + (counted.forbidden_action ?? 0), 1000);
    // The burst has ended (2 s without a refusal): its count is written.
    await until(async () => (await auditRows('defender', since)).some((row) => row.action === 'socket.refused' && JSON.parse(row.details!).first === undefined), 10_000);
    const rows = await auditRows('defender', since);
    assert.ok(rows.length <= 10, `${rows.length} audit rows: ${JSON.stringify(rows.map((r) => r.action))}`);
    const refusedRows = rows.filter((row) => row.action === 'socket.refused').map((row) => JSON.parse(row.details!) as { count: number; events: Record<string, number> });
    assert.equal(
      refusedRows.reduce((sum, row) => sum + row.count, 0),
      counted.rate_limited,
      'the rows count every refusal',
    );
    assert.ok(refusedRows.every((row) => Object.keys(row.events).every((e) => e === 'hearing:move-stage')));
    assert.equal(await hearingVersion(), version);
    console.log(`1,000 move-stage: ${JSON.stringify(counted)} in ${Math.round(burstMs)} ms; ${rows.length} audit rows (${refusedRows.map((r) => r.count).join(' + ')} counted)`);
  });

  test('the presenter turning 10 pages a second for 10 s is never limited, while the wall screen flooding page changes is', async () => {
    const since = await lastAuditId();
    let flooding = true;
    const flood: Answer[] = [];
    const floodDone = (async () => {
      while (flooding) {
        flood.push(...(await Promise.all(Array.from({ length: 50 }, () => raw(display, 'presenter:show', { hearingId: demo.hearingId, documentId: file.indictment, page: 1, zoom: 1 })))));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const turns: Answer[] = [];
    const started = performance.now();
    for (let i = 0; i < 100; i++) {
      const due = started + i * 100;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
      turns.push(await prosecutor.follower.send('presenter:show', { documentId: file.expertOpinion, page: (i % 8) + 1, zoom: 1 }));
    }
    flooding = false;
    await floodDone;
    assert.deepEqual(codes(turns), { ok: 100 }, 'every page turn is carried out');
    const flooded = codes(flood);
    assert.ok(flooded.rate_limited >= flood.length * 0.9, `the wall screen: ${JSON.stringify(flooded)}`);
    await until(async () => (await auditRows('hall1', since)).filter((row) => row.action === 'socket.refused').length >= 2, 10_000);
    const rows = await auditRows('hall1', since);
    assert.ok(rows.length <= 20, `${rows.length} audit rows for ${flood.length} refusals`);
    console.log(`presenter: 100 page turns in ${Math.round(performance.now() - started)} ms, none limited; wall screen: ${JSON.stringify(flooded)}, ${rows.length} audit rows`);
  });
});

describe('a client that stops reading', () => {
  let server: TestServer;
  let demo: DemoHearing;
  let office: Workstation;

  before(async () => {
    server = await startTestServer();
    demo = await demoHearing(server.db);
    office = await workstation(server.url, 'office', demo.hearingId);
    await inStep(office);
  });
  after(async () => {
    closeAll([office]);
    await server.close();
  });

  test('is dropped within seconds while events are broadcast at a high rate, and the server stops holding its backlog', async () => {
    const io = server.app.io!;
    const engine = io.engine as unknown as { clients: Record<string, { writeBuffer: unknown[]; on(event: 'close', fn: (reason: string) => void): void }>; clientsCount: number };
    // A raw WebSocket client with the secretary's session: connects to the main namespace, then stops reading.
    const cookie = office.api.cookieHeader;
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`, { headers: { cookie } });
    const sid = await new Promise<string>((resolve, reject) => {
      ws.on('error', reject);
      ws.on('message', (data) => {
        const text = data.toString();
        if (text.startsWith('0')) {
          ws.send('40');
          return;
        }
        if (text.startsWith('40')) resolve((JSON.parse(text.slice(2)) as { sid: string }).sid);
      });
    });
    const conn = io.sockets.sockets.get(sid)?.conn as unknown as { on(event: 'close', fn: (reason: string) => void): void } | undefined;
    assert.ok(conn, 'the server holds the raw connection');
    let closedAfterMs: number | null = null;
    let closeReason = '';
    (ws as unknown as { _socket: { pause(): void } })._socket.pause();

    const payload = { courtId: 'x'.repeat(20_000) };
    const rss0 = process.memoryUsage().rss;
    const started = performance.now();
    conn.on('close', (reason) => {
      closedAfterMs = performance.now() - started;
      closeReason = reason;
    });
    let officeReceived = 0;
    office.socket.on('situation:changed' as never, (() => officeReceived++) as never);
    const broadcast = setInterval(() => (io.emit as (event: string, payload: unknown) => boolean)('situation:changed', payload), 10);
    const rss: number[] = [];
    try {
      const sampler = setInterval(() => rss.push(process.memoryUsage().rss), 1000);
      await until(() => closedAfterMs !== null, 20_000).catch(() => undefined);
      // Broadcasting goes on: what the server holds no longer grows.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      clearInterval(sampler);
    } finally {
      clearInterval(broadcast);
    }
    assert.ok(closedAfterMs !== null && closedAfterMs < 15_000, `dropped after ${closedAfterMs} ms`);
    const held = Object.values(engine.clients).reduce((sum, c) => sum + c.writeBuffer.length, 0);
    assert.ok(held < 100, `the engine still holds ${held} packets`);
    assert.equal(engine.clientsCount, 1, 'only the office screen is still connected');
    assert.equal(office.socket.connected, true, 'a screen that reads is never dropped');
    assert.ok(officeReceived > 500, `the office screen received ${officeReceived} broadcasts`);
    const growth = (Math.max(...rss.slice(-3)) - rss0) / 2 ** 20;
    console.log(`stalled client dropped after ${Math.round(closedAfterMs!)} ms (${closeReason}); rss +${growth.toFixed(1)} MiB; office received ${officeReceived}`);
    assert.ok(growth < 150, `rss grew by ${growth.toFixed(1)} MiB`);
    ws.terminate();
  });
});

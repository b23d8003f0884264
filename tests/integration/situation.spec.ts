/**
 * The situation centre: figures match hand-counted fixtures, on edge days in court time
 * (Asia/Almaty, UTC+5: 23:59 and 00:00 local, week and month boundaries), a time-limit breach
 * appears on the day after the limit's last day and not a minute before, the cases behind every
 * figure are listed, CSV exports open in Excel, and only the chair, the office and admins look.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { io as connect, type Socket } from 'socket.io-client';
import { courtDate, demoCase } from '../helpers/scheduling.ts';
import { ApiClient, startTestServer, type TestServer } from '../helpers/server.ts';
import { sqlOf } from '../helpers/sql.ts';

describe('situation centre', () => {
  let server: TestServer;
  const clients = new Map<string, ApiClient>();
  const as = (username: string) => clients.get(username)!;
  const ids = { receipts: crypto.randomUUID(), deadlines: crypto.randomUUID(), judgeX: crypto.randomUUID(), judgeY: crypto.randomUUID(), hall: crypto.randomUUID() };
  const caseIds = new Map<string, string>();

  /** Fixture rows straight into the server's database: courts, judges, cases, hearings. */
  async function seed() {
    const db = sqlOf(server);
    const now = new Date();
    for (const [id, code] of [
      [ids.receipts, 'T-1'],
      [ids.deadlines, 'T-2'],
    ]) {
      await db.run("insert into courts (id, code, name_kk, name_ru, name_en, timezone, created_at) values (?, ?, ?, ?, ?, 'Asia/Almaty', ?)", id, code, code, code, code, now);
    }
    await db.run("insert into halls (id, court_id, code, name_kk, name_ru, name_en) values (?, ?, '1', 'зал', 'зал', 'hall')", ids.hall, ids.deadlines);
    for (const [id, name] of [
      [ids.judgeX, 'Судья Икс'],
      [ids.judgeY, 'Судья Игрек'],
    ]) {
      await db.run(
        "insert into users (id, username, password_hash, full_name, locale, court_id, active, created_at) values (?, ?, 'x', ?, 'ru', ?, ?, ?)",
        id,
        `fixture-${id}`,
        name,
        ids.deadlines,
        true,
        now,
      );
    }
    const addCase = async (name: string, court: string, receivedAt: string, extra: { status?: string; suspendedAt?: string; judge?: string; category?: string; custody?: boolean } = {}) => {
      const id = crypto.randomUUID();
      caseIds.set(name, id);
      await db.run(
        "insert into cases (id, court_id, case_number, category, language, summary_kk, summary_ru, summary_en, qualification, status, received_at, suspended_at, created_at) values (?, ?, ?, ?, 'ru', '-', '-', '-', '[]', ?, ?, ?, ?)",
        id,
        court,
        `FIX-${name}`,
        extra.category ?? 'crime',
        extra.status ?? 'received',
        new Date(receivedAt),
        extra.suspendedAt ? new Date(extra.suspendedAt) : null,
        now,
      );
      if (extra.judge) await db.run("insert into case_staff (case_id, user_id, role, assigned_at) values (?, ?, 'judge', ?)", id, extra.judge, now);
      if (extra.custody) {
        await db.run("insert into case_participants (id, case_id, role, full_name, in_custody, created_at) values (?, ?, 'defendant', 'Фикстура', ?, ?)", crypto.randomUUID(), id, true, now);
      }
      return id;
    };
    const addHearing = (caseId: string, scheduledAt: string, status: string, judge: string) =>
      db.run(
        'insert into hearings (id, case_id, hall_id, scheduled_at, presiding_judge_id, status, created_at) values (?, ?, ?, ?, ?, ?, ?)',
        crypto.randomUUID(),
        caseId,
        ids.hall,
        new Date(scheduledAt),
        judge,
        status,
        now,
      );

    // Receipts (court T-1), around Wednesday 1 April 2026 00:00 Almaty = 2026-03-31T19:00Z.
    await addCase('A', ids.receipts, '2026-03-31T19:00:00Z'); // 1 Apr 00:00 local: today, this week, this month
    await addCase('B', ids.receipts, '2026-03-31T18:59:59Z'); // 31 Mar 23:59:59 local: this week, March
    await addCase('D', ids.receipts, '2026-03-29T18:59:00Z'); // Sun 29 Mar 23:59 local: last week, March
    await addCase('E', ids.receipts, '2026-03-29T19:00:00Z'); // Mon 30 Mar 00:00 local: this week, March
    await addCase('F', ids.receipts, '2026-02-28T19:00:00Z'); // 1 Mar 00:00 local: March
    await addCase('G', ids.receipts, '2026-02-28T18:59:00Z', { category: 'misdemeanor' }); // 28 Feb 23:59 local: February
    await addCase('H', ids.receipts, '2026-04-01T03:00:00Z'); // 1 Apr 08:00 local: after the moments asked about below

    // Time limits (court T-2): first hearing 20 days, trial 60 days, custody 182 days.
    await addCase('P', ids.deadlines, '2026-03-11T18:59:00Z', { judge: ids.judgeX }); // received 11 Mar local (UTC: also 11 Mar); last day 31 Mar
    const q = await addCase('Q', ids.deadlines, '2026-03-11T19:00:00Z', { judge: ids.judgeX }); // received 12 Mar local (UTC: 11 Mar); last day 1 Apr
    const r = await addCase('R', ids.deadlines, '2026-03-11T18:59:00Z', { judge: ids.judgeY, status: 'in_trial' });
    await addHearing(r, '2026-03-25T05:00:00Z', 'finished', ids.judgeY); // first hearing in time
    await addHearing(r, '2026-03-31T18:00:00Z', 'in_progress', ids.judgeY); // running now (since 23:00 yesterday)
    const s = await addCase('S', ids.deadlines, '2026-01-10T05:00:00Z', { judge: ids.judgeY, status: 'in_trial', custody: true });
    await addHearing(s, '2026-02-20T05:00:00Z', 'finished', ids.judgeY); // first hearing late (last day 30 Jan); trial past 11 Mar
    await addHearing(q, '2026-04-01T04:00:00Z', 'scheduled', ids.judgeX); // today 09:00 local
    await addCase('T', ids.deadlines, '2025-12-01T05:00:00Z', { judge: ids.judgeX, status: 'suspended', suspendedAt: '2026-03-20T05:00:00Z' });
    await addCase('Z', ids.deadlines, '2025-10-01T05:00:00Z', { judge: ids.judgeX, status: 'closed' });
    await addCase('L', ids.deadlines, '2026-04-02T05:00:00Z', { judge: ids.judgeX }); // received after the moments asked about below
  }

  before(async () => {
    server = await startTestServer();
    for (const username of ['chair', 'office', 'admin', 'judge']) {
      const client = new ApiClient(server.url);
      await client.login(username);
      clients.set(username, client);
    }
    await seed();
  });
  after(async () => server?.close());

  const dashboard = async (court: string, at: string) => {
    const answer = await as('admin').get(`/api/situation?courtId=${court}&at=${encodeURIComponent(at)}`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body;
  };
  const rule = (body: { deadlines: { rule: string; open: number; breached: number; dueSoon: number }[] }, id: string) => body.deadlines.find((d) => d.rule === id)!;

  test('receipts per day, week and month are counted in court time at 00:00 and 23:59', async () => {
    const body = await dashboard(ids.receipts, '2026-03-31T19:30:00Z'); // Wed 1 Apr 00:30 Almaty
    assert.equal(body.date, '2026-04-01');
    assert.deepEqual(body.received, { day: 1, week: 3, month: 1 });
    const month = (label: string) => body.trend.months.find((m: { label: string }) => m.label === label).count;
    assert.equal(month('2026-04'), 1);
    assert.equal(month('2026-03'), 4);
    assert.equal(month('2026-02'), 1);
    const day = (label: string) => body.trend.days.find((d: { label: string }) => d.label === label).count;
    assert.equal(day('2026-03-31'), 1);
    assert.equal(day('2026-03-29'), 1);
    assert.equal(day('2026-03-30'), 1);
    assert.deepEqual(
      body.trend.weeks.slice(-2).map((w: { from: string; count: number }) => [w.from, w.count]),
      [
        ['2026-03-23', 1],
        ['2026-03-30', 3],
      ],
    );
    assert.deepEqual(
      body.byCategory.find((c: { category: string }) => c.category === 'misdemeanor'),
      { category: 'misdemeanor', open: 1, suspended: 0, receivedMonth: 0, breached: 1, dueSoon: 0 },
    );
    // (G, received 28 February with no hearing: its 20 days ended on 20 March.)

    // A minute earlier (Tuesday 31 March 23:59 local) it is still March.
    const before = await dashboard(ids.receipts, '2026-03-31T18:59:59Z');
    assert.equal(before.date, '2026-03-31');
    assert.deepEqual(before.received, { day: 1, week: 2, month: 4 });
  });

  test('a breach appears on the day after the last day of the limit, not a minute before', async () => {
    const lastDay = await dashboard(ids.deadlines, '2026-03-31T18:59:00Z'); // 31 Mar 23:59 local
    assert.deepEqual([rule(lastDay, 'first_hearing').breached, rule(lastDay, 'first_hearing').dueSoon], [1, 2]);
    const nextDay = await dashboard(ids.deadlines, '2026-03-31T19:00:00Z'); // 1 Apr 00:00 local
    assert.deepEqual([rule(nextDay, 'first_hearing').breached, rule(nextDay, 'first_hearing').dueSoon], [2, 1]);
    assert.deepEqual([rule(nextDay, 'trial_length').breached, rule(nextDay, 'trial_length').dueSoon], [1, 0]);
    assert.deepEqual([rule(nextDay, 'custody').open, rule(nextDay, 'custody').breached], [1, 0]);
    assert.equal(nextDay.open, 4);
    const judge = (id: string) => nextDay.byJudge.find((j: { judgeId: string }) => j.judgeId === id);
    assert.deepEqual({ ...judge(ids.judgeX), judgeId: undefined }, { judgeId: undefined, name: 'Судья Икс', open: 2, suspended: 1, receivedMonth: 0, breached: 1, dueSoon: 1 });
    assert.deepEqual([judge(ids.judgeY).open, judge(ids.judgeY).breached], [2, 2]);
    // Suspended: how long, in court days.
    assert.equal(nextDay.suspended.total, 1);
    assert.equal(nextDay.suspended.longest[0].caseNumber, 'FIX-T');
    assert.equal(nextDay.suspended.longest[0].daysSuspended, 12);
    // Hearings: one scheduled today, one in session since yesterday evening.
    assert.deepEqual(nextDay.hearings, { today: { scheduled: 1 }, todayTotal: 1, running: 1 });
  });

  test('every figure lists the cases behind it, filtered like the dashboard', async () => {
    const list = async (query: string) => {
      const answer = await as('admin').get(`/api/situation/cases?courtId=${ids.deadlines}&at=2026-03-31T19:00:00Z&${query}`);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      return answer.body.cases.map((c: { caseNumber: string; deadline?: { rule: string; due: string } }) => (c.deadline ? `${c.caseNumber}:${c.deadline.rule}:${c.deadline.due}` : c.caseNumber));
    };
    assert.deepEqual(await list('figure=breached'), ['FIX-S:first_hearing:2026-01-30', 'FIX-S:trial_length:2026-03-11', 'FIX-P:first_hearing:2026-03-31']);
    assert.deepEqual(await list(`figure=breached&judgeId=${ids.judgeX}`), ['FIX-P:first_hearing:2026-03-31']);
    assert.deepEqual(await list('figure=due_soon'), ['FIX-Q:first_hearing:2026-04-01']);
    assert.deepEqual(await list('figure=breached&rule=trial_length'), ['FIX-S:trial_length:2026-03-11']);
    assert.deepEqual(await list('figure=suspended'), ['FIX-T']);
    assert.deepEqual(await list('figure=running'), ['FIX-R']);
    assert.deepEqual(await list('figure=hearings_today'), ['FIX-Q']);
    assert.deepEqual((await list('figure=open')).sort(), ['FIX-P', 'FIX-Q', 'FIX-R', 'FIX-S']);
    const receipts = await as('admin').get(`/api/situation/cases?courtId=${ids.receipts}&at=2026-03-31T19:30:00Z&figure=received_week`);
    assert.deepEqual(
      receipts.body.cases.map((c: { caseNumber: string }) => c.caseNumber),
      ['FIX-A', 'FIX-B', 'FIX-E'],
    );
    const bad = await as('admin').get(`/api/situation/cases?courtId=${ids.deadlines}&figure=everything`);
    assert.equal(bad.body.error.code, 'invalid_request');
  });

  test('as of a past moment, a case received after it is not counted', async () => {
    // Wednesday 1 April 00:30 Almaty: FIX-H (received at 08:00 that day) is not yet in.
    const receipts = await dashboard(ids.receipts, '2026-03-31T19:30:00Z');
    assert.equal(receipts.received.day, 1);
    assert.equal(receipts.trend.months.find((m: { label: string }) => m.label === '2026-04').count, 1);
    assert.equal(receipts.open, 6, 'A, B, D, E, F, G — not H');
    const today = await as('admin').get(`/api/situation/cases?courtId=${ids.receipts}&at=2026-03-31T19:30:00Z&figure=received_day`);
    assert.deepEqual(
      today.body.cases.map((c: { caseNumber: string }) => c.caseNumber),
      ['FIX-A'],
    );
    const later = await dashboard(ids.receipts, '2026-04-01T03:00:00Z'); // 08:00: now it is
    assert.deepEqual([later.received.day, later.open], [2, 7]);

    // FIX-L arrives on 2 April: on 1 April it is neither open nor behind any time limit.
    const openOn = async (at: string) => {
      const answer = await as('admin').get(`/api/situation/cases?courtId=${ids.deadlines}&at=${at}&figure=open`);
      return answer.body.cases.map((c: { caseNumber: string }) => c.caseNumber).sort();
    };
    assert.deepEqual(await openOn('2026-03-31T19:00:00Z'), ['FIX-P', 'FIX-Q', 'FIX-R', 'FIX-S']);
    assert.deepEqual(await openOn('2026-04-02T05:00:00Z'), ['FIX-L', 'FIX-P', 'FIX-Q', 'FIX-R', 'FIX-S']);
    const first = rule(await dashboard(ids.deadlines, '2026-03-31T19:00:00Z'), 'first_hearing');
    assert.equal(first.open, 4);
  });

  test('CSV export: UTF-8 with BOM, Kazakh and Russian headers, one row per case, court-local dates, values in the reader language', async () => {
    const csv = async (query: string) => {
      const response = await fetch(`${server.url}/api/situation/cases.csv?courtId=${ids.deadlines}&at=2026-03-31T19:00:00Z&${query}`, { headers: { cookie: as('admin').cookieHeader } });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /text\/csv; charset=utf-8/);
      const bytes = Buffer.from(await response.arrayBuffer());
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      return bytes.toString('utf8').slice(1).trim().split('\r\n');
    };
    const lines = await csv('figure=breached&lang=ru');
    assert.match(lines[0], /^Іс нөмірі \/ Номер дела,/);
    assert.equal(lines.length, 4);
    // Received 10 January 05:00 UTC = 10:00 in Almaty; the rule's name, not its code.
    assert.equal(lines[1], 'FIX-S,Преступление,Рассматривается,2026-01-10 10:00,,Судья Игрек,От поступления дела до первого заседания,2026-01-30');
    assert.equal((await csv('figure=breached&lang=kk'))[1], 'FIX-S,Қылмыс,Қаралуда,2026-01-10 10:00,,Судья Игрек,Істі қабылдаудан бірінші отырысқа дейін,2026-01-30');
    // Without `lang`: the reader's own language (the demo admin reads English).
    assert.equal((await csv('figure=breached'))[1], 'FIX-S,Crime,At trial,2026-01-10 10:00,,Судья Игрек,From receipt to the first hearing,2026-01-30');
    // 11 March 19:00 UTC is already 12 March in the court; suspended dates likewise.
    assert.equal((await csv('figure=due_soon&lang=ru'))[1], 'FIX-Q,Преступление,Поступило,2026-03-12 00:00,,Судья Икс,От поступления дела до первого заседания,2026-04-01');
    assert.equal((await csv('figure=suspended&lang=ru'))[1], 'FIX-T,Преступление,Приостановлено,2025-12-01 10:00,2026-03-20 10:00,Судья Икс,,');
    const bad = await fetch(`${server.url}/api/situation/cases.csv?courtId=${ids.deadlines}&figure=open&lang=de`, { headers: { cookie: as('admin').cookieHeader } });
    assert.equal(bad.status, 400);
  });

  test('the chair and the office see their own court only; judges see none; refusals are audited', async () => {
    const own = await as('chair').get('/api/situation');
    assert.equal(own.status, 200);
    assert.equal(own.body.open, 1, 'the demo case');
    assert.equal((await as('office').get('/api/situation')).status, 200);
    const other = await as('chair').get(`/api/situation?courtId=${ids.deadlines}`);
    assert.equal(other.status, 403);
    assert.equal((await as('office').get(`/api/situation/cases?courtId=${ids.deadlines}&figure=open`)).status, 403);
    const judge = await as('judge').get('/api/situation');
    assert.equal(judge.status, 403);
    assert.equal(judge.body.error.code, 'forbidden');
    assert.equal((await as('admin').get('/api/situation?courtId=no-such-court')).status, 404);
    const denied = (await sqlOf(server).one<{ n: number }>("select count(*) as n from audit_log where action = 'situation.read' and outcome = 'denied'"))!;
    assert.equal(denied.n, 3);
  });

  test('live: the chair screen is told when a hearing of the court is scheduled; a judge cannot watch', async () => {
    const sockets: Socket[] = [];
    const open = async (username: string) => {
      const socket = connect(server.url, { transports: ['websocket'], extraHeaders: { cookie: as(username).cookieHeader }, forceNew: true });
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => socket.once('connect', () => resolve()).once('connect_error', reject));
      return socket;
    };
    try {
      const chair = await open('chair');
      const watched = await chair.emitWithAck('situation:watch', {});
      assert.ok('data' in watched, JSON.stringify(watched));
      const courtId = watched.data.courtId;
      const judge = await open('judge');
      const refused = await judge.emitWithAck('situation:watch', {});
      assert.equal(refused.error?.code, 'forbidden');
      const bad = await chair.emitWithAck('situation:watch', { courtId: 42 });
      assert.equal(bad.error?.code, 'invalid_request');

      const changed = new Promise<{ courtId: string }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no situation:changed within 20 s')), 20_000);
        chair.once('situation:changed', (change) => (clearTimeout(timer), resolve(change)));
      });
      const demo = await demoCase(as('office'));
      const scheduled = await as('office').post(`/api/cases/${demo.caseId}/hearings`, {
        hallId: demo.hall('2'),
        date: courtDate(9),
        time: '15:00',
        presidingJudgeId: demo.judgeId,
        secretaryId: demo.secretaryId,
        closed: false,
        participantIds: [],
      });
      assert.equal(scheduled.status, 201, JSON.stringify(scheduled.body));
      assert.deepEqual(await changed, { courtId });
    } finally {
      for (const socket of sockets) socket.disconnect();
    }
  });
});

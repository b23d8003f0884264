/**
 * The case's life as recorded ("The record is exact"): the hall's events move the case — opened:
 * in trial; suspended: suspended, with the court's reason and date; a new sitting opened: in
 * trial again; ended after the announcement: closed — each change with who and when, and the
 * situation centre counts what the hall did. The deadline engine's clocks stand still while a
 * case is suspended, also after it resumed.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { CommandInput } from '../../server/src/shared/socket/hearing-follower.ts';
import type { CommandName } from '../../server/src/shared/hearing/schemas.ts';
import { closeAll, dataOf, demoHearing, inStep, workstation, type DemoHearing, type Workstation } from '../helpers/hall.ts';
import { courtDate, demoCase } from '../helpers/scheduling.ts';
import { ApiClient, startTestServer, type TestServer } from '../helpers/server.ts';
import { sqlOf } from '../helpers/sql.ts';

const JUDGE = 'Ахметова Гульнара Сериковна';

describe('the case status follows the hall', () => {
  let server: TestServer;
  let demo: DemoHearing;
  const stations: Workstation[] = [];
  let chair: ApiClient, office: ApiClient, judgeApi: ApiClient;

  before(async () => {
    server = await startTestServer();
    demo = await demoHearing(server.db);
    chair = new ApiClient(server.url);
    await chair.login('chair');
    office = new ApiClient(server.url);
    await office.login('office');
    judgeApi = new ApiClient(server.url);
    await judgeApi.login('judge');
  });
  after(async () => {
    closeAll(stations);
    await server?.close();
  });

  const judgeIn = async (hearingId: string) => {
    const station = await workstation(server.url, 'judge', hearingId);
    stations.push(station);
    await inStep(station);
    return station;
  };
  const act = async <K extends CommandName>(station: Workstation, name: K, input: CommandInput<K>) => dataOf(await station.follower.send(name, input));
  const caseNow = async () => {
    const answer = await judgeApi.get(`/api/cases/${demo.caseId}`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body.case;
  };
  const suspendedList = async () => {
    const answer = await chair.get('/api/situation/cases?figure=suspended');
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body.cases.map((c: { id: string }) => c.id);
  };

  test('opened: in trial; suspended: suspended with reason and date, counted by the situation centre; resumed; closed', async () => {
    const received = await caseNow();
    assert.equal(received.status, 'received');
    assert.deepEqual(received.statusHistory, []);

    const judge = await judgeIn(demo.hearingId);
    const opened = Date.now();
    await act(judge, 'hearing:open', {});
    assert.equal((await caseNow()).status, 'in_trial');

    const before = await chair.get('/api/situation');
    await act(judge, 'hearing:suspend', { reason: 'Тяжёлая болезнь подсудимого (ст. 45 ч. 1 п. 2 УПК)' });
    const suspended = await caseNow();
    assert.equal(suspended.status, 'suspended');
    assert.equal(suspended.suspension.reason, 'Тяжёлая болезнь подсудимого (ст. 45 ч. 1 п. 2 УПК)');
    const suspendedAt = Date.parse(suspended.suspension.at);
    assert.ok(suspendedAt >= opened && suspendedAt <= Date.now(), suspended.suspension.at);

    // The chair's dashboard: the case is among the suspended ones, not among the open ones.
    const dashboard = await chair.get('/api/situation');
    assert.equal(dashboard.status, 200, JSON.stringify(dashboard.body));
    assert.ok(dashboard.body.suspended.total >= 1, `suspended: ${dashboard.body.suspended.total}`);
    assert.equal(dashboard.body.suspended.total, before.body.suspended.total + 1);
    assert.equal(dashboard.body.open, before.body.open - 1);
    const listed = dashboard.body.suspended.longest.find((c: { id: string }) => c.id === demo.caseId);
    assert.ok(listed, 'the case is listed among the longest suspended');
    assert.equal(listed.daysSuspended, 0);
    assert.equal(listed.suspendedAt, suspended.suspension.at);
    assert.ok((await suspendedList()).includes(demo.caseId));

    // The court resumes the case at a new sitting.
    const options = await demoCase(office);
    const scheduled = await office.post(`/api/cases/${demo.caseId}/hearings`, {
      hallId: options.hall('2'),
      date: courtDate(9),
      time: '15:00',
      presidingJudgeId: options.judgeId,
      secretaryId: options.secretaryId,
      closed: false,
      participantIds: [],
    });
    assert.equal(scheduled.status, 201, JSON.stringify(scheduled.body));
    assert.equal((await caseNow()).status, 'suspended', 'scheduling a sitting does not resume the case; opening it does');
    const sitting = await judgeIn(scheduled.body.hearing.id);
    await act(sitting, 'hearing:open', {});
    const resumed = await caseNow();
    assert.equal(resumed.status, 'in_trial');
    assert.equal(resumed.suspension, null);
    assert.ok(!(await suspendedList()).includes(demo.caseId));

    // To the verdict: through the stages, announced, the hearing ends: the case is closed.
    for (const to of ['investigation', 'pleadings', 'last_word', 'deliberation', 'announcement'] as const) await act(sitting, 'hearing:move-stage', { to });
    assert.equal((await caseNow()).status, 'in_trial', 'not closed before the hearing ends');
    await act(sitting, 'hearing:end', {});
    const closed = await caseNow();
    assert.equal(closed.status, 'closed');
    assert.ok(closed.closedAt);
    const after = await chair.get('/api/situation');
    assert.equal(after.body.open, before.body.open - 1);
    assert.equal(after.body.suspended.total, before.body.suspended.total);

    // The history: each change with who and when, in order, each tied to the hearing event that made it.
    const history = closed.statusHistory as { at: string; from: string; to: string; kind: string; reason: string | null; hearingId: string; by: { userId: string; fullName: string } }[];
    assert.deepEqual(
      history.map((h) => [h.kind, h.from, h.to, h.hearingId, h.by.fullName]),
      [
        ['trial_started', 'received', 'in_trial', demo.hearingId, JUDGE],
        ['suspended', 'in_trial', 'suspended', demo.hearingId, JUDGE],
        ['resumed', 'suspended', 'in_trial', scheduled.body.hearing.id, JUDGE],
        ['closed', 'in_trial', 'closed', scheduled.body.hearing.id, JUDGE],
      ],
    );
    assert.equal(history[1].reason, 'Тяжёлая болезнь подсудимого (ст. 45 ч. 1 п. 2 УПК)');
    assert.equal(history[1].at, suspended.suspension.at);
    assert.equal(history[3].at, closed.closedAt);
    const times = history.map((h) => Date.parse(h.at));
    assert.deepEqual(
      [...times].sort((a, b) => a - b),
      times,
    );
    assert.ok(times[0] >= opened);
    const judgeId = history[0].by.userId;
    assert.ok(history.every((h) => h.by.userId === judgeId));
    // The same moment as the event that caused each change, in the same log.
    const events = await sqlOf(server).all<{ at: number; type: string }>(
      'select e.hearing_id as hearingId, e.at, e.type from case_status_changes c join hearing_events e on e.hearing_id = c.hearing_id and e.version = c.event_version where c.case_id = ? order by c.id',
      demo.caseId,
    );
    assert.deepEqual(
      events.map((e) => e.type),
      ['hearing.opened', 'hearing.suspended', 'hearing.opened', 'hearing.ended'],
    );
    assert.deepEqual(
      events.map((e) => e.at),
      times,
    );
    // Append-only.
    await assert.rejects(sqlOf(server).run('update case_status_changes set reason = null'), /append-only/);
    await assert.rejects(sqlOf(server).run('delete from case_status_changes'), /append-only/);
  });

  test('the trial-length and custody clocks stand still while a case is suspended, also after it resumed', async () => {
    const db = sqlOf(server);
    const now = new Date();
    const court = crypto.randomUUID();
    await db.run("insert into courts (id, code, name_kk, name_ru, name_en, timezone, created_at) values (?, 'T-STATUS', 'T', 'T', 'T', 'Asia/Almaty', ?)", court, now);
    const hall = crypto.randomUUID();
    await db.run("insert into halls (id, court_id, code, name_kk, name_ru, name_en) values (?, ?, '1', 'зал', 'зал', 'hall')", hall, court);
    const judge = (await db.one<{ id: string }>("select id from users where username = 'judge'"))!.id;
    // Received 1 January 2026 10:00 Almaty; first hearing 10 January; suspended 1 February, resumed 22 March (49 days).
    const at = (iso: string) => new Date(iso);
    const addCase = async (number: string, custody: boolean, resumed: boolean) => {
      const id = crypto.randomUUID();
      await db.run(
        "insert into cases (id, court_id, case_number, category, language, summary_kk, summary_ru, summary_en, qualification, status, received_at, suspended_at, created_at) values (?, ?, ?, 'crime', 'ru', '-', '-', '-', '[]', ?, ?, ?, ?)",
        id,
        court,
        number,
        resumed ? 'in_trial' : 'suspended',
        at('2026-01-01T05:00:00Z'),
        resumed ? null : at('2026-02-01T05:00:00Z'),
        now,
      );
      if (custody)
        await db.run("insert into case_participants (id, case_id, role, full_name, in_custody, created_at) values (?, ?, 'defendant', 'Фикстура', ?, ?)", crypto.randomUUID(), id, true, now);
      await db.run(
        "insert into hearings (id, case_id, hall_id, scheduled_at, presiding_judge_id, status, created_at) values (?, ?, ?, ?, ?, 'suspended', ?)",
        crypto.randomUUID(),
        id,
        hall,
        at('2026-01-10T05:00:00Z'),
        judge,
        now,
      );
      const change = (...params: (string | Date)[]) => db.run('insert into case_status_changes (case_id, at, from_status, to_status, since, actor_name) values (?, ?, ?, ?, ?, ?)', ...params);
      await change(id, at('2026-01-10T05:00:00Z'), 'received', 'in_trial', at('2026-01-01T05:00:00Z'), JUDGE);
      await change(id, at('2026-02-01T05:00:00Z'), 'in_trial', 'suspended', at('2026-01-10T05:00:00Z'), JUDGE);
      if (resumed) await change(id, at('2026-03-22T05:00:00Z'), 'suspended', 'in_trial', at('2026-02-01T05:00:00Z'), JUDGE);
    };
    await addCase('STATUS-1', true, true);
    await addCase('STATUS-2', false, false);
    const admin = new ApiClient(server.url);
    await admin.login('admin');
    const figures = async (iso: string) => {
      const answer = await admin.get(`/api/situation?courtId=${court}&at=${encodeURIComponent(iso)}`);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      const rule = (id: string) => answer.body.deadlines.find((d: { rule: string }) => d.rule === id);
      return { trial: rule('trial_length'), custody: rule('custody'), body: answer.body };
    };
    // 60 days from 1 January end on 2 March; 49 days suspended move the last day to 20 April.
    const april20 = await figures('2026-04-20T18:59:00Z'); // 20 April 23:59 Almaty
    assert.deepEqual([april20.trial.open, april20.trial.breached], [1, 0], 'the suspended weeks are not trial time');
    assert.equal(april20.body.suspended.total, 1);
    assert.equal(april20.body.suspended.longest[0].caseNumber, 'STATUS-2');
    const april21 = await figures('2026-04-20T19:00:00Z'); // 21 April 00:00 Almaty
    assert.equal(april21.trial.breached, 1);
    const list = await admin.get(`/api/situation/cases?courtId=${court}&at=2026-04-20T19:00:00Z&figure=breached&rule=trial_length`);
    assert.deepEqual(
      list.body.cases.map((c: { caseNumber: string; deadline: { due: string } }) => [c.caseNumber, c.deadline.due]),
      [['STATUS-1', '2026-04-20']],
    );
    // Custody: 182 days from 1 January end on 2 July, 49 days later: 20 August.
    assert.deepEqual([april21.custody.open, april21.custody.breached], [1, 0]);
    assert.equal((await figures('2026-08-20T18:59:00Z')).custody.breached, 0);
    assert.equal((await figures('2026-08-20T19:00:00Z')).custody.breached, 1);
  });
});

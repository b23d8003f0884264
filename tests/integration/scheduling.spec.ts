/**
 * Scheduling hearings over the real API: the rules (another court's hall or staff, a past time,
 * a stranger to the case, a taken hall, judge or secretary), moving and cancelling with the
 * notices each change puts in the outbox, and who may do it. Notifications are off here (the
 * demo setting): every notice is recorded as skipped; sending is tested in notifications.spec.ts.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { fromZonedTime } from '../../server/src/shared/court-time.ts';
import { courtDate, demoCase, type DemoCase } from '../helpers/scheduling.ts';
import { ApiClient, startTestServer, type TestServer } from '../helpers/server.ts';
import { sqlOf } from '../helpers/sql.ts';

type Notice = { kind: string; channel: string; recipient: string; status: string; lastError: string | null };
type Summons = { participantId: string; role: string; withdrawnAt: string | null; contacts?: { email: string | null; phone: string | null }; notices?: Notice[] };

describe('scheduling hearings', () => {
  let server: TestServer;
  let office: ApiClient;
  let demo: DemoCase;
  /** A second court, with its own hall, judge and secretary, and a case with one participant. */
  const other = { hallId: crypto.randomUUID(), judgeId: crypto.randomUUID(), secretaryId: crypto.randomUUID(), participantId: crypto.randomUUID() };
  const day = courtDate(30);

  before(async () => {
    server = await startTestServer();
    office = new ApiClient(server.url);
    await office.login('office');
    demo = await demoCase(office);
    await addAnotherCourt(server, other);
  });
  after(async () => {
    await server.close();
  });

  /** A complete schedule of the demo case, which each test varies. */
  const form = (overrides: Record<string, unknown> = {}) => ({
    hallId: demo.hall('2'),
    date: day,
    time: '10:00',
    presidingJudgeId: demo.judgeId,
    secretaryId: demo.secretaryId,
    closed: false,
    participantIds: [demo.participant('victim'), demo.participant('witness'), demo.participant('defender')],
    ...overrides,
  });
  const schedule = (client: ApiClient, overrides: Record<string, unknown> = {}) => client.post(`/api/cases/${demo.caseId}/hearings`, form(overrides));
  // A quoted alias: PostgreSQL folds an unquoted one to lower case.
  const audits = (actor: string, action: string) => sqlOf(server).all('select outcome, case_id as "caseId", target from audit_log where actor = ? and action = ? order by id', actor, action);

  test('the office schedules a hearing at 10:00 court time; the summoned and their (skipped) notices are listed', async () => {
    const created = await schedule(office, { durationMinutes: 90 });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const hearing = created.body.hearing;
    const [year, month, dayOfMonth] = day.split('-').map(Number);
    assert.equal(hearing.scheduledAt, fromZonedTime('Asia/Almaty', { year, month, day: dayOfMonth, hour: 10, minute: 0 }).toISOString());
    assert.equal(new Date(hearing.scheduledAt).getUTCHours(), 5, '10:00 in Almaty is 05:00 UTC');
    assert.equal(new Date(hearing.endsAt).getTime() - new Date(hearing.scheduledAt).getTime(), 90 * 60_000);
    assert.equal(hearing.status, 'scheduled');
    assert.equal(hearing.hall.address.ru, 'г. Алматы, ул. Примерная, 1, 3-й этаж');
    assert.equal(hearing.secretary.fullName, 'Жумабекова Айгерим Кайратовна');
    assert.deepEqual(
      hearing.history.map((h: { action: string; by: string }) => [h.action, h.by]),
      [['scheduled', 'Омарова Динара Ерлановна']],
    );

    // One notice per contact: the victim's e-mail (in Kazakh), the witness's phone, the lawyer's account e-mail.
    const byRole = Object.fromEntries(hearing.summons.map((s: Summons) => [s.role, s]));
    assert.deepEqual(Object.keys(byRole).sort(), ['defender', 'victim', 'witness']);
    assert.deepEqual(byRole.victim.contacts, { email: 'victim@ezal.test', phone: null });
    const notices = (role: string) => byRole[role].notices.map((n: Notice) => [n.kind, n.channel, n.recipient, n.status, n.lastError]);
    assert.deepEqual(notices('victim'), [['hearing.scheduled', 'email', 'victim@ezal.test', 'skipped', 'channel_off']]);
    assert.deepEqual(notices('witness'), [['hearing.scheduled', 'sms', '+77017654321', 'skipped', 'channel_off']]);
    assert.deepEqual(notices('defender'), [['hearing.scheduled', 'email', 'defender@ezal.test', 'skipped', 'channel_off']]);
    const victimText = await sqlOf(server).one("select locale, subject from notification_outbox where recipient = 'victim@ezal.test'");
    assert.deepEqual(victimText, { locale: 'kk', subject: '№ 7511-26-00-1/245 іс бойынша сот отырысына шақыру' });

    const list = await office.get(`/api/cases/${demo.caseId}/hearings`);
    assert.equal(list.body.canSchedule, true);
    assert.equal(list.body.timeZone, 'Asia/Almaty');
    assert.ok(list.body.hearings.some((h: { id: string }) => h.id === hearing.id));
    assert.deepEqual(await audits('office', 'hearing.schedule'), [{ outcome: 'allowed', caseId: demo.caseId, target: hearing.id }]);
  });

  test('each bad schedule is refused with its own code, and nothing is written', async () => {
    const hearingsBefore = await sqlOf(server).one('select count(*) as n from hearings');
    const refusals: [string, Record<string, unknown>][] = [
      ['hall_not_in_court', { hallId: other.hallId }],
      ['hall_not_in_court', { hallId: 'no-such-hall' }],
      ['judge_not_in_court', { presidingJudgeId: other.judgeId }],
      ['judge_not_in_court', { presidingJudgeId: demo.secretaryId }],
      ['secretary_not_in_court', { secretaryId: other.secretaryId }],
      ['hearing_in_past', { date: courtDate(-1) }],
      ['participant_not_in_case', { participantIds: [demo.participant('victim'), other.participantId] }],
      ['invalid_request', { date: '2027-02-30' }],
      ['invalid_request', { time: '24:00' }],
      ['invalid_request', { time: '10:00', durationMinutes: 5 }],
      ['invalid_request', { hallId: undefined }],
    ];
    for (const [code, overrides] of refusals) {
      const response = await schedule(office, overrides);
      assert.equal(response.body.error?.code, code, `${JSON.stringify(overrides)} → ${JSON.stringify(response.body)}`);
      assert.equal(response.status, code === 'invalid_request' ? 400 : 422);
    }
    const strangers = await schedule(office, { participantIds: [other.participantId] });
    assert.deepEqual(strangers.body.error.details, { participantIds: [other.participantId] });
    assert.deepEqual(await sqlOf(server).one('select count(*) as n from hearings'), hearingsBefore);
  });

  test('a hall, a judge or a secretary is taken for the length of a booking, and free from its end', async () => {
    const date = courtDate(31);
    const first = await schedule(office, { date, time: '10:00', hallId: demo.hall('1') }); // books 10:00–12:00 (the default)
    assert.equal(first.status, 201);

    const hall = await schedule(office, { date, time: '11:30', hallId: demo.hall('1'), presidingJudgeId: demo.judge2Id, secretaryId: other.secretaryId });
    assert.equal(hall.body.error?.code, 'secretary_not_in_court', 'staff are checked before bookings');
    const busy = await schedule(office, { date, time: '11:30', hallId: demo.hall('1'), presidingJudgeId: demo.judge2Id });
    assert.equal(busy.status, 409);
    assert.equal(busy.body.error.code, 'hall_busy');
    assert.deepEqual(busy.body.error.details, { from: first.body.hearing.scheduledAt, to: first.body.hearing.endsAt });

    const judge = await schedule(office, { date, time: '09:00', hallId: demo.hall('2') }); // the same judge, 09:00–11:00
    assert.equal(judge.body.error?.code, 'judge_busy');
    const secretary = await schedule(office, { date, time: '09:00', hallId: demo.hall('2'), presidingJudgeId: demo.judge2Id });
    assert.equal(secretary.body.error?.code, 'secretary_busy');

    const atTheEnd = await schedule(office, { date, time: '12:00', hallId: demo.hall('1') });
    assert.equal(atTheEnd.status, 201, 'a booking may start when the previous one ends');
  });

  test('of several clerks booking the same hall at once, exactly one gets it', async () => {
    const clerks = await Promise.all(
      [0, 1, 2, 3].map(async () => {
        const clerk = new ApiClient(server.url);
        await clerk.login('office');
        return clerk;
      }),
    );
    const date = courtDate(38);
    const answers = await Promise.all(clerks.map((clerk) => schedule(clerk, { date, time: '14:00', hallId: demo.hall('1'), participantIds: [] })));
    assert.deepEqual(answers.map((a) => a.status).sort(), [201, 409, 409, 409]);
    const booked = await sqlOf(server).one(
      "select count(*) as n from hearings where hall_id = ? and status = 'scheduled' and scheduled_at = ?",
      demo.hall('1'),
      new Date(answers.find((a) => a.status === 201)!.body.hearing.scheduledAt),
    );
    assert.deepEqual(booked, { n: 1 });
  });

  test('moving a hearing tells the summoned of the new time; those added are summoned, those left out are told', async () => {
    const created = await schedule(office, { date: courtDate(32), participantIds: [demo.participant('victim'), demo.participant('witness')] });
    const id = created.body.hearing.id;
    const moved = await office.patch(`/api/hearings/${id}`, {
      time: '15:30',
      participantIds: [demo.participant('victim'), demo.participant('defendant')],
    });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    const hearing = moved.body.hearing;
    assert.equal(new Date(hearing.scheduledAt).getTime() - new Date(created.body.hearing.scheduledAt).getTime(), 5.5 * 3600_000, 'same day, 15:30');
    const byRole = Object.fromEntries(hearing.summons.map((s: Summons) => [s.role, s]));
    const kinds = (role: string) => byRole[role].notices.map((n: Notice) => n.kind);
    assert.deepEqual(kinds('victim'), ['hearing.scheduled', 'hearing.rescheduled']);
    assert.deepEqual(kinds('defendant'), ['hearing.scheduled']);
    assert.deepEqual(kinds('witness'), ['hearing.scheduled', 'summons.withdrawn']);
    assert.ok(byRole.witness.withdrawnAt, 'the witness is no longer summoned');
    assert.equal(byRole.victim.withdrawnAt, null);

    const entry = hearing.history.at(-1);
    assert.equal(entry.action, 'rescheduled');
    assert.deepEqual(Object.keys(entry.changes).sort(), ['participantIds', 'scheduledAt']);

    // Closing the hearing to the public moves nobody: no participant is told anything.
    const before = await sqlOf(server).one('select count(*) as n from notification_outbox');
    const closing = await office.patch(`/api/hearings/${id}`, { closed: true });
    assert.equal(closing.status, 200);
    assert.equal(closing.body.hearing.closed, true);
    assert.deepEqual(await sqlOf(server).one('select count(*) as n from notification_outbox'), before);

    assert.equal((await office.patch(`/api/hearings/${id}`, { date: courtDate(-2) })).body.error?.code, 'hearing_in_past');
    assert.equal((await office.patch(`/api/hearings/${id}`, {})).status, 400, 'a change must change something');
  });

  test('a cancelled hearing frees its hall, tells everyone summoned why, and can no longer be changed', async () => {
    const date = courtDate(33);
    const created = await schedule(office, { date, participantIds: [demo.participant('victim')] });
    const id = created.body.hearing.id;
    const cancelled = await office.delete(`/api/hearings/${id}`, { reason: 'Болезнь судьи' });
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    assert.equal(cancelled.body.hearing.status, 'cancelled');
    assert.deepEqual(
      cancelled.body.hearing.summons[0].notices.map((n: Notice) => n.kind),
      ['hearing.scheduled', 'hearing.cancelled'],
    );
    assert.equal(cancelled.body.hearing.history.at(-1).reason, 'Болезнь судьи');
    const body = (await sqlOf(server).one<{ body: string }>("select body from notification_outbox where kind = 'hearing.cancelled' and hearing_id = ?", id))!;
    assert.match(body.body, /Себебі: Болезнь судьи/, 'the victim is told in Kazakh, with the reason');

    assert.equal((await schedule(office, { date })).status, 201, 'the hall is free again');
    const again = await office.patch(`/api/hearings/${id}`, { time: '16:00' });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'hearing_not_scheduled');
    assert.equal((await office.delete(`/api/hearings/${id}`)).body.error?.code, 'hearing_not_scheduled');
    assert.equal((await office.delete('/api/hearings/no-such-hearing')).status, 404);
  });

  test('the case judge schedules; the lawyer, the secretary and judge2 (of no part in it) may not, and are audited', async () => {
    const judge = new ApiClient(server.url);
    await judge.login('judge');
    assert.equal((await schedule(judge, { date: courtDate(35) })).status, 201);

    const lawyer = new ApiClient(server.url);
    await lawyer.login('defender');
    const refused = await schedule(lawyer, { date: courtDate(36) });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'forbidden');
    assert.deepEqual(await audits('defender', 'hearing.schedule'), [{ outcome: 'denied', caseId: demo.caseId, target: null }]);
    assert.equal((await lawyer.get(`/api/cases/${demo.caseId}/hearing-options`)).status, 403);

    // The lawyer sees the schedule and who is summoned, but not their contacts or notices.
    const seen = await lawyer.get(`/api/cases/${demo.caseId}/hearings`);
    assert.equal(seen.status, 200);
    assert.equal(seen.body.canSchedule, false);
    const summons = seen.body.hearings.flatMap((h: { summons: Summons[] }) => h.summons);
    assert.ok(summons.length > 0);
    assert.ok(summons.every((s: Summons) => s.contacts === undefined && s.notices === undefined));
    assert.equal(JSON.stringify(seen.body).includes('victim@ezal.test'), false);

    const secretary = new ApiClient(server.url);
    await secretary.login('secretary');
    assert.equal((await schedule(secretary, { date: courtDate(36) })).status, 403);

    // judge2 is a judge of the same court, but not of this case.
    const stranger = new ApiClient(server.url);
    await stranger.login('judge2');
    const noAccess = await schedule(stranger, { date: courtDate(36) });
    assert.equal(noAccess.status, 403);
    assert.equal(noAccess.body.error.code, 'forbidden');
    assert.deepEqual(await audits('judge2', 'hearing.schedule'), [{ outcome: 'denied', caseId: demo.caseId, target: null }]);
    assert.equal((await stranger.get(`/api/cases/${demo.caseId}/hearings`)).status, 403);
    const hearingId = (await office.get(`/api/cases/${demo.caseId}/hearings`)).body.hearings.find((h: { status: string }) => h.status === 'scheduled').id;
    assert.equal((await stranger.patch(`/api/hearings/${hearingId}`, { time: '09:00' })).status, 403);
    assert.equal((await stranger.delete(`/api/hearings/${hearingId}`)).status, 403);
  });

  test('a judge presiding for the first time becomes staff of the case and may then open it', async () => {
    const judge2 = new ApiClient(server.url);
    await judge2.login('judge2');
    assert.equal((await judge2.get(`/api/cases/${demo.caseId}`)).status, 403);
    const created = await schedule(office, { date: courtDate(34), presidingJudgeId: demo.judge2Id });
    assert.equal(created.status, 201);
    assert.equal((await judge2.get(`/api/cases/${demo.caseId}`)).status, 200);
  });

  test('writes need the session and its CSRF token', async () => {
    const anonymous = new ApiClient(server.url);
    assert.equal((await schedule(anonymous)).status, 401);
    const noToken = new ApiClient(server.url);
    await noToken.login('office');
    noToken.csrfToken = undefined;
    const refused = await schedule(noToken, { date: courtDate(37) });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'csrf_invalid');
  });

  test('a closed case takes no new hearing', async () => {
    await sqlOf(server).run("update cases set status = 'closed' where id = ?", demo.caseId);
    try {
      const refused = await schedule(office, { date: courtDate(40) });
      assert.equal(refused.status, 409);
      assert.equal(refused.body.error.code, 'case_closed');
    } finally {
      await sqlOf(server).run("update cases set status = 'received' where id = ?", demo.caseId);
    }
  });

  test('the halls of the user’s court, for the form', async () => {
    const { body } = await office.get('/api/halls');
    assert.deepEqual(
      body.halls.map((h: { code: string; name: { kk: string } }) => [h.code, h.name.kk]),
      [
        ['1', '№ 1 сот отырысы залы'],
        ['2', '№ 2 сот отырысы залы'],
      ],
    );
  });
});

/** Another court with a hall, a judge, a secretary and a case of its own (one participant). */
async function addAnotherCourt(server: TestServer, ids: { hallId: string; judgeId: string; secretaryId: string; participantId: string }) {
  // The server's own tables and builders, so the same rows are written on SQLite and PostgreSQL.
  const database = server.db;
  const { cases, caseParticipants, courts, halls, userRoles, users } = database.tables;
  const courtId = crypto.randomUUID();
  const caseId = crypto.randomUUID();
  await database.transaction(async () => {
    await database.db.insert(courts).values({ id: courtId, code: '1990', nameKk: 'Астана соты', nameRu: 'Суд Астаны', nameEn: 'Astana court' });
    await database.db.insert(halls).values({ id: ids.hallId, courtId, code: '1', nameKk: '№ 1 зал', nameRu: 'Зал № 1', nameEn: 'Courtroom 1' });
    for (const [id, role, username] of [
      [ids.judgeId, 'judge', 'astana.judge'],
      [ids.secretaryId, 'secretary', 'astana.secretary'],
    ] as const) {
      await database.db.insert(users).values({ id, username, passwordHash: 'x', fullName: username, courtId });
      await database.db.insert(userRoles).values({ userId: id, role });
    }
    await database.db
      .insert(cases)
      .values({ id: caseId, courtId, caseNumber: '1990-26-00-1/1', category: 'crime', language: 'ru', summaryKk: '-', summaryRu: '-', summaryEn: '-', qualification: [], receivedAt: new Date() });
    await database.db.insert(caseParticipants).values({ id: ids.participantId, caseId, role: 'witness', fullName: 'Свидетель другого дела' });
  });
}

/**
 * Summonses leave the court: a real SMTP server on loopback (smtp-server, with a login) receives
 * the e-mails and a local HTTP server plays the SMS gateway. Also: a mail server that is down
 * and then up, and a server stopped with notices still unsent.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDb } from '../../db/database.ts';
import { courtDate, demoCase, type DemoCase } from '../helpers/scheduling.ts';
import { ApiClient, startTestServer, testDatabaseUrl, type TestServer } from '../helpers/server.ts';
import { sqlOf } from '../helpers/sql.ts';
import { SmsGateway } from '../helpers/sms-gateway.ts';
import { SmtpSink } from '../helpers/smtp-sink.ts';

type Notice = { channel: string; recipient: string; status: string; attempts: number; lastError: string | null };
type HearingBody = { id: string; summons: { role: string; notices: Notice[] }[] };

const SENDER = 'Алматы соты <no-reply@court.test>';

function mailEnv(sink: { port: number; user: string; pass: string }, extra: Record<string, string> = {}): Record<string, string> {
  return { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(sink.port), SMTP_USER: sink.user, SMTP_PASS: sink.pass, SMTP_FROM: SENDER, ...extra };
}

/** Polls the case's hearings until `done` holds for the hearing's notices (the dispatcher works on its own). */
async function noticesOf(client: ApiClient, caseId: string, hearingId: string, done: (notices: Notice[]) => boolean, timeoutMs = 30_000): Promise<Notice[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await client.get(`/api/cases/${caseId}/hearings`);
    const hearing = body.hearings.find((h: HearingBody) => h.id === hearingId) as HearingBody;
    const notices = hearing.summons.flatMap((s) => s.notices);
    if (done(notices)) return notices;
    if (Date.now() > deadline) throw new Error(`notices did not settle: ${JSON.stringify(notices)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('summonses by e-mail and SMS', () => {
  let sink: SmtpSink;
  let gateway: SmsGateway;
  let server: TestServer;
  let office: ApiClient;
  let demo: DemoCase;

  before(async () => {
    sink = await new SmtpSink().listen();
    gateway = await new SmsGateway().listen();
    server = await startTestServer(mailEnv(sink, { SMS_GATEWAY_URL: gateway.url, SMS_GATEWAY_TOKEN: 'gateway-token', NOTIFY_RETRY_BASE_SECONDS: '1' }));
    office = new ApiClient(server.url);
    await office.login('office');
    demo = await demoCase(office);
  });
  after(async () => {
    await server.close();
    await gateway.close();
    await sink.close();
  });

  test('the victim gets a summons in Kazakh, the lawyer in Russian, the witness an SMS', async () => {
    const date = courtDate(20);
    const created = await office.post(`/api/cases/${demo.caseId}/hearings`, {
      hallId: demo.hall('1'),
      date,
      time: '14:30',
      presidingJudgeId: demo.judgeId,
      secretaryId: demo.secretaryId,
      closed: true,
      participantIds: [demo.participant('victim'), demo.participant('defender'), demo.participant('witness')],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const [year, month, day] = date.split('-');

    // The victim's language in the case file is Kazakh.
    const victim = await sink.mailTo('victim@ezal.test');
    assert.equal(victim.from, 'no-reply@court.test');
    assert.equal(victim.headers.from, SENDER);
    assert.equal(victim.subject, '№ 7511-26-00-1/245 іс бойынша сот отырысына шақыру');
    assert.match(victim.text, /^Құрметті Касымова Алия Нурлановна!/);
    assert.match(victim.text, /Сіз № 7511-26-00-1\/245 қылмыстық іс бойынша сот отырысына шақырыласыз\./);
    assert.match(victim.text, new RegExp(`Күні мен уақыты: ${year} жылғы ${Number(day)} \\S+ \\(\\S+\\), 14:30 \\(жергілікті уақыт\\)`));
    assert.match(victim.text, /Сот: Алматы қаласының қылмыстық істер жөніндегі мамандандырылған ауданаралық соты/);
    assert.match(victim.text, /Өтетін орны: № 1 сот отырысы залы\nМекенжайы: Алматы қ\., Примерная к-сі, 1, 2-қабат/);
    assert.match(victim.text, /Процестік мәртебеңіз: жәбірленуші/);
    assert.match(victim.text, /Сот отырысы жабық өткізіледі\./);

    // The lawyer has no language in the case file; his account's is Russian.
    const lawyer = await sink.mailTo('defender@ezal.test');
    assert.equal(lawyer.subject, 'Вызов в судебное заседание по делу № 7511-26-00-1/245');
    assert.match(lawyer.text, /^Уважаемый\(-ая\) Ким Виктор Александрович!/);
    assert.match(lawyer.text, /Адрес: г\. Алматы, ул\. Примерная, 1, 2-й этаж/);
    assert.match(lawyer.text, /Ваш процессуальный статус: защитник/);
    assert.match(lawyer.text, new RegExp(`Дата и время: ${Number(day)} \\S+ ${year} г\\. \\(\\S+\\), 14:30`));

    // The witness has only a phone; the case is in Russian.
    const [sms] = await gateway.messagesTo('+77017654321');
    assert.equal(sms.headers.authorization, 'Bearer gateway-token');
    assert.equal(sms.headers['idempotency-key'], sms.body.reference);
    assert.equal(
      sms.body.text,
      `Вызов в суд: дело № 7511-26-00-1/245, ${day}.${month}.${year} 14:30, Зал судебных заседаний № 1, г. Алматы, ул. Примерная, 1, 2-й этаж. ` +
        'Ваш статус: свидетель. Специализированный межрайонный суд по уголовным делам города Алматы',
    );

    // The case page says each was sent, once.
    const notices = await noticesOf(office, demo.caseId, created.body.hearing.id, (all) => all.every((n) => n.status === 'sent'));
    assert.deepEqual(notices.map((n) => [n.channel, n.recipient, n.attempts]).sort(), [
      ['email', 'defender@ezal.test', 1],
      ['email', 'victim@ezal.test', 1],
      ['sms', '+77017654321', 1],
    ]);
  });

  test('a busy gateway is retried; a mailbox the server refuses for good is not', async () => {
    sink.refuse.add('defendant@ezal.test');
    await sqlOf(server).run("update case_participants set email = 'defendant@ezal.test' where role = 'defendant'");
    gateway.answers.push(503);
    const created = await office.post(`/api/cases/${demo.caseId}/hearings`, {
      hallId: demo.hall('2'),
      date: courtDate(21),
      time: '09:00',
      presidingJudgeId: demo.judgeId,
      secretaryId: demo.secretaryId,
      closed: false,
      participantIds: [demo.participant('defendant')],
    });
    assert.equal(created.status, 201);
    const notices = await noticesOf(office, demo.caseId, created.body.hearing.id, (all) => all.every((n) => n.status !== 'pending'));
    const email = notices.find((n) => n.channel === 'email')!;
    const sms = notices.find((n) => n.channel === 'sms')!;
    assert.equal(email.status, 'failed');
    assert.equal(email.attempts, 1, 'a 550 is not retried');
    assert.match(email.lastError ?? '', /550/);
    assert.equal(sms.status, 'sent');
    assert.equal(sms.attempts, 2, 'the 503 was retried');
    assert.equal((await gateway.messagesTo('+77011234567', 2)).length, 2);
  });
});

describe('summonses survive a mail server that is down, and a server that stops', () => {
  test('mail waits while the SMTP server is down and goes out once it is up', async () => {
    // Take a free port for the mail server, and keep it closed for now.
    const probe = await new SmtpSink().listen();
    const port = probe.port;
    await probe.close();
    const server = await startTestServer(mailEnv({ port, user: 'court-mailer', pass: 'mail-secret' }, { NOTIFY_RETRY_BASE_SECONDS: '1' }));
    const sink = new SmtpSink();
    try {
      const office = new ApiClient(server.url);
      await office.login('office');
      const demo = await demoCase(office);
      const created = await office.post(`/api/cases/${demo.caseId}/hearings`, {
        hallId: demo.hall('2'),
        date: courtDate(22),
        time: '11:00',
        presidingJudgeId: demo.judgeId,
        secretaryId: demo.secretaryId,
        closed: false,
        participantIds: [demo.participant('victim')],
      });
      assert.equal(created.status, 201);
      const hearingId = created.body.hearing.id;

      const [failed] = await noticesOf(office, demo.caseId, hearingId, ([n]) => n.attempts >= 1);
      assert.equal(failed.status, 'pending', 'a refused connection is retried');
      assert.match(failed.lastError ?? '', /ECONNREFUSED/);

      await sink.listen(port);
      const mail = await sink.mailTo('victim@ezal.test');
      assert.equal(mail.subject, '№ 7511-26-00-1/245 іс бойынша сот отырысына шақыру');
      const [sent] = await noticesOf(office, demo.caseId, hearingId, ([n]) => n.status === 'sent');
      assert.ok(sent.attempts >= 2);
      assert.equal(sink.messages.length, 1, 'sent once');
    } finally {
      await server.close();
      await sink.close();
    }
  });

  test('a notice still unsent when the server stops goes out after the next start', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-notify-'));
    const sink = await new SmtpSink().listen();
    const unreachable = await new SmtpSink().listen();
    await unreachable.close();
    try {
      // First run: the mail server cannot be reached; the first attempt fails and the next one is
      // an hour away when the server stops.
      const first = await startTestServer(mailEnv({ port: unreachable.port, user: sink.user, pass: sink.pass }, { DATA_DIR: dataDir, NOTIFY_RETRY_BASE_SECONDS: '3600' }));
      let hearingId: string;
      let caseId: string;
      try {
        const office = new ApiClient(first.url);
        await office.login('office');
        const demo = await demoCase(office);
        caseId = demo.caseId;
        const created = await office.post(`/api/cases/${demo.caseId}/hearings`, {
          hallId: demo.hall('2'),
          date: courtDate(23),
          time: '15:00',
          presidingJudgeId: demo.judgeId,
          secretaryId: demo.secretaryId,
          closed: false,
          participantIds: [demo.participant('defender')],
        });
        hearingId = created.body.hearing.id;
        await noticesOf(office, demo.caseId, hearingId, ([n]) => n.attempts === 1);
      } finally {
        await first.close();
      }
      assert.equal(sink.messages.length, 0);

      // The hour passes while the server is down.
      const database = await openDb({ dataDir, databaseUrl: testDatabaseUrl(dataDir) });
      await sqlOf(database).run("update notification_outbox set next_attempt_at = ? where status = 'pending'", new Date());
      await database.close();

      // Second run, with a mail server that answers: the start itself sends what is due.
      const second = await startTestServer(mailEnv(sink, { DATA_DIR: dataDir }));
      try {
        const mail = await sink.mailTo('defender@ezal.test');
        assert.equal(mail.subject, 'Вызов в судебное заседание по делу № 7511-26-00-1/245');
        const office = new ApiClient(second.url);
        await office.login('office');
        const [notice] = await noticesOf(office, caseId!, hearingId!, ([n]) => n.status === 'sent');
        assert.equal(notice.attempts, 2);
      } finally {
        await second.close();
      }
    } finally {
      await sink.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

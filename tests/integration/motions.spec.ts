/**
 * Electronic motions end to end: a real server, real SQLite, real sockets; the filers
 * sign in "the browser" with the web app's own signing module and key files of a test PKI the
 * court trusts (plus a rogue CA and an expired certificate).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { io as connect } from 'socket.io-client';
import type { HearingMotion } from '../../server/src/shared/hearing/motions/motions.ts';
import type { HearingSocket } from '../../server/src/shared/socket/hearing-follower.ts';
import type { MotionFiledNotice } from '../../server/src/shared/socket/events.ts';
import { TextExtractor } from '../../server/src/case-text/text-extractor.ts';
import { closeAll, dataOf, demoHearing, inStep, seedCaseFile, seedOtherCase, until, workstation, type CaseFile, type DemoHearing, type Workstation } from '../helpers/hall.ts';
import { fileMotion, makeMotionPki, smallPdf, type MotionPki } from '../helpers/motions.ts';
import { ApiClient, startTestServer, type TestServer } from '../helpers/server.ts';
import { sqlOf } from '../helpers/sql.ts';

const DAY = 86_400_000;

describe('electronic motions', () => {
  let server: TestServer;
  let demo: DemoHearing;
  let file: CaseFile;
  let pki: MotionPki;
  let judge: Workstation;
  let prosecutor: Workstation;
  let defender: Workstation;
  let secretary: Workstation;
  const stations = () => [judge, prosecutor, defender, secretary];
  const motionsOf = (s: Workstation): HearingMotion[] => s.follower.replica.state?.motions ?? [];
  const everyoneSees = (check: (motions: HearingMotion[]) => boolean) => until(() => stations().every((s) => check(motionsOf(s))));

  before(async () => {
    const dir = fs.mkdtempSync('/tmp/ezal-motions-pki-');
    pki = await makeMotionPki(dir);
    server = await startTestServer({ ECASE_TRUST_ROOTS: pki.rootFile, MOTION_ATTACHMENT_MAX_MB: '1' });
    demo = await demoHearing(server.db);
    file = await seedCaseFile(server.db, demo.caseId);
    [judge, prosecutor, defender, secretary] = await Promise.all(['judge', 'prosecutor', 'defender', 'secretary'].map((u) => workstation(server.url, u, demo.hearingId)));
    await Promise.all(stations().map((s) => inStep(s)));
    dataOf(await judge.follower.send('hearing:open', {}));
  });

  after(async () => {
    closeAll(stations());
    await server?.close();
  });

  const rowCounts = async () => ({
    motions: (await sqlOf(server).one<{ n: number }>('select count(*) as n from motions'))!.n,
    files: (await sqlOf(server).one<{ n: number }>('select count(*) as n from stored_files'))!.n,
  });

  test('a motion: filed and signed by the defender, seen at once by all, objected to, denied with reasons, then never ruled again', async () => {
    const attachment = await smallPdf('Certificate of employment');
    const filed = await fileMotion(
      defender.api,
      demo.caseId,
      {
        hearingId: demo.hearingId,
        kind: 'motion',
        text: 'Прошу приобщить к делу справку с места работы подсудимого.',
        refs: [{ documentId: file.protocol, sheet: 6 }],
        attachments: [{ fileName: 'spravka.pdf', content: attachment }],
      },
      pki.defender,
    );
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    const receipt = filed.body.receipt;
    assert.match(receipt.receiptNumber, /^M-\d{8}-1$/);
    assert.match(receipt.sha256, /^[0-9a-f]{64}$/);
    assert.equal(receipt.signer.iin, '820919300341');
    assert.equal(receipt.attachments[0].size, attachment.length);

    await everyoneSees((m) => m.length === 1 && m[0].status === 'filed');
    const seen = motionsOf(prosecutor)[0];
    assert.equal(seen.filer.fullName, 'Ким Виктор Александрович');
    assert.equal(seen.receipt.sha256, receipt.sha256);
    assert.deepEqual(seen.refs, [{ documentId: file.protocol, sheet: 6 }]);
    assert.equal(seen.signature.signerIin, '820919300341');

    // The filer has no position on their own motion; the judge none at all.
    assert.equal(errorOf(await defender.follower.send('motion:state-position', { motionId: seen.id, position: 'supports' })), 'invalid_request');
    assert.equal(errorOf(await judge.follower.send('motion:state-position', { motionId: seen.id, position: 'supports' })), 'not_a_party');
    dataOf(await prosecutor.follower.send('motion:state-position', { motionId: seen.id, position: 'objects', text: 'Справка не заверена.' }));
    assert.equal(errorOf(await prosecutor.follower.send('motion:state-position', { motionId: seen.id, position: 'supports' })), 'position_already_stated');
    await everyoneSees((m) => m[0]?.positions.length === 1);
    assert.deepEqual(
      motionsOf(defender)[0].positions.map((p) => [p.role, p.position, p.text]),
      [['prosecutor', 'objects', 'Справка не заверена.']],
    );

    // Only the presiding judge rules.
    for (const s of [defender, prosecutor, secretary]) {
      assert.equal(errorOf(await s.follower.send('motion:rule', { motionId: seen.id, ruling: 'granted', reasons: 'x' })), 'forbidden_action');
    }
    dataOf(await judge.follower.send('motion:rule', { motionId: seen.id, ruling: 'denied', reasons: 'Справка не относится к предмету доказывания.' }));
    await everyoneSees((m) => m[0]?.status === 'denied');
    assert.equal(motionsOf(defender)[0].ruling?.reasons, 'Справка не относится к предмету доказывания.');
    assert.equal(errorOf(await judge.follower.send('motion:rule', { motionId: seen.id, ruling: 'granted', reasons: 'Передумал' })), 'motion_already_ruled');

    // Each step is an entry of the hearing's log, with its time and who took it.
    const log = dataOf(await secretary.follower.history({ types: ['motion.filed', 'motion.position_stated', 'motion.ruled'] }));
    assert.deepEqual(
      log.events.map((e) => [e.type, e.actor.role]),
      [
        ['motion.filed', 'defender'],
        ['motion.position_stated', 'prosecutor'],
        ['motion.ruled', 'presiding_judge'],
      ],
    );
    assert.ok(log.events.every((e) => e.at > 0));

    // The register: status history, filer, signature check, positions, ruling, the hearing.
    const register = await secretary.api.get(`/api/cases/${demo.caseId}/motions`);
    assert.equal(register.status, 200);
    const entry = register.body.motions[0];
    assert.equal(entry.motion.status, 'denied');
    assert.equal(entry.motion.ruledInHearingId, demo.hearingId);
    assert.equal(entry.motion.signatureCheck.signerIin, '820919300341');
    assert.deepEqual(
      entry.history.map((h: { version: number; action: string }) => [h.version, h.action]),
      [
        [1, 'filed'],
        [2, 'position'],
        [3, 'ruled'],
      ],
    );
    assert.equal(entry.attachments[0].pages, 1);
    const pdf = await defender.api.request('GET', `/api/cases/${demo.caseId}/motions/${seen.id}/attachments/1`);
    assert.equal(pdf.status, 200);
  });

  test('a recusal is decided before anything else proceeds', async () => {
    const other = await fileMotion(defender.api, demo.caseId, { hearingId: demo.hearingId, kind: 'motion', text: 'Прошу вызвать свидетеля Петрова.' }, pki.defender);
    assert.equal(other.status, 201);
    const recusal = await fileMotion(prosecutor.api, demo.caseId, { hearingId: demo.hearingId, kind: 'recusal', text: 'Заявляю отвод секретарю судебного заседания.' }, pki.prosecutor);
    assert.equal(recusal.status, 201, JSON.stringify(recusal.body));
    await everyoneSees((m) => m.length === 3);

    assert.equal(errorOf(await judge.follower.send('hearing:move-stage', { to: 'investigation' })), 'recusal_pending');
    assert.equal(errorOf(await judge.follower.send('floor:give', { to: { kind: 'judge' } })), 'recusal_pending');
    assert.equal(errorOf(await judge.follower.send('motion:rule', { motionId: other.body.receipt.motionId, ruling: 'granted', reasons: 'Вызвать' })), 'recusal_pending');
    // A deferred recusal still holds everything up.
    dataOf(await judge.follower.send('motion:rule', { motionId: recusal.body.receipt.motionId, ruling: 'deferred', reasons: 'Выслушать стороны' }));
    assert.equal(errorOf(await judge.follower.send('hearing:move-stage', { to: 'investigation' })), 'recusal_pending');
    dataOf(await defender.follower.send('motion:state-position', { motionId: recusal.body.receipt.motionId, position: 'leaves_to_court' }));
    dataOf(await judge.follower.send('motion:rule', { motionId: recusal.body.receipt.motionId, ruling: 'denied', reasons: 'Оснований для отвода нет.' }));
    dataOf(await judge.follower.send('motion:rule', { motionId: other.body.receipt.motionId, ruling: 'granted', reasons: 'Свидетель будет вызван.' }));
    dataOf(await judge.follower.send('hearing:move-stage', { to: 'investigation' }));
    await everyoneSees((m) => m.every((x) => x.status === 'denied' || x.status === 'granted'));
  });

  test('every bad filing is refused with its code, and nothing of it is stored', async () => {
    const before = await rowCounts();
    const motion = (text = 'Прошу отложить заседание.') => ({ hearingId: demo.hearingId, kind: 'motion' as const, text });
    const codeOf = (answer: { status: number; body: { error?: { code: string } } }) => `${answer.status} ${answer.body.error?.code}`;

    const notPdf = { fileName: 'virus.pdf', content: Buffer.from('MZ\x90\x00 this is no PDF') };
    assert.equal(codeOf(await fileMotion(defender.api, demo.caseId, { ...motion(), attachments: [notPdf] }, pki.defender)), '415 attachment_not_pdf');
    const fakePdf = { fileName: 'broken.pdf', content: Buffer.from('%PDF-1.7\nnot really a pdf') };
    assert.equal(codeOf(await fileMotion(defender.api, demo.caseId, { ...motion(), attachments: [fakePdf] }, pki.defender)), '415 attachment_not_pdf');
    const big = { fileName: 'big.pdf', content: Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(1024 * 1024 + 10)]) };
    assert.equal(codeOf(await fileMotion(defender.api, demo.caseId, { ...motion(), attachments: [big] }, pki.defender)), '413 attachment_too_large');

    assert.equal(codeOf(await fileMotion(defender.api, demo.caseId, motion(), pki.defenderUntrusted)), '422 signature_untrusted');
    // Signed while the certificate was still valid (its signing time says so), filed after it expired.
    assert.equal(codeOf(await fileMotion(defender.api, demo.caseId, motion(), pki.defenderExpired, { now: new Date(Date.now() - 2 * DAY) })), '422 signature_expired');
    // A valid certificate of someone else.
    assert.equal(codeOf(await fileMotion(defender.api, demo.caseId, motion(), pki.prosecutor)), '422 signer_mismatch');
    // A signature over other bytes than the motion sent.
    assert.equal(codeOf(await fileMotion(defender.api, demo.caseId, motion(), pki.defender, { signInstead: 'something else' })), '422 signature_invalid');
    const garbage = await defender.api.post(`/api/cases/${demo.caseId}/motions`, { ...motion(), subtype: null, refs: [], attachments: [], signature: Buffer.from('not a cms').toString('base64') });
    assert.equal(codeOf(garbage), '422 signature_invalid');

    // A reference to a sheet outside the document's own sheets (the protocol is sheets 5–10; a video has none).
    const sheetOf = (documentId: string, sheet: number) => ({ ...motion(), refs: [{ documentId, sheet }] });
    const outside = await fileMotion(defender.api, demo.caseId, sheetOf(file.protocol, 11), pki.defender);
    assert.equal(codeOf(outside), '400 invalid_request');
    assert.match((outside.body as { error: { message: string } }).error.message, /Sheet 11 is not a sheet of document .* \(sheets 5–10\)/);
    assert.equal(codeOf(await fileMotion(defender.api, demo.caseId, sheetOf(file.protocol, 4), pki.defender)), '400 invalid_request');
    assert.equal(codeOf(await fileMotion(defender.api, demo.caseId, sheetOf(file.video, 1), pki.defender)), '400 invalid_request');

    assert.equal(codeOf(await fileMotion(defender.api, demo.caseId, motion('<script>alert(1)</script> Прошу'), pki.defender)), '422 text_unsafe');
    assert.equal(codeOf(await fileMotion(defender.api, demo.caseId, motion('Прошу <img src=x onerror=alert(1)>'), pki.defender)), '422 text_unsafe');

    // Not a party: the secretary (court staff), and a lawyer of another case.
    assert.equal(codeOf(await fileMotion(secretary.api, demo.caseId, motion(), pki.defender)), '403 not_a_party');
    const otherCase = await seedOtherCase(server.db);
    const stranger = new ApiClient(server.url);
    await stranger.login('defender2');
    assert.equal(codeOf(await fileMotion(stranger, demo.caseId, motion(), pki.defender)), '403 forbidden');
    assert.equal(codeOf(await fileMotion(defender.api, otherCase.caseId, motion(), pki.defender)), '403 forbidden');

    assert.deepEqual(await rowCounts(), before);
    const audit = (await sqlOf(server).one<{ n: number }>("select count(*) as n from audit_log where action = 'motion.file' and outcome = 'denied'"))!;
    assert.ok(audit.n >= 1);
  });

  test('filed outside the hall (a motion to take part remotely): a receipt, and the judge and the other party are told', async () => {
    const listen = async (username: string) => {
      const api = new ApiClient(server.url);
      await api.login(username);
      const socket: HearingSocket = connect(server.url, { transports: ['websocket'], extraHeaders: { cookie: api.cookieHeader }, reconnection: false, forceNew: true });
      const notices: MotionFiledNotice[] = [];
      socket.on('motion:filed', (n) => notices.push(n));
      await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
      return { socket, notices };
    };
    const [judgeInbox, prosecutorInbox] = await Promise.all([listen('judge'), listen('prosecutor')]);
    try {
      const filed = await fileMotion(
        defender.api,
        demo.caseId,
        { hearingId: null, kind: 'motion', subtype: 'remote_participation', text: 'Прошу обеспечить участие подзащитного по видеоконференцсвязи из СИЗО.' },
        pki.defender,
      );
      assert.equal(filed.status, 201, JSON.stringify(filed.body));
      await until(() => judgeInbox.notices.length === 1 && prosecutorInbox.notices.length === 1);
      assert.equal(judgeInbox.notices[0].motionId, filed.body.receipt.motionId);
      assert.equal(judgeInbox.notices[0].filerName, 'Ким Виктор Александрович');
      // And by e-mail/SMS through the outbox (this server has neither configured: recorded as skipped).
      const outbox = await sqlOf(server).all<{ channel: string; recipient: string; locale: string; body: string }>(
        "select channel, recipient, locale, body from notification_outbox where kind = 'motion.filed' order by recipient",
      );
      assert.deepEqual(
        outbox.map((n) => [n.channel, n.recipient, n.locale]),
        [
          ['sms', '+77011234567', 'ru'],
          ['email', 'judge@ezal.test', 'ru'],
          ['email', 'prosecutor@ezal.test', 'ru'],
          ['email', 'victim@ezal.test', 'kk'],
        ],
      );
      assert.match(outbox.find((n) => n.locale === 'kk')!.body, /№ 7511-26-00-1\/245 іс бойынша Ким Виктор Александрович № \d+ өтінішхат \(бейнеконференция/);
      // Not a hearing event: the hall's motions are unchanged.
      assert.ok(motionsOf(judge).every((m) => m.id !== filed.body.receipt.motionId));
      // The judge takes it up in the hearing; it is then heard and ruled on like any other.
      const motionId = filed.body.receipt.motionId;
      assert.equal((await prosecutor.api.post(`/api/hearings/${demo.hearingId}/motions/${motionId}/take-up`)).body.error.code, 'forbidden_action');
      const takenUp = await judge.api.post(`/api/hearings/${demo.hearingId}/motions/${motionId}/take-up`);
      assert.equal(takenUp.status, 200, JSON.stringify(takenUp.body));
      await everyoneSees((m) => m.some((x) => x.id === motionId && x.subtype === 'remote_participation'));
      assert.equal((await judge.api.post(`/api/hearings/${demo.hearingId}/motions/${motionId}/take-up`)).body.error.code, 'invalid_transition');
      dataOf(await prosecutor.follower.send('motion:state-position', { motionId, position: 'leaves_to_court' }));
      dataOf(await judge.follower.send('motion:rule', { motionId, ruling: 'granted', reasons: 'Участие обеспечить по ВКС.' }));
      await everyoneSees((m) => m.find((x) => x.id === motionId)?.status === 'granted');
      const register = await defender.api.get(`/api/cases/${demo.caseId}/motions`);
      const entry = register.body.motions.find((e: { motion: { id: string } }) => e.motion.id === motionId);
      assert.deepEqual(
        entry.history.map((h: { action: string; hearingId: string | null }) => [h.action, h.hearingId]),
        [
          ['filed', null],
          ['taken_up', demo.hearingId],
          ['position', demo.hearingId],
          ['ruled', demo.hearingId],
        ],
      );
      assert.equal(register.body.canFile, true);
      assert.equal((await secretary.api.get(`/api/cases/${demo.caseId}/motions`)).body.canFile, false);

      // A remote-participation request is a motion, not a recusal.
      const wrong = await fileMotion(defender.api, demo.caseId, { hearingId: null, kind: 'recusal', subtype: 'remote_participation', text: 'x' }, pki.defender);
      assert.equal(wrong.status, 400);
    } finally {
      judgeInbox.socket.disconnect();
      prosecutorInbox.socket.disconnect();
    }
  });

  test('the register as a PDF, in Russian and in Kazakh, with the typed text as text', async () => {
    const extractor = new TextExtractor();
    try {
      const ru = await judge.api.request('GET', `/api/cases/${demo.caseId}/motions/register.pdf?lang=ru`);
      assert.equal(ru.status, 200);
      const again = await judge.api.request('GET', `/api/cases/${demo.caseId}/motions/register.pdf?lang=ru`);
      assert.equal(again.body, ru.body, 'the same data gives the same PDF');
      const ruText = (await extractor.extract(await pdfBytes(judge.api, `/api/cases/${demo.caseId}/motions/register.pdf?lang=ru`))).join('\n');
      assert.match(ruText, /Реестр ходатайств/);
      assert.match(ruText, /решение: отказано — Справка не относится к предмету/);
      assert.match(ruText, /Сапаров Ерлан Маратович \(прокурор\)/);
      // The first motion's reference to the case file, with the volume, the sheet and the document's title.
      assert.match(ruText, /Ссылки на материалы дела: т\. 1, л\. 6 — Протокол осмотра места происшествия/);
      assert.match(ruText, /стр\. 1 из \d/);
      const kkText = (await extractor.extract(await pdfBytes(judge.api, `/api/cases/${demo.caseId}/motions/register.pdf?lang=kk`))).join('\n');
      assert.match(kkText, /Өтінішхаттар тізілімі/);
      assert.match(kkText, /қанағаттандырудан бас тартылды/);
      assert.match(kkText, /Іс материалдарына сілтемелер: 1-т\., 6-п\. — Протокол осмотра места происшествия/);
      assert.match(kkText, /бет 1 \/ \d/);
    } finally {
      await extractor.close();
    }
  });
});

function errorOf(answer: { data: unknown } | { error: { code: string } }): string {
  return 'error' in answer ? answer.error.code : 'ok';
}

async function pdfBytes(api: ApiClient, url: string): Promise<Uint8Array> {
  const response = await fetch(api.baseUrl + url, { headers: { cookie: api.cookieHeader } });
  return new Uint8Array(await response.arrayBuffer());
}

/**
 * Parties who are people file motions (issues 5 and 6), against the real server (SQLite, HTTP,
 * socket.io): the demo defendant logs in and files before the hearing from the case page; an
 * account linked to a witness is refused; a remote defendant admitted to the hearing files from the
 * /join page and the judge's workstation sees the motion; a remote participant still in the lobby,
 * a remote witness and a certificate of someone else are refused. Signatures are made with the web
 * app's own signing module and key files of a test PKI the court trusts.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { io as connect, type Socket } from 'socket.io-client';
import type { HearingMotion } from '../../server/src/shared/hearing/motions/motions.ts';
import { closeAll, dataOf, demoHearing, inStep, until, workstation, type DemoHearing, type Workstation } from '../helpers/hall.ts';
import { fileMotion, fileRemoteMotion, IIN, makeMotionPki, type MotionPki } from '../helpers/motions.ts';
import { ApiClient, startTestServer, type TestServer } from '../helpers/server.ts';
import { sqlOf } from '../helpers/sql.ts';

type Answer<T = any> = { data: T } | { error: { code: string; message: string } };

function request<T = any>(socket: Socket, event: string, payload: unknown = {}): Promise<Answer<T>> {
  return socket.timeout(20_000).emitWithAck(event, payload);
}

describe('parties who are people file motions', () => {
  let server: TestServer;
  let pki: MotionPki;
  let demo: DemoHearing;
  let judge: Workstation;
  let secretary: ApiClient;
  const sockets: Socket[] = [];
  const motionsSeenByJudge = (): HearingMotion[] => judge.follower.replica.state?.motions ?? [];

  before(async () => {
    pki = await makeMotionPki(fs.mkdtempSync('/tmp/ezal-party-pki-'));
    server = await startTestServer({ ECASE_TRUST_ROOTS: pki.rootFile });
    demo = await demoHearing(server.db);
    secretary = new ApiClient(server.url);
    await secretary.login('secretary');
    judge = await workstation(server.url, 'judge', demo.hearingId);
    await inStep(judge);
  });

  after(async () => {
    for (const s of sockets) s.disconnect();
    closeAll([judge]);
    await server?.close();
  });

  /** Invites a participant, opens their /join page (cookie + /remote socket) and arrives in the lobby. */
  async function remoteInLobby(participantId: string): Promise<{ api: ApiClient; socket: Socket }> {
    const invited = await secretary.post(`/api/hearings/${demo.hearingId}/invitations`, { participantId });
    assert.equal(invited.status, 201, JSON.stringify(invited.body));
    const api = new ApiClient(server.url);
    const joined = await api.post('/api/join', { token: (invited.body.invitation.link as string).split('/join/')[1] });
    assert.equal(joined.status, 200, JSON.stringify(joined.body));
    const socket = connect(server.url + '/remote', { transports: ['websocket'], extraHeaders: { cookie: api.cookieHeader }, reconnection: false, forceNew: true });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    dataOf(await request(socket, 'remote:arrive'));
    await until(() => judge.follower.replica.state?.remote?.[participantId]?.status === 'lobby');
    return { api, socket };
  }

  async function admit(participantId: string): Promise<void> {
    dataOf(await request(judge.socket as unknown as Socket, 'remote:admit', { hearingId: demo.hearingId, participantId }));
    await until(() => judge.follower.replica.state?.remote?.[participantId]?.status === 'live');
  }

  test('the demo defendant logs in, sees their case and its register, files a motion before the hearing, and is kept out of staff pages', async () => {
    const defendant = new ApiClient(server.url);
    const login = await defendant.login('defendant');
    assert.deepEqual(login.user.roles, [], 'a party who is a person has no staff role');
    const cases = await defendant.get('/api/cases');
    assert.deepEqual(
      cases.body.cases.map((c: { id: string }) => c.id),
      [demo.caseId],
    );
    const register = await defendant.get(`/api/cases/${demo.caseId}/motions`);
    assert.equal(register.status, 200);
    assert.equal(register.body.canFile, true);

    const filed = await fileMotion(defendant, demo.caseId, { hearingId: null, kind: 'motion', text: 'Прошу вызвать в суд свидетеля Сидорова.' }, pki.defendant);
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    assert.equal(filed.body.receipt.signer.iin, IIN.defendant);
    const after = await defendant.get(`/api/cases/${demo.caseId}/motions`);
    assert.equal(after.body.motions.length, 1);
    assert.equal(after.body.motions[0].motion.filerName, 'Иванов Петр Сергеевич');

    // The victim's key is not the defendant's.
    const foreign = await fileMotion(defendant, demo.caseId, { hearingId: null, kind: 'motion', text: 'Чужой ключ.' }, pki.victim);
    assert.equal(foreign.body.error?.code, 'signer_mismatch');

    assert.equal((await defendant.get('/api/situation')).status, 403, 'the situation centre is for the court');
    const socket = connect(server.url, { transports: ['websocket'], extraHeaders: { cookie: defendant.cookieHeader }, reconnection: false, forceNew: true });
    sockets.push(socket);
    const joined = await request(socket, 'hearing:join', { hearingId: demo.hearingId });
    assert.equal('error' in joined && joined.error.code, 'forbidden', 'the hall workstation is for the court and the lawyers');
  });

  test('an account linked to a witness reads the case but is refused filing: not_a_party', async () => {
    const sql = sqlOf(server);
    const judgeRow = (await sql.one<{ password_hash: string; court_id: string }>("select password_hash, court_id from users where username = 'judge'"))!;
    const witnessUser = crypto.randomUUID();
    await sql.run(
      "insert into users (id, username, password_hash, full_name, iin, locale, court_id, active, created_at) values (?, 'witness', ?, 'Петров Андрей Викторович', '910101300456', 'ru', ?, ?, ?)",
      witnessUser,
      judgeRow.password_hash,
      judgeRow.court_id,
      true,
      new Date(),
    );
    await sql.run('update case_participants set user_id = ? where id = ?', witnessUser, demo.participants.witness);
    const witness = new ApiClient(server.url);
    await witness.login('witness');
    assert.equal((await witness.get(`/api/cases/${demo.caseId}/motions`)).body.canFile, false);
    const refused = await fileMotion(witness, demo.caseId, { hearingId: null, kind: 'motion', text: 'Ходатайство свидетеля.' }, pki.defendant);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'not_a_party');
    const motions = (await sql.one<{ n: number }>('select count(*) as n from motions where filer_participant_id = ?', demo.participants.witness))!;
    assert.equal(motions.n, 0);
  });

  test('a remote defendant, admitted, files in the hearing from the join page and the judge sees it; in the lobby or with a foreign key they are refused', async () => {
    dataOf(await judge.follower.send('hearing:open', {}));
    const defendant = await remoteInLobby(demo.participants.defendant);
    const text = 'Прошу приобщить характеристику с места жительства.';

    const early = await fileRemoteMotion(defendant.api, { kind: 'motion', text }, pki.defendant);
    assert.equal(early.status, 403);
    assert.equal(early.body.error.code, 'not_admitted', 'a participant in the lobby files nothing');

    await admit(demo.participants.defendant);
    const foreign = await fileRemoteMotion(defendant.api, { kind: 'motion', text }, pki.prosecutor);
    assert.equal(foreign.body.error?.code, 'signer_mismatch', 'the certificate must carry the participant’s IIN');

    const filed = await fileRemoteMotion(defendant.api, { kind: 'motion', text }, pki.defendant);
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    assert.equal(filed.body.receipt.signer.iin, IIN.defendant);
    await until(() => motionsSeenByJudge().some((m) => m.id === filed.body.receipt.motionId));
    const seen = motionsSeenByJudge().find((m) => m.id === filed.body.receipt.motionId)!;
    assert.equal(seen.filer.participantId, demo.participants.defendant);
    assert.equal(seen.filer.fullName, 'Иванов Петр Сергеевич');
    assert.equal(seen.text, text);
    assert.equal(seen.receipt.sha256, filed.body.receipt.sha256);

    const log = dataOf(await judge.follower.history({ types: ['motion.filed'] }));
    const event = log.events.find((e) => (e.payload as { motion: HearingMotion }).motion.id === seen.id)!;
    assert.equal(event.actor.role, 'remote_participant');
    const row = (await sqlOf(server).one<{ hearing_id: string; filer_user_id: string | null }>('select hearing_id, filer_user_id from motions where id = ?', seen.id))!;
    assert.equal(row.hearing_id, demo.hearingId, 'filed in the hearing of the session');
    // The hearing goes on: the judge rules on it as on any other.
    dataOf(await judge.follower.send('motion:rule', { motionId: seen.id, ruling: 'granted', reasons: 'Приобщить.' }));
    await until(() => motionsSeenByJudge().find((m) => m.id === seen.id)?.status === 'granted');
  });

  test('a remote witness, admitted, is refused: not_a_party; without a participant session: unauthenticated', async () => {
    const witness = await remoteInLobby(demo.participants.witness);
    await admit(demo.participants.witness);
    const standing = await witness.api.get('/api/join/session');
    assert.equal(standing.body.standing.party, false, 'the page offers no motion form to a witness');
    const refused = await fileRemoteMotion(witness.api, { kind: 'motion', text: 'Ходатайство свидетеля.' }, pki.defendant);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'not_a_party');

    const stranger = await fileRemoteMotion(new ApiClient(server.url), { kind: 'motion', text: 'Без сессии.' }, pki.defendant);
    assert.equal(stranger.status, 401);
    assert.equal(stranger.body.error.code, 'unauthenticated');
    // `details ->> 'reason'`: the same JSON field on SQLite and PostgreSQL.
    const audit = (await sqlOf(server).one<{ n: number }>(
      "select count(*) as n from audit_log where action = 'motion.file' and outcome = 'denied' and details ->> 'reason' = 'not_a_party' and user_id is null",
    ))!;
    assert.ok(audit.n >= 1, 'the refusal is audited');
  });
});

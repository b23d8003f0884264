/**
 * Who may follow a hearing and who may act in it: every refusal comes back with its own code,
 * changes nothing, and the ones that are about a person overstepping are audited.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CommandInput } from '../../server/src/shared/socket/hearing-follower.ts';
import type { CommandName } from '../../server/src/shared/hearing/schemas.ts';
import { attach, closeAll, dataOf, demoHearing, inStep, seedCaseFile, seedOtherCase, until, workstation, type CaseFile, type DemoHearing, type Workstation } from '../helpers/hall.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { sqlOf } from '../helpers/sql.ts';

type Refusal = { error: { code: string; message: string } };
type AuditRow = { actor: string; action: string; outcome: string; case_id: string | null; target: string | null };

describe('who may do what in a hearing', () => {
  let server: TestServer;
  let demo: DemoHearing;
  let file: CaseFile;
  let other: { caseId: string; hearingId: string };
  let judge: Workstation, secretary: Workstation, prosecutor: Workstation, defender: Workstation, office: Workstation, display: Workstation;
  const stations: Workstation[] = [];

  before(async () => {
    server = await startTestServer();
    demo = await demoHearing(server.db);
    file = await seedCaseFile(server.db, demo.caseId);
    other = await seedOtherCase(server.db);
    [judge, secretary, prosecutor, defender, office, display] = await Promise.all(
      ['judge', 'secretary', 'prosecutor', 'defender', 'office', 'hall1'].map((u) => workstation(server.url, u, demo.hearingId)),
    );
    stations.push(judge, secretary, prosecutor, defender, office, display);
    await Promise.all(stations.map((s) => inStep(s)));
  });
  after(async () => {
    closeAll(stations);
    await server.close();
  });

  const audits = (actor: string) => sqlOf(server).all<AuditRow>('select actor, action, outcome, case_id, target from audit_log where actor = ? and outcome = ? order by id', actor, 'denied');
  const version = async () => (await sqlOf(server).one<{ version: number }>('select version from hearings where id = ?', demo.hearingId))!.version;
  const raw = (station: Workstation, name: string, payload: unknown) =>
    (station.socket as unknown as { emitWithAck(name: string, payload: unknown): Promise<Refusal | { data: unknown }> }).emitWithAck(name, payload);
  const refusal = async (promise: Promise<unknown>) => {
    const answer = (await promise) as Refusal | { data: unknown };
    assert.ok('error' in answer, `expected a refusal, got ${JSON.stringify(answer)}`);
    return answer.error.code;
  };
  const send = <K extends CommandName>(station: Workstation, name: K, input: CommandInput<K>) => station.follower.send(name, input);

  test('a user of another case, or of no case, cannot follow the hearing; both refusals are audited', async () => {
    const outsider = await workstation(server.url, 'defender2', demo.hearingId);
    const stranger = await workstation(server.url, 'judge2', demo.hearingId);
    stations.push(outsider, stranger);
    await until(() => outsider.follower.status === 'refused' && stranger.follower.status === 'refused');
    assert.equal(outsider.follower.error, 'forbidden');
    assert.equal(stranger.follower.error, 'forbidden');
    assert.equal(outsider.follower.replica.state, null, 'nothing of the hearing reaches them');
    for (const actor of ['defender2', 'judge2']) {
      assert.deepEqual(await audits(actor), [{ actor, action: 'hearing.join', outcome: 'denied', case_id: demo.caseId, target: null }]);
    }
    // A command without having joined is refused before anything else is looked at.
    assert.equal(await refusal(raw(outsider, 'hearing:open', { hearingId: demo.hearingId })), 'not_joined');
    // Their own case's hearing they may follow.
    const own = attach(server.url, outsider.api, 'defender2', other.hearingId);
    stations.push(own);
    await inStep(own);
    assert.equal(own.follower.replica.you?.role, 'defender');
  });

  test('the hall screen of another hall cannot follow a hearing held in courtroom 1', async () => {
    const db = sqlOf(server);
    const hall2 = (await db.one<{ id: string }>("select id from halls where code = '2'"))!;
    const hash = (await db.one<{ password_hash: string }>("select password_hash from users where username = 'hall1'"))!.password_hash;
    await db.run("insert into users (id, username, password_hash, full_name, locale, active, created_at) values ('screen-2', 'hall2', ?, 'Зал 2', 'kk', ?, ?)", hash, true, new Date(0));
    await db.run("insert into user_roles (user_id, role) values ('screen-2', 'hall_display')");
    await db.run("insert into hall_displays (user_id, hall_id) values ('screen-2', ?)", hall2.id);
    const screen2 = await workstation(server.url, 'hall2', demo.hearingId);
    stations.push(screen2);
    await until(() => screen2.follower.status === 'refused');
    assert.equal(screen2.follower.error, 'forbidden');
  });

  test('only the presiding judge opens and runs the hearing', async () => {
    for (const station of [secretary, prosecutor, defender, office, display]) {
      assert.equal(await refusal(send(station, 'hearing:open', {})), 'forbidden_action', station.username);
    }
    assert.equal(await version(), 0, 'nothing was written');
    dataOf(await judge.follower.send('hearing:open', {}));
    await Promise.all(stations.filter((s) => s.follower.hearingId === demo.hearingId && s.follower.status !== 'refused').map((s) => s.follower.reached(1)));

    assert.equal(await refusal(send(defender, 'hearing:move-stage', { to: 'investigation' })), 'forbidden_action');
    assert.equal(await refusal(send(prosecutor, 'floor:give', { to: { kind: 'participant', participantId: demo.participants.prosecutor } })), 'forbidden_action');
    assert.equal(await refusal(send(secretary, 'hearing:start-break', {})), 'forbidden_action');
    assert.equal(await refusal(send(display, 'hearing:adjourn', { reason: 'x' })), 'forbidden_action');
    assert.deepEqual(
      (await audits('defender')).map((a) => [a.action, a.case_id, a.target]),
      [
        ['hearing.open', demo.caseId, demo.hearingId],
        ['hearing.move_stage', demo.caseId, demo.hearingId],
      ],
    );
  });

  test('only the secretary records attendance and marks events', async () => {
    assert.equal(await refusal(send(judge, 'attendance:record', { participantId: demo.participants.defendant, attendance: 'present' })), 'forbidden_action');
    assert.equal(await refusal(send(prosecutor, 'mark:add', { text: 'Я тоже веду протокол' })), 'forbidden_action');
    assert.equal(await refusal(send(secretary, 'attendance:record', { participantId: 'no-such-participant', attendance: 'present' })), 'not_found');
    // A participant of another case is no participant of this one.
    const otherParticipant = (await sqlOf(server).one<{ id: string }>('select id from case_participants where case_id = ?', other.caseId))!.id;
    assert.equal(await refusal(send(secretary, 'attendance:record', { participantId: otherParticipant, attendance: 'present' })), 'not_found');
  });

  test('stages move only in the order of the trial', async () => {
    assert.equal(await refusal(send(judge, 'hearing:move-stage', { to: 'pleadings' })), 'invalid_transition');
    assert.equal(await refusal(send(judge, 'hearing:end', {})), 'invalid_transition', 'a hearing ends only after the announcement');
    assert.equal(await refusal(send(judge, 'hearing:end-break', {})), 'invalid_transition', 'no break to end');
    assert.equal(await refusal(send(judge, 'hearing:open', {})), 'invalid_transition', 'already open');
  });

  test('only the person who has the floor changes the shown page', async () => {
    assert.equal(await refusal(send(prosecutor, 'presenter:show', { documentId: file.indictment, page: 1, zoom: 1 })), 'not_presenter', 'nobody has the floor');
    await judge.follower.send('floor:give', { to: { kind: 'participant', participantId: demo.participants.prosecutor } });
    assert.equal(await refusal(send(defender, 'presenter:show', { documentId: file.indictment, page: 1, zoom: 1 })), 'not_presenter');
    assert.equal(await refusal(send(judge, 'presenter:show', { documentId: file.indictment, page: 1, zoom: 1 })), 'not_presenter', 'not even the judge');
    assert.equal(await refusal(send(defender, 'floor:end', {})), 'not_presenter');
    assert.ok(
      (await audits('defender')).some((a) => a.action === 'hearing.show'),
      'the attempt is audited',
    );

    assert.equal(await refusal(send(prosecutor, 'presenter:show', { documentId: file.indictment, page: 5, zoom: 1 })), 'invalid_request', 'the indictment has 4 pages');
    assert.equal(await refusal(send(prosecutor, 'presenter:show', { documentId: file.video, page: 1, zoom: 1 })), 'invalid_request', 'a video has no sheets');
    assert.equal(await refusal(send(prosecutor, 'presenter:show', { documentId: 'not-in-this-case', page: 1, zoom: 1 })), 'not_found');
    assert.equal(
      await refusal(send(prosecutor, 'presenter:show', { documentId: file.indictment, page: 1, zoom: 1, region: { x: 0.8, y: 0, width: 0.5, height: 0.1 } })),
      'invalid_request',
      'the region lies off the page',
    );
    assert.equal(await refusal(send(judge, 'floor:give', { to: { kind: 'participant', participantId: demo.participants.witness } })), 'invalid_request', 'a witness does not present');
    dataOf(await prosecutor.follower.send('presenter:show', { documentId: file.indictment, page: 4, zoom: 1 }));
  });

  test('malformed payloads are refused as invalid_request', async () => {
    const hearingId = demo.hearingId;
    for (const [name, payload] of [
      ['hearing:move-stage', { hearingId, to: 'verdict' }],
      ['hearing:move-stage', { hearingId, to: 'investigation', extra: 1 }],
      ['mark:add', { hearingId, text: '   ' }],
      ['mark:add', { hearingId, text: 'x'.repeat(2001) }],
      ['presenter:show', { hearingId, documentId: file.indictment, page: 0, zoom: 1 }],
      ['presenter:show', { hearingId, documentId: file.indictment, page: 1, zoom: 100 }],
      ['hearing:adjourn', { hearingId, reason: 'Неявка свидетеля', nextDate: '2026-02-30' }],
      ['hearing:join', { hearingId: 42 }],
      ['hearing:join', null],
    ] as const) {
      assert.equal(await refusal(raw(judge, name, payload)), 'invalid_request', `${name} ${JSON.stringify(payload)}`);
    }
  });

  test('a decision made on an outdated view is refused as stale_version', async () => {
    const current = await version();
    assert.equal(await refusal(send(judge, 'hearing:move-stage', { to: 'investigation', expectedVersion: current - 1 })), 'stale_version');
    dataOf(await judge.follower.send('hearing:move-stage', { to: 'investigation', expectedVersion: current }));
  });

  test('the wall screen reads the case file only while a hearing of the case is in session in its hall', async () => {
    const inventory = await display.api.get(`/api/cases/${demo.caseId}/inventory`);
    assert.equal(inventory.status, 200);
    assert.equal(inventory.body.volumes.length, 2);
    assert.equal((await display.api.get(`/api/cases/${other.caseId}/inventory`)).status, 403, 'not a case heard elsewhere');
    const hearings = await display.api.get('/api/hearings');
    assert.deepEqual(
      hearings.body.hearings.map((h: { id: string }) => h.id),
      [demo.hearingId],
      'its hall schedule',
    );

    dataOf(await judge.follower.send('hearing:adjourn', { reason: 'Неявка свидетеля', nextDate: '2026-12-01' }));
    assert.equal((await display.api.get(`/api/cases/${demo.caseId}/inventory`)).status, 403, 'after the hearing, no more');
  });

  test('after the hearing ended, nothing more can happen in it', async () => {
    await secretary.follower.reached(await version());
    assert.equal(await refusal(send(secretary, 'mark:add', { text: 'После закрытия' })), 'invalid_transition');
    assert.equal(await refusal(send(judge, 'hearing:suspend', { reason: 'x' })), 'invalid_transition');
    assert.equal(await refusal(send(secretary, 'attendance:record', { participantId: demo.participants.victim, attendance: 'present' })), 'invalid_transition');
  });
});

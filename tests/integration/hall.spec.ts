/**
 * A whole hearing in the electronic hall over the real server: the judge, the secretary, the
 * prosecutor, the defence lawyer, the court office and the hall's wall screen each on their own
 * socket.io connection, following through the same client code the web app runs.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CommandInput } from '../../server/src/shared/socket/hearing-follower.ts';
import type { CommandName } from '../../server/src/shared/hearing/schemas.ts';
import { applyEvent, initialLiveState, type HearingEvent, type HearingLiveState } from '../../server/src/shared/hearing/state.ts';
import { displayState } from '../../server/src/shared/hearing/display-view.ts';
import { closeAll, dataOf, demoHearing, inStep, seedCaseFile, workstation, type CaseFile, type DemoHearing, type Workstation } from '../helpers/hall.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { sqlOf } from '../helpers/sql.ts';

describe('a hearing in the electronic hall', () => {
  let server: TestServer;
  let demo: DemoHearing;
  let file: CaseFile;
  let judge: Workstation, secretary: Workstation, prosecutor: Workstation, defender: Workstation, office: Workstation, display: Workstation;
  let everyone: Workstation[];

  before(async () => {
    server = await startTestServer();
    demo = await demoHearing(server.db);
    file = await seedCaseFile(server.db, demo.caseId);
    [judge, secretary, prosecutor, defender, office, display] = await Promise.all(
      ['judge', 'secretary', 'prosecutor', 'defender', 'office', 'hall1'].map((u) => workstation(server.url, u, demo.hearingId)),
    );
    everyone = [judge, secretary, prosecutor, defender, office, display];
    await Promise.all(everyone.map((s) => inStep(s)));
  });
  after(async () => {
    closeAll(everyone ?? []);
    await server.close();
  });

  /** Sends a command as `station`, then waits until every workstation holds the resulting version. */
  const act = async <K extends CommandName>(station: Workstation, name: K, input: CommandInput<K>) => {
    const { version } = dataOf(await station.follower.send(name, input));
    await Promise.all(everyone.map((s) => s.follower.reached(version)));
    return version;
  };
  const stateOf = (s: Workstation) => s.follower.replica.state!;
  const storedState = async () => JSON.parse((await sqlOf(server).one<{ state: string }>('select state from hearing_states where hearing_id = ?', demo.hearingId))!.state) as HearingLiveState;
  /** Every workstation passes `check`; the wall screen holds the screen's view of the same state. */
  const allSee = (check: (state: HearingLiveState, who: string) => void) => {
    for (const s of everyone) if (s !== display) check(stateOf(s), s.username);
    assert.deepEqual(stateOf(display), displayState(stateOf(judge)), 'the wall screen sees what the screen shows');
  };

  test('everyone joins the scheduled hearing in their own seat and sees the same snapshot', () => {
    assert.deepEqual(
      everyone.map((s) => [s.username, s.follower.replica.you!.role]),
      [
        ['judge', 'presiding_judge'],
        ['secretary', 'secretary'],
        ['prosecutor', 'prosecutor'],
        ['defender', 'defender'],
        ['office', 'court'],
        ['hall1', 'hall_display'],
      ],
    );
    allSee((state) => assert.deepEqual({ status: state.status, stage: state.stage, version: state.version }, { status: 'scheduled', stage: null, version: 0 }));
    const info = display.follower.replica.info!;
    assert.equal(info.caseNumber, '7511-26-00-1/245');
    assert.equal(info.hall.name.ru, 'Зал судебных заседаний № 1');
    assert.equal(info.presidingJudge.fullName, 'Ахметова Гульнара Сериковна');
    assert.equal(info.secretary?.fullName, 'Жумабекова Айгерим Кайратовна');
    assert.deepEqual(info.participants.map((p) => p.role).sort(), ['defendant', 'defender', 'prosecutor', 'victim', 'witness']);
    assert.equal(prosecutor.follower.replica.you!.participantId, demo.participants.prosecutor);
  });

  test('the judge opens; the secretary checks attendance and marks an event on the running clock', async () => {
    const before = Date.now();
    await act(judge, 'hearing:open', {});
    allSee((state) => {
      assert.equal(state.status, 'in_progress');
      assert.equal(state.stage, 'preparatory');
      assert.ok(state.openedAt! >= before && state.openedAt! <= Date.now());
    });

    await act(secretary, 'attendance:record', { participantId: demo.participants.defendant, attendance: 'present' });
    await act(secretary, 'attendance:record', { participantId: demo.participants.victim, attendance: 'absent' });
    await act(secretary, 'attendance:record', { participantId: demo.participants.witness, attendance: 'remote' });
    // Recording the same thing twice changes nothing and logs nothing.
    const unchanged = stateOf(judge).version;
    assert.equal(dataOf(await secretary.follower.send('attendance:record', { participantId: demo.participants.witness, attendance: 'remote' })).version, unchanged);
    allSee((state, who) => assert.deepEqual(state.attendance, { [demo.participants.defendant]: 'present', [demo.participants.victim]: 'absent', [demo.participants.witness]: 'remote' }, who));

    await act(secretary, 'mark:add', { text: '  Потерпевшая не явилась, извещена надлежащим образом  ' });
    const mark = judge.follower.replica.events.at(-1)!;
    assert.equal(mark.type, 'mark.added');
    assert.equal(mark.actor.fullName, 'Жумабекова Айгерим Кайратовна');
    assert.equal(mark.actor.role, 'secretary');
    if (mark.type === 'mark.added') {
      assert.equal(mark.payload.text, 'Потерпевшая не явилась, извещена надлежащим образом', 'trimmed');
      assert.equal(mark.payload.clock, mark.at - stateOf(judge).openedAt!, 'the running clock counts from the opening');
    }
    const clock = secretary.follower.replica.clock(Date.now())!;
    assert.ok(clock >= 0 && clock < 60_000, `the secretary's clock runs from the opening (${clock} ms)`);
  });

  test('the judge gives the floor to the prosecutor, who shows sheet 5 of volume 2 to everyone', async () => {
    await act(judge, 'hearing:move-stage', { to: 'investigation' });
    await act(judge, 'floor:give', { to: { kind: 'participant', participantId: demo.participants.prosecutor } });
    allSee((state) => assert.deepEqual([state.floor?.role, state.floor?.fullName, state.shown], ['prosecutor', 'Сапаров Ерлан Маратович', null]));

    await act(prosecutor, 'presenter:show', { documentId: file.expertOpinion, page: 5, zoom: 1 });
    allSee((state, who) => assert.deepEqual(state.shown, { documentId: file.expertOpinion, page: 5, volume: 2, sheet: 5, zoom: 1, region: null }, who));

    await act(prosecutor, 'presenter:show', { documentId: file.protocol, page: 2, zoom: 1.5, region: { x: 0.1, y: 0.2, width: 0.5, height: 0.25 } });
    allSee((state, who) => assert.deepEqual(state.shown, { documentId: file.protocol, page: 2, volume: 1, sheet: 6, zoom: 1.5, region: { x: 0.1, y: 0.2, width: 0.5, height: 0.25 } }, who));
  });

  test('a break ends the presentation, recording what it showed', async () => {
    await act(judge, 'hearing:start-break', { until: Date.now() + 15 * 60_000, reason: 'Технический перерыв' });
    allSee((state) => {
      assert.equal(state.status, 'break');
      assert.equal(state.break?.reason, 'Технический перерыв');
      assert.equal(state.floor, null);
      assert.equal(state.shown, null);
    });
    const [ended, started] = judge.follower.replica.events.slice(-2);
    assert.equal(started.type, 'break.started');
    assert.equal(ended.type, 'presentation.ended');
    if (ended.type === 'presentation.ended') {
      assert.equal(ended.payload.reason, 'break');
      assert.equal(ended.payload.presenter.role, 'prosecutor');
      assert.deepEqual(ended.payload.shown, [
        { documentId: file.expertOpinion, volume: 2, sheets: [5] },
        { documentId: file.protocol, volume: 1, sheets: [6] },
      ]);
    }
    await act(judge, 'hearing:end-break', {});
    allSee((state) => assert.deepEqual([state.status, state.stage, state.break], ['in_progress', 'investigation', null]));
  });

  test('the floor passes from the defence lawyer to the prosecutor and is ended explicitly', async () => {
    await act(judge, 'floor:give', { to: { kind: 'participant', participantId: demo.participants.defender } });
    await act(defender, 'presenter:show', { documentId: file.indictment, page: 3, zoom: 1 });
    await act(judge, 'floor:give', { to: { kind: 'participant', participantId: demo.participants.prosecutor } });
    const passed = judge.follower.replica.events.at(-2)!;
    assert.equal(passed.type, 'presentation.ended');
    if (passed.type === 'presentation.ended') {
      assert.equal(passed.payload.reason, 'passed');
      assert.deepEqual(passed.payload.shown, [{ documentId: file.indictment, volume: 1, sheets: [3] }]);
    }
    allSee((state) => assert.deepEqual([state.floor?.role, state.shown], ['prosecutor', null]));

    await act(prosecutor, 'floor:end', {});
    allSee((state) => assert.equal(state.floor, null));

    await act(judge, 'floor:give', { to: { kind: 'judge' } });
    await act(judge, 'presenter:show', { documentId: file.indictment, page: 1, zoom: 1 });
    allSee((state) => assert.deepEqual([state.floor?.role, state.shown?.sheet], ['judge', 1]));
  });

  test('a presenter dragging the zoom sends one position at a time, and only the latest of those waiting', async () => {
    const before = stateOf(judge).version;
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => judge.follower.sendLatest('presenter:show', { documentId: file.expertOpinion, page: (i % 8) + 1, zoom: 1 + i / 100 })));
    const versions = answers.map((a) => dataOf(a).version);
    assert.deepEqual(new Set(versions), new Set([before + 1, before + 2]), 'the first went at once; the 19 behind it collapsed into the last');
    await Promise.all(everyone.map((s) => s.follower.reached(before + 2)));
    allSee((state, who) => assert.deepEqual(state.shown, { documentId: file.expertOpinion, page: 4, volume: 2, sheet: 4, zoom: 1.19, region: null }, who));
  });

  test('the stages run to the announcement; deliberation clears the floor; the judge ends the hearing', async () => {
    await act(judge, 'hearing:move-stage', { to: 'pleadings' });
    await act(judge, 'hearing:move-stage', { to: 'last_word' });
    await act(judge, 'hearing:move-stage', { to: 'deliberation' });
    allSee((state) => assert.deepEqual([state.stage, state.floor], ['deliberation', null]));
    await act(judge, 'hearing:move-stage', { to: 'announcement' });
    await act(judge, 'hearing:end', {});
    allSee((state) => {
      assert.equal(state.status, 'finished');
      assert.ok(state.endedAt! >= state.openedAt!);
    });
    const row = await sqlOf(server).one<{ status: string; stage: string; version: number }>('select status, stage, version from hearings where id = ?', demo.hearingId);
    assert.deepEqual(row, { status: 'finished', stage: 'announcement', version: stateOf(judge).version });
  });

  test('every workstation holds exactly the stored state, and the log replays to it', async () => {
    const stored = await storedState();
    allSee((state, who) => assert.deepEqual(state, stored, who));
    const events = (
      await sqlOf(server).all<{ version: number; at: number; type: string; payload: string; actor_role: string }>('select * from hearing_events where hearing_id = ? order by version', demo.hearingId)
    ).map((r) => ({ hearingId: demo.hearingId, version: r.version, at: r.at, type: r.type, payload: JSON.parse(r.payload), actor: { userId: '', fullName: '', role: r.actor_role } }) as HearingEvent);
    assert.deepEqual(
      events.map((e) => e.version),
      events.map((_, i) => i + 1),
      'versions run 1, 2, 3… without a gap',
    );
    const replayed = events.reduce(applyEvent, initialLiveState({ version: 0, status: 'scheduled', stage: null }));
    assert.deepEqual(replayed, stored);
    assert.deepEqual(
      events.filter((e) => e.type === 'presentation.ended').map((e) => e.actor.role),
      ['presiding_judge', 'presiding_judge', 'prosecutor', 'presiding_judge'],
      'each presentation is closed by whoever ended it',
    );
    await assert.rejects(sqlOf(server).run("update hearing_events set payload = '{}'"), /append-only/);
    await assert.rejects(sqlOf(server).run('delete from hearing_events'), /append-only/);
  });

  test('the log can be read back a page at a time, and filtered by type', async () => {
    const marks = dataOf(await secretary.follower.history({ types: ['mark.added', 'attendance.recorded'] }));
    assert.deepEqual(
      marks.events.map((e) => e.type),
      ['attendance.recorded', 'attendance.recorded', 'attendance.recorded', 'mark.added'],
    );
    assert.equal(marks.more, false);
    const latest = dataOf(await display.follower.history({ limit: 3 }));
    assert.deepEqual(
      latest.events.map((e) => e.version),
      [stateOf(judge).version - 2, stateOf(judge).version - 1, stateOf(judge).version],
    );
    assert.equal(latest.more, true);
    const older = dataOf(await display.follower.history({ limit: 3, before: latest.events[0].version }));
    assert.equal(older.events.at(-1)!.version, latest.events[0].version - 1);
  });
});

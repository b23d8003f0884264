import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TRIAL_STAGES, type TrialStage } from '../domain.ts';
import { AppError } from '../errors.ts';
import type { DecisionContext } from './core.ts';
import { decide, flushedBeforeBroadcast, type HearingCommand } from './rules.ts';
import { STAGE_TRANSITIONS } from './stages/stages.ts';
import { applyEvent, initialLiveState, type HearingEvent, type HearingEventBody, type HearingLiveState } from './state.ts';
import { summarise } from './floor/floor.ts';

const JUDGE = { id: 'u-judge', fullName: 'Судья' };
const SECRETARY = 'u-secretary';
const PROSECUTOR = 'u-prosecutor';
const NOW = Date.UTC(2026, 10, 24, 5, 0, 0);

const participants = {
  p1: { id: 'p1', role: 'prosecutor' as const, fullName: 'Прокурор', userId: PROSECUTOR },
  p2: { id: 'p2', role: 'defender' as const, fullName: 'Защитник', userId: 'u-defender' },
  p3: { id: 'p3', role: 'witness' as const, fullName: 'Свидетель', userId: null },
  p4: { id: 'p4', role: 'defender' as const, fullName: 'Защитник без учётной записи', userId: null },
};

function context(state: HearingLiveState, actor: string): DecisionContext {
  return {
    state,
    actor: { userId: actor, fullName: actor },
    presidingJudgeId: JUDGE.id,
    secretaryId: SECRETARY,
    now: NOW,
    participant: async (id) => participants[id as keyof typeof participants],
    fullNameOf: async (userId) => (userId === JUDGE.id ? JUDGE.fullName : '?'),
    document: async (id) =>
      id === 'd1' ? { id: 'd1', kind: 'pdf', volume: 2, sheetFrom: 11, pages: 6 } : id === 'm1' ? { id: 'm1', kind: 'media', volume: 2, sheetFrom: null, pages: null } : undefined,
    protocolNote: async () => undefined,
    shownDuring: async () => [{ documentId: 'd1', volume: 2, sheets: [12] }],
    newId: () => 'presentation-1',
    recordingSources: () => 2,
  };
}

/** Runs commands from a scheduled hearing, applying what each decides; returns the state and the events. */
async function run(steps: [HearingCommand, string][], from = initialLiveState({ version: 0, status: 'scheduled', stage: null })) {
  let state = from;
  const log: HearingEventBody[] = [];
  for (const [command, actor] of steps) {
    for (const body of await decide(command, context(state, actor))) {
      log.push(body);
      state = applyEvent(state, { ...body, hearingId: 'h', version: state.version + 1, at: NOW, actor: { userId: actor, fullName: actor, role: 'presiding_judge' } } as HearingEvent);
    }
  }
  return { state, log };
}

const refusedWith = (code: string) => (error: unknown) => error instanceof AppError && error.code === code;
const open: [HearingCommand, string] = [{ type: 'open' }, JUDGE.id];
const to = (stage: TrialStage): [HearingCommand, string] => [{ type: 'move_stage', to: stage }, JUDGE.id];

describe('the stages of the main trial', () => {
  test('run in order from the preparatory part to the announcement', async () => {
    const { state, log } = await run([open, to('investigation'), to('pleadings'), to('last_word'), to('deliberation'), to('announcement'), [{ type: 'end' }, JUDGE.id]]);
    assert.equal(state.status, 'finished');
    assert.deepEqual(
      log.map((e) => (e.type === 'stage.changed' ? e.payload.to : e.type)),
      ['hearing.opened', 'investigation', 'pleadings', 'last_word', 'deliberation', 'announcement', 'hearing.ended'],
    );
  });

  test('skip nothing, and go back only to resume the judicial investigation', async () => {
    for (const from of TRIAL_STAGES) {
      const at = initialLiveState({ version: 5, status: 'in_progress', stage: from });
      for (const target of TRIAL_STAGES) {
        const allowed = STAGE_TRANSITIONS[from].includes(target);
        const attempt = async () => decide({ type: 'move_stage', to: target }, context(at, JUDGE.id));
        if (allowed) await assert.doesNotReject(attempt, `${from} → ${target}`);
        else await assert.rejects(attempt, refusedWith('invalid_transition'), `${from} → ${target}`);
      }
    }
    assert.deepEqual(STAGE_TRANSITIONS.pleadings, ['last_word', 'investigation']);
  });

  test('move only by the presiding judge, and only in session (not on a break, not before opening)', async () => {
    await assert.rejects(async () => run([open, [{ type: 'move_stage', to: 'investigation' }, PROSECUTOR]]), refusedWith('forbidden_action'));
    await assert.rejects(async () => run([open, [{ type: 'move_stage', to: 'investigation' }, SECRETARY]]), refusedWith('forbidden_action'));
    await assert.rejects(async () => run([to('investigation')]), refusedWith('invalid_transition'));
    await assert.rejects(async () => run([open, [{ type: 'start_break', until: null, reason: null }, JUDGE.id], to('investigation')]), refusedWith('invalid_transition'));
  });

  test('a hearing ends only at the announcement; before it, it is adjourned or suspended', async () => {
    await assert.rejects(async () => run([open, [{ type: 'end' }, JUDGE.id]]), refusedWith('invalid_transition'));
    const adjourned = (await run([open, [{ type: 'adjourn', reason: 'Неявка свидетеля', nextDate: '2026-12-01' }, JUDGE.id]])).state;
    assert.deepEqual([adjourned.status, adjourned.endReason, adjourned.nextDate, adjourned.endedAt], ['adjourned', 'Неявка свидетеля', '2026-12-01', NOW]);
    const suspended = (await run([open, [{ type: 'start_break', until: null, reason: null }, JUDGE.id], [{ type: 'suspend', reason: 'Болезнь подсудимого' }, JUDGE.id]])).state;
    assert.deepEqual([suspended.status, suspended.break], ['suspended', null], 'from a break too');
    await assert.rejects(async () => run([[{ type: 'adjourn', reason: 'x', nextDate: null }, JUDGE.id]]), refusedWith('invalid_transition'), 'not before opening');
    await assert.rejects(async () => run([open, [{ type: 'suspend', reason: 'x' }, JUDGE.id], [{ type: 'adjourn', reason: 'x', nextDate: null }, JUDGE.id]]), refusedWith('invalid_transition'));
  });
});

describe('breaks', () => {
  test('start and end by the judge; a break ends in the future, within 31 days', async () => {
    const { state } = await run([open, [{ type: 'start_break', until: NOW + 600_000, reason: 'Обед' }, JUDGE.id]]);
    assert.deepEqual(state.break, { since: NOW, until: NOW + 600_000, reason: 'Обед' });
    await assert.rejects(async () => run([open, [{ type: 'start_break', until: NOW - 1, reason: null }, JUDGE.id]]), refusedWith('invalid_request'));
    await assert.rejects(async () => run([open, [{ type: 'start_break', until: NOW + 32 * 86_400_000, reason: null }, JUDGE.id]]), refusedWith('invalid_request'));
    await assert.rejects(async () => run([open, [{ type: 'end_break' }, JUDGE.id]]), refusedWith('invalid_transition'));
    const resumed = (await run([[{ type: 'end_break' }, JUDGE.id]], state)).state;
    assert.deepEqual([resumed.status, resumed.break, resumed.stage], ['in_progress', null, 'preparatory']);
  });
});

describe('attendance and marks', () => {
  test('are the secretary’s; a mark carries the running clock', async () => {
    const opened = (await run([open])).state;
    const later = { ...context(opened, SECRETARY), now: opened.openedAt! + 125_000 };
    assert.deepEqual(await decide({ type: 'add_mark', text: 'Оглашён обвинительный акт' }, later), [{ type: 'mark.added', payload: { text: 'Оглашён обвинительный акт', clock: 125_000 } }]);
    await assert.rejects(async () => decide({ type: 'add_mark', text: 'x' }, context(opened, JUDGE.id)), refusedWith('forbidden_action'));
    await assert.rejects(
      async () => decide({ type: 'add_mark', text: 'x' }, context(initialLiveState({ version: 0, status: 'scheduled', stage: null }), SECRETARY)),
      refusedWith('invalid_transition'),
      'the clock has not started',
    );
  });

  test('may be recorded before the judge opens; the same answer twice records nothing', async () => {
    const { state, log } = await run([
      [{ type: 'record_attendance', participantId: 'p3', attendance: 'remote' }, SECRETARY],
      [{ type: 'record_attendance', participantId: 'p3', attendance: 'remote' }, SECRETARY],
      [{ type: 'record_attendance', participantId: 'p3', attendance: 'present' }, SECRETARY],
    ]);
    assert.deepEqual(state.attendance, { p3: 'present' });
    assert.deepEqual(
      log.map((e) => e.payload),
      [
        { participantId: 'p3', attendance: 'remote', previous: null },
        { participantId: 'p3', attendance: 'present', previous: 'remote' },
      ],
    );
    await assert.rejects(async () => run([[{ type: 'record_attendance', participantId: 'nobody', attendance: 'absent' }, SECRETARY]]), refusedWith('not_found'));
    await assert.rejects(async () => run([[{ type: 'record_attendance', participantId: 'p3', attendance: 'absent' }, PROSECUTOR]]), refusedWith('forbidden_action'));
  });
});

describe('the floor and the shown page', () => {
  const giveToProsecutor: [HearingCommand, string] = [{ type: 'give_floor', to: { kind: 'participant', participantId: 'p1' } }, JUDGE.id];

  test('the presenter shows a page; the server adds the volume and the sheet', async () => {
    const { state } = await run([open, giveToProsecutor, [{ type: 'show', documentId: 'd1', page: 2, zoom: 1.5, region: { x: 0, y: 0.5, width: 1, height: 0.5 } }, PROSECUTOR]]);
    assert.deepEqual(state.shown, { documentId: 'd1', page: 2, volume: 2, sheet: 12, zoom: 1.5, region: { x: 0, y: 0.5, width: 1, height: 0.5 } });
    assert.deepEqual([state.floor?.role, state.floor?.participantId, state.floor?.presentationId], ['prosecutor', 'p1', 'presentation-1']);
    // The same position again changes nothing.
    assert.deepEqual(await decide({ type: 'show', documentId: 'd1', page: 2, zoom: 1.5, region: { x: 0, y: 0.5, width: 1, height: 0.5 } }, context(state, PROSECUTOR)), []);
  });

  test('nobody else shows, and not what cannot be shown', async () => {
    const { state } = await run([open, giveToProsecutor]);
    const show =
      (actor: string, documentId = 'd1', page = 1) =>
      async () =>
        decide({ type: 'show', documentId, page, zoom: 1, region: null }, context(state, actor));
    await assert.rejects(show(JUDGE.id), refusedWith('not_presenter'));
    await assert.rejects(show('u-defender'), refusedWith('not_presenter'));
    await assert.rejects(show(PROSECUTOR, 'd1', 7), refusedWith('invalid_request'));
    await assert.rejects(show(PROSECUTOR, 'm1'), refusedWith('invalid_request'));
    await assert.rejects(show(PROSECUTOR, 'd9'), refusedWith('not_found'));
  });

  test('the floor goes to the judge, a prosecutor or a defender with an account; giving it again to the same person changes nothing', async () => {
    const give = (participantId: string) => async () => run([open, [{ type: 'give_floor', to: { kind: 'participant', participantId } }, JUDGE.id]]);
    await assert.rejects(give('p3'), refusedWith('invalid_request'));
    await assert.rejects(give('p4'), refusedWith('invalid_request'));
    await assert.rejects(give('p9'), refusedWith('not_found'));
    assert.equal((await run([open, [{ type: 'give_floor', to: { kind: 'judge' } }, JUDGE.id]])).state.floor?.userId, JUDGE.id);
    const { state } = await run([open, giveToProsecutor]);
    assert.deepEqual(await decide(giveToProsecutor[0], context(state, JUDGE.id)), []);
  });

  test('passing the floor, ending it, a break, deliberation and the end of the hearing each close the presentation', async () => {
    const presenting = (await run([open, to('investigation'), giveToProsecutor])).state;
    const closedBy = async (command: HearingCommand, actor = JUDGE.id) => {
      const events = await decide(command, context(presenting, actor));
      const ended = events.find((e) => e.type === 'presentation.ended');
      return ended?.type === 'presentation.ended' ? ended.payload.reason : null;
    };
    assert.equal(await closedBy({ type: 'give_floor', to: { kind: 'participant', participantId: 'p2' } }), 'passed');
    assert.equal(await closedBy({ type: 'end_floor' }, PROSECUTOR), 'ended');
    assert.equal(await closedBy({ type: 'end_floor' }), 'ended', 'the judge may end it too');
    assert.equal(await closedBy({ type: 'start_break', until: null, reason: null }), 'break');
    assert.equal(await closedBy({ type: 'adjourn', reason: 'x', nextDate: null }), 'hearing_ended');
    assert.equal(await closedBy({ type: 'move_stage', to: 'pleadings' }), null, 'a new stage keeps the floor');
    const atLastWord = (await run([to('pleadings'), to('last_word')], presenting)).state;
    const deliberation = await decide({ type: 'move_stage', to: 'deliberation' }, context(atLastWord, JUDGE.id));
    assert.deepEqual(
      deliberation.map((e) => e.type),
      ['presentation.ended', 'stage.changed'],
    );
    const ended = deliberation[0];
    assert.deepEqual(ended.type === 'presentation.ended' && ended.payload, {
      presentationId: 'presentation-1',
      presenter: { userId: PROSECUTOR, fullName: 'Прокурор', role: 'prosecutor', participantId: 'p1' },
      startedAt: NOW,
      reason: 'deliberation',
      shown: [{ documentId: 'd1', volume: 2, sheets: [12] }],
    });
    await assert.rejects(async () => decide({ type: 'end_floor' }, context(presenting, 'u-defender')), refusedWith('not_presenter'));
    await assert.rejects(async () => decide({ type: 'end_floor' }, context((await run([open])).state, JUDGE.id)), refusedWith('invalid_transition'));
  });

  test('only the presenter’s position is broadcast before it is flushed to the disk; every act of the court is flushed first', () => {
    assert.equal(flushedBeforeBroadcast({ type: 'show', documentId: 'd1', page: 2, zoom: 1, region: null }), false);
    const acts: HearingCommand[] = [
      { type: 'open' },
      { type: 'move_stage', to: 'investigation' },
      { type: 'record_attendance', participantId: 'p3', attendance: 'present' },
      { type: 'add_mark', text: 'Свидетель удалён из зала' },
      { type: 'give_floor', to: { kind: 'judge' } },
      { type: 'end_floor' },
      { type: 'adjourn', reason: 'Неявка свидетеля', nextDate: null },
      { type: 'end' },
    ];
    for (const act of acts) assert.equal(flushedBeforeBroadcast(act), true, act.type);
  });

  test('nobody presents while the court deliberates', async () => {
    const deliberating = initialLiveState({ version: 9, status: 'in_progress', stage: 'deliberation' });
    await assert.rejects(async () => decide({ type: 'give_floor', to: { kind: 'judge' } }, context(deliberating, JUDGE.id)), refusedWith('invalid_transition'));
  });
});

test('a presentation’s record lists each document once, with its sheets in order', () => {
  const at = (documentId: string, volume: number, sheet: number) => ({ documentId, page: 1, volume, sheet, zoom: 1, region: null });
  assert.deepEqual(summarise([at('b', 2, 5), at('a', 1, 3), at('b', 2, 1), at('b', 2, 5), at('a', 1, 2)]), [
    { documentId: 'b', volume: 2, sheets: [1, 5] },
    { documentId: 'a', volume: 1, sheets: [2, 3] },
  ]);
  assert.deepEqual(summarise([]), []);
});

describe('recording', () => {
  const rec = (type: 'start_recording' | 'pause_recording' | 'resume_recording' | 'stop_recording', actor = SECRETARY): [HearingCommand, string] => [{ type }, actor];
  const types = (log: HearingEventBody[]) =>
    log.filter((e) => e.type.startsWith('recording.') || e.type.startsWith('break.') || e.type === 'stage.changed').map((e) => (e.type === 'recording.paused' ? `paused:${e.payload.reason}` : e.type));

  test('the secretary or the presiding judge starts, pauses, resumes and stops it; nobody else', async () => {
    const { state, log } = await run([open, rec('start_recording'), rec('pause_recording', JUDGE.id), rec('resume_recording'), rec('stop_recording', JUDGE.id)]);
    assert.equal(state.recording.status, 'stopped');
    assert.deepEqual(types(log), ['recording.started', 'paused:manual', 'recording.resumed', 'recording.stopped']);
    assert.equal((await run([open, rec('start_recording')])).state.recording.sources, 2, 'the sources live at the start are in the state');
    const opened = (await run([open])).state;
    await assert.rejects(async () => decide({ type: 'start_recording' }, context(opened, PROSECUTOR)), refusedWith('forbidden_action'));
  });

  test('a break pauses it and the end of the break resumes it', async () => {
    const { state, log } = await run([open, rec('start_recording'), [{ type: 'start_break', until: null, reason: null }, JUDGE.id], [{ type: 'end_break' }, JUDGE.id]]);
    assert.deepEqual(types(log), ['recording.started', 'paused:break', 'break.started', 'break.ended', 'recording.resumed']);
    assert.equal(state.recording.status, 'recording');
    const onBreak = (await run([open, rec('start_recording'), [{ type: 'start_break', until: null, reason: null }, JUDGE.id]])).state;
    await assert.rejects(async () => decide({ type: 'resume_recording' }, context(onBreak, SECRETARY)), refusedWith('invalid_transition'));
  });

  test('the deliberation room is never recorded: entering pauses, starting there is refused, leaving resumes', async () => {
    const { state, log } = await run([open, rec('start_recording'), to('investigation'), to('pleadings'), to('last_word'), to('deliberation')]);
    assert.equal(state.recording.status, 'paused');
    assert.deepEqual(types(log).slice(-2), ['paused:deliberation', 'stage.changed']);
    await assert.rejects(async () => decide({ type: 'resume_recording' }, context(state, SECRETARY)), refusedWith('recording_not_allowed'));
    const notStarted = (await run([open, to('investigation'), to('pleadings'), to('last_word'), to('deliberation')])).state;
    await assert.rejects(async () => decide({ type: 'start_recording' }, context(notStarted, SECRETARY)), refusedWith('recording_not_allowed'));
    const announced = await run([to('announcement')], state);
    assert.deepEqual(types(announced.log), ['stage.changed', 'recording.resumed']);
    assert.equal(announced.state.recording.status, 'recording');
  });

  test('a manual pause stays paused after a break; ending the hearing stops the recording', async () => {
    const paused = await run([open, rec('start_recording'), rec('pause_recording'), [{ type: 'start_break', until: null, reason: null }, JUDGE.id], [{ type: 'end_break' }, JUDGE.id]]);
    assert.equal(paused.state.recording.status, 'paused');
    const adjourned = await run([[{ type: 'adjourn', reason: 'Неявка свидетеля', nextDate: null }, JUDGE.id]], paused.state);
    assert.equal(adjourned.state.recording.status, 'stopped');
    await assert.rejects(async () => decide({ type: 'start_recording' }, context(adjourned.state, SECRETARY)), refusedWith('invalid_transition'));
  });
});

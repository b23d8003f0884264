import assert from 'node:assert/strict';
import { test } from 'node:test';
import { STATUS_EVENTS } from './stages/stages.ts';
import { applyEvent, initialLiveState, type HearingEvent, type HearingEventBody, type HearingLiveState } from './state.ts';

const actor = { userId: 'u-judge', fullName: 'Судья', role: 'presiding_judge' as const };
const apply = (state: HearingLiveState, body: HearingEventBody, at = 1_000) => applyEvent(state, { ...body, hearingId: 'h', version: state.version + 1, at, actor } as HearingEvent);
const presenter = { userId: 'u-p', fullName: 'Прокурор', role: 'prosecutor' as const, participantId: 'p1' };
const position = { documentId: 'd1', page: 1, volume: 1, sheet: 3, zoom: 1, region: null };

test('applying an event returns a new state and leaves the old one as it was', () => {
  const before = initialLiveState({ version: 0, status: 'scheduled', stage: null });
  const frozen = structuredClone(before);
  const after = apply(apply(before, { type: 'hearing.opened', payload: {} }), { type: 'attendance.recorded', payload: { participantId: 'p1', attendance: 'present', previous: null } });
  assert.deepEqual(before, frozen);
  assert.deepEqual([after.version, after.status, after.stage, after.openedAt, after.attendance], [2, 'in_progress', 'preparatory', 1_000, { p1: 'present' }]);
});

test('giving the floor clears the shown page; the floor remembers where its presentation began', () => {
  let state = apply(initialLiveState({ version: 0, status: 'scheduled', stage: null }), { type: 'hearing.opened', payload: {} });
  state = apply(state, { type: 'floor.given', payload: { presenter, presentationId: 'pr1' } }, 2_000);
  state = apply(state, { type: 'position.shown', payload: { presentationId: 'pr1', position } });
  assert.deepEqual(state.floor, { ...presenter, presentationId: 'pr1', since: 2_000, sinceVersion: 2 });
  assert.deepEqual(state.shown, position);
  state = apply(state, { type: 'floor.given', payload: { presenter: { ...presenter, userId: 'u-d', participantId: 'p2', role: 'defender' }, presentationId: 'pr2' } });
  assert.equal(state.shown, null);
});

test('an ended hearing keeps no break, floor or shown page', () => {
  let state = apply(initialLiveState({ version: 0, status: 'scheduled', stage: null }), { type: 'hearing.opened', payload: {} });
  state = apply(state, { type: 'floor.given', payload: { presenter, presentationId: 'pr1' } });
  state = apply(state, { type: 'position.shown', payload: { presentationId: 'pr1', position } });
  state = apply(state, { type: 'break.started', payload: { until: null, reason: null } });
  state = apply(state, { type: 'hearing.suspended', payload: { reason: 'Розыск подсудимого' } }, 9_000);
  assert.deepEqual([state.status, state.break, state.floor, state.shown, state.endedAt, state.endReason], ['suspended', null, null, null, 9_000, 'Розыск подсудимого']);
});

test('STATUS_EVENTS are exactly the events of a hearing that change its status (what the situation centre is told of)', () => {
  const day: HearingEventBody[] = [
    { type: 'hearing.opened', payload: {} },
    { type: 'attendance.recorded', payload: { participantId: 'p1', attendance: 'present', previous: null } },
    { type: 'mark.added', payload: { text: 'Свидетель удалён из зала', clock: 60_000 } },
    { type: 'stage.changed', payload: { from: 'preparatory', to: 'investigation' } },
    { type: 'floor.given', payload: { presenter, presentationId: 'pr1' } },
    { type: 'position.shown', payload: { presentationId: 'pr1', position } },
    { type: 'break.started', payload: { until: null, reason: null } },
    { type: 'break.ended', payload: {} },
    { type: 'hearing.adjourned', payload: { reason: 'Неявка свидетеля', nextDate: null } },
  ] as HearingEventBody[];
  let state = initialLiveState({ version: 0, status: 'scheduled', stage: null });
  for (const body of day) {
    const next = apply(state, body);
    assert.equal(next.status !== state.status, STATUS_EVENTS.has(body.type), body.type);
    state = next;
  }
  for (const last of [
    { type: 'hearing.suspended', payload: { reason: 'Болезнь подсудимого' } },
    { type: 'hearing.ended', payload: {} },
  ] as HearingEventBody[]) {
    const opened = apply(initialLiveState({ version: 0, status: 'scheduled', stage: null }), { type: 'hearing.opened', payload: {} });
    assert.notEqual(apply(opened, last).status, opened.status, last.type);
    assert.ok(STATUS_EVENTS.has(last.type), last.type);
  }
});

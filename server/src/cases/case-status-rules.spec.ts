import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CaseStatus } from '../../../db/schema.ts';
import { caseStatusChange, changeKind } from './case-status-rules.ts';

const opened = { type: 'hearing.opened', payload: {} } as const;
const suspended = { type: 'hearing.suspended', payload: { reason: 'Подсудимый скрылся' } } as const;
const ended = { type: 'hearing.ended', payload: {} } as const;

test('caseStatusChange: the first hearing opened starts the trial; a suspension carries its reason; the end closes', () => {
  assert.deepEqual(caseStatusChange('received', opened), { to: 'in_trial', reason: null });
  assert.deepEqual(caseStatusChange('in_trial', suspended), { to: 'suspended', reason: 'Подсудимый скрылся' });
  assert.deepEqual(caseStatusChange('suspended', opened), { to: 'in_trial', reason: null }, 'a new sitting opened resumes the case');
  assert.deepEqual(caseStatusChange('in_trial', ended), { to: 'closed', reason: null });
});

test('caseStatusChange: what changes nothing', () => {
  assert.equal(caseStatusChange('in_trial', opened), null, 'a later sitting of a case in trial');
  assert.equal(caseStatusChange('suspended', suspended), null, 'already suspended: the first suspension stands');
  for (const status of ['received', 'in_trial', 'suspended'] as CaseStatus[]) {
    for (const type of ['hearing.adjourned', 'break.started', 'break.ended', 'stage.changed', 'mark.added'] as const) {
      assert.equal(caseStatusChange(status, { type, payload: {} } as never), null, `${type} in a ${status} case`);
    }
  }
  for (const event of [opened, suspended, ended]) assert.equal(caseStatusChange('closed', event), null, `a closed case stays closed (${event.type})`);
});

test('changeKind names each change', () => {
  assert.equal(changeKind('received', 'in_trial'), 'trial_started');
  assert.equal(changeKind('in_trial', 'suspended'), 'suspended');
  assert.equal(changeKind('suspended', 'in_trial'), 'resumed');
  assert.equal(changeKind('in_trial', 'closed'), 'closed');
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isWallScreen, workstationPath } from './workstation-path.ts';

test('each seat of a hearing has its own page', () => {
  assert.equal(workstationPath('h1', 'presiding_judge'), '/hearings/h1/judge');
  assert.equal(workstationPath('h1', 'secretary'), '/hearings/h1/secretary');
  assert.equal(workstationPath('h1', 'prosecutor'), '/hearings/h1/prosecutor');
  assert.equal(workstationPath('h1', 'defender'), '/hearings/h1/defender');
  assert.equal(workstationPath('h1', 'hall_display'), '/hearings/h1/display');
  assert.equal(workstationPath('h1', 'court'), '/hearings/h1/display', 'the office follows read-only');
  assert.equal(workstationPath('a/b', 'secretary'), '/hearings/a%2Fb/secretary');
});

test('only the display route is a bare wall screen', () => {
  assert.equal(isWallScreen('/hearings/[id]/display'), true);
  assert.equal(isWallScreen('/hearings/[id]/judge'), false);
  assert.equal(isWallScreen(null), false);
});

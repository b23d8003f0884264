import assert from 'node:assert/strict';
import { test } from 'node:test';
import { displayMayRead, isWallScreen } from './wall-screen.ts';

const sitting = { hearingId: 'h1', shownDocumentId: 'd1' };

test('while a hearing sits in its hall: the layout and the shown document only', () => {
  assert.equal(displayMayRead(sitting, { action: 'case.inventory' }), true);
  assert.equal(displayMayRead(sitting, { action: 'document.read', documentId: 'd1' }), true);
  assert.equal(displayMayRead(sitting, { action: 'document.read', documentId: 'd2' }), false);
  assert.equal(displayMayRead(sitting, { action: 'document.read' }), false);
  assert.equal(displayMayRead({ hearingId: 'h1', shownDocumentId: null }, { action: 'document.read', documentId: 'd1' }), false);
  for (const action of ['case.read', 'case.verify', 'case.search', 'motion.register', 'motion.attachment', 'note.list', 'note.create', 'act.list', 'hearing.list', 'protocol.read']) {
    assert.equal(displayMayRead(sitting, { action }), false, action);
  }
});

test('no hearing sitting: nothing', () => {
  assert.equal(displayMayRead(null, { action: 'case.inventory' }), false);
  assert.equal(displayMayRead(null, { action: 'document.read', documentId: 'd1' }), false);
});

test('a wall screen is an account with the hall_display role', () => {
  assert.equal(isWallScreen({ roles: ['hall_display'] }), true);
  assert.equal(isWallScreen({ roles: ['office'] }), false);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { samePosition, toShown, toViewerPosition } from './positions.ts';

test('a shown position crosses between the hearing and the viewer unchanged', () => {
  const shown = { documentId: 'd4', page: 5, volume: 2, sheet: 5, zoom: 1.5, region: { x: 0.1, y: 0.2, width: 0.5, height: 0.25 } };
  const viewer = toViewerPosition(shown);
  assert.deepEqual(viewer, { documentId: 'd4', page: 5, zoom: 1.5, region: { x: 0.1, y: 0.2, w: 0.5, h: 0.25 } });
  assert.deepEqual(toShown(viewer), { documentId: 'd4', page: 5, zoom: 1.5, region: shown.region });
  assert.deepEqual(toShown({ documentId: 'd1', page: 1, zoom: 1 }).region, null);
});

test('positions are the same when page, zoom and region are', () => {
  const a = { documentId: 'd', page: 2, zoom: 1, region: null };
  assert.equal(samePosition(a, { ...a }), true);
  assert.equal(samePosition(a, { documentId: 'd', page: 2, zoom: 1 }), true, 'no region is no region');
  assert.equal(samePosition(a, { ...a, page: 3 }), false);
  assert.equal(samePosition(a, { ...a, zoom: 2 }), false);
  assert.equal(samePosition(a, { ...a, region: { x: 0, y: 0, w: 1, h: 0.5 } }), false);
  assert.equal(samePosition(a, null), false);
  assert.equal(samePosition(null, null), true);
});

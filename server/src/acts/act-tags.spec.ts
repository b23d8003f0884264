import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dateTokens, filterExpression, tagsOf } from './act-tags.ts';

test('dateTokens: whole years, then whole months, then days', () => {
  assert.deepEqual(dateTokens('2024-01-01', '2025-12-31'), ['y2024', 'y2025']);
  assert.deepEqual(dateTokens('2024-11-30', '2025-02-02'), ['d20241130', 'm202412', 'm202501', 'd20250201', 'd20250202']);
  assert.deepEqual(dateTokens('2024-02-28', '2024-03-01'), ['d20240228', 'd20240229', 'd20240301']);
  assert.deepEqual(dateTokens('2025-01-02', '2025-01-01'), []);
});

test('tagsOf and filterExpression name the same tokens', () => {
  const tags = tagsOf({ courtId: 'A-1', judgeId: 'J-2', articles: ['188', '190'], outcome: 'conviction', kind: 'verdict', actDate: '2026-11-20' });
  assert.equal(tags, 'crta1 jdgj2 art188 art190 outconviction kndverdict y2026 m202611 d20261120');
  assert.equal(filterExpression({ courtId: 'A-1', article: '190', from: '2026-11-01', to: '2026-11-30' }), '"crta1" AND "art190" AND ("m202611")');
  assert.equal(filterExpression({}), null);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { caseSummary } from './case-summary.ts';

test('a summary names every accused and every article, in each language', () => {
  const summary = caseSummary(
    ['Ахметов Данияр Серикович', 'Ким Ольга'],
    [
      { code: 'УК РК', article: '188', part: '2' },
      { code: 'УК РК', article: '190' },
    ],
  );
  assert.equal(summary.ru, 'Ахметов Данияр Серикович, Ким Ольга — ч. 2 ст. 188 УК РК; ст. 190 УК РК');
  assert.equal(summary.kk, 'Ахметов Данияр Серикович, Ким Ольга — ҚР ҚК 188-бабының 2-бөлігі; ҚР ҚК 190-бабы');
});

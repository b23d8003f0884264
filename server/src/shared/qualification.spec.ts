import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatArticle } from './qualification.ts';

test('articles read the way a lawyer writes them in each language', () => {
  const q = { code: 'УК РК', article: '188', part: '2', paragraph: '3' };
  assert.equal(formatArticle(q, 'ru'), 'п. 3 ч. 2 ст. 188 УК РК');
  assert.equal(formatArticle(q, 'kk'), 'ҚР ҚК 188-бабы 2-бөлігінің 3-тармағы');
  assert.equal(formatArticle(q, 'en'), 'Criminal Code of Kazakhstan, art. 188 part 2 para. 3');
  assert.equal(formatArticle({ code: 'УК РК', article: '190' }, 'ru'), 'ст. 190 УК РК');
  assert.equal(formatArticle({ code: 'ҚР ҚК', article: '188', part: '2' }, 'kk'), 'ҚР ҚК 188-бабының 2-бөлігі');
  assert.equal(formatArticle({ code: 'КоАП РК', article: '73', part: '1' }, 'en'), 'КоАП РК, art. 73 part 1', 'another code keeps its own name');
});

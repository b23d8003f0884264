import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { termRanges } from './term-ranges.ts';

describe('search words in a page’s text', () => {
  const marked = (text: string, terms: string[]) => termRanges(text, terms).map(([from, to]) => text.slice(from, to));

  test('a word is found at the start of words, whatever its case, ё or е', () => {
    assert.deepEqual(marked('Кража телефона; ТЕЛЕФОН найден', ['телефон']), ['телефон', 'ТЕЛЕФОН']);
    assert.deepEqual(marked('Ёмкость и емкость', ['емк']), ['Ёмк', 'емк']);
    assert.deepEqual(marked('Қылмыстық іс', ['қылмыс', 'іс']), ['Қылмыс', 'іс']);
  });

  test('not inside a word', () => {
    assert.deepEqual(marked('радиотелефон', ['телефон']), []);
  });

  test('overlapping words are marked once', () => {
    assert.deepEqual(termRanges('показания', ['показ', 'показан']), [[0, 7]]);
  });

  test('nothing to mark without terms', () => {
    assert.deepEqual(termRanges('текст', []), []);
    assert.deepEqual(termRanges('текст', ['']), []);
  });
});

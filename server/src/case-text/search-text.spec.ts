import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { parseSearchQuery, searchableText } from './search-text.ts';

describe('searchable text', () => {
  test('folds ё into е, collapses blanks and control characters, keeps lines', () => {
    assert.equal(searchableText('  Ёлка\u0000и   ёж \t\n\n  на\u00a0поляне '), 'Елка и еж\nна поляне');
  });

  test('Kazakh letters are kept as they are', () => {
    assert.equal(searchableText('Қылмыстық іс · Ә Ғ Қ Ң Ө Ұ Ү Һ І'), 'Қылмыстық іс · Ә Ғ Қ Ң Ө Ұ Ү Һ І');
  });
});

describe('search queries', () => {
  test('each word becomes a quoted prefix; Russian endings are trimmed, short words kept', () => {
    assert.deepEqual(parseSearchQuery('Кража телефона у Ахметова'), {
      match: '"краж"* AND "телефон"* AND "у"* AND "ахметов"*',
      terms: ['краж', 'телефон', 'у', 'ахметов'],
    });
    assert.deepEqual(parseSearchQuery('burglary')?.terms, ['burglary']);
    assert.deepEqual(parseSearchQuery('нож')?.terms, ['нож']);
  });

  test('input that is not a word gives no query', () => {
    for (const input of ['', '   ', '***', '"', '— …', '()']) assert.equal(parseSearchQuery(input), null, input);
  });

  test('quotes and FTS5 syntax in the input are only ever text', () => {
    assert.equal(parseSearchQuery('a"b')?.match, '"a""b"*');
    assert.equal(parseSearchQuery('NEAR(x y) OR body:z')?.match, '"near(x"* AND "y"* AND "or"* AND "body:z"*');
  });

  test('at most eight distinct words', () => {
    assert.equal(parseSearchQuery('one two three four five six seven eight nine ten')?.terms.length, 8);
    assert.deepEqual(parseSearchQuery('суд суд СУД')?.terms, ['суд']);
  });

  test('every query runs in FTS5 and finds what a reader expects', () => {
    const db = new Database(':memory:');
    db.exec("create virtual table t using fts5(body, tokenize = 'unicode61 remove_diacritics 2')");
    const insert = db.prepare('insert into t(body) values (?)');
    insert.run(searchableText('Протокол допроса: кражи телефонов. Ёмкость.'));
    insert.run(searchableText('Қылмыстық іс бойынша айыптау актісі'));
    const find = (input: string) => {
      const query = parseSearchQuery(input);
      return query ? (db.prepare('select count(*) as n from t where t match ?').get(query.match) as { n: number }).n : -1;
    };
    assert.equal(find('КРАЖА'), 1);
    assert.equal(find('телефона'), 1);
    assert.equal(find('емкость'), 1);
    assert.equal(find('ёмкость'), 1);
    assert.equal(find('қылмыстық'), 1);
    assert.equal(find('ҚЫЛМЫСТЫҚ ІС'), 1);
    assert.equal(find('допрос NEAR(x'), 0);
    assert.equal(find('a"b OR c'), 0);
    assert.equal(find('"*^:-+'), -1);
  });
});

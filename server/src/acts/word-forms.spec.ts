import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseActsQuery, stem } from './word-forms.ts';

/**
 * A hand-made set: the form a person types, and forms of the same word in acts (should be found),
 * and other words sharing letters (should not). The recall and precision printed here are the
 * figures docs/acts-search.md quotes.
 */
const SAME: [string, string[]][] = [
  ['кража', ['кражи', 'краже', 'кражу', 'кражей', 'кражах']],
  ['приговор', ['приговора', 'приговору', 'приговором', 'приговоре', 'приговоры']],
  ['потерпевшая', ['потерпевшей', 'потерпевшую', 'потерпевшая']],
  ['мошенничество', ['мошенничества', 'мошенничеству', 'мошенничеством']],
  ['наказание', ['наказания', 'наказанию', 'наказанием', 'наказании']],
  ['свидетель', ['свидетеля', 'свидетелю', 'свидетелем', 'свидетели', 'свидетелей']],
  ['лишение свободы', ['лишения свободы', 'лишением свободы']],
  ['ұрлық', ['ұрлықты', 'ұрлықтың', 'ұрлыққа', 'ұрлығы']],
  ['үкім', ['үкімі', 'үкімнің', 'үкімге', 'үкімді']],
  ['жәбірленуші', ['жәбірленушінің', 'жәбірленушіге', 'жәбірленушіні']],
  ['сотталушы', ['сотталушының', 'сотталушыға', 'сотталушыны', 'сотталушылар']],
  ['куәгер', ['куәгердің', 'куәгерге', 'куәгерлер']],
  ['айыппұл', ['айыппұлды', 'айыппұлдың', 'айыппұлға']],
];
const OTHER: [string, string[]][] = [
  ['кража', ['крах', 'краска']],
  ['приговор', ['прием', 'привод']],
  ['свидетель', ['свидание']],
  ['үкім', ['үкімет']],
];

/** Would the query for `typed` find a text containing `form`? (Prefix of the stem, as FTS5 does it.) */
function finds(typed: string, form: string): boolean {
  const query = parseActsQuery(typed)!;
  const words = form.toLowerCase().split(/\s+/);
  return query.terms.every((term) => words.some((word) => word.startsWith(term)));
}

test('word forms: Russian and Kazakh inflections of a typed word are found (recall on the hand-made set)', () => {
  const pairs = SAME.flatMap(([typed, forms]) => forms.map((form) => [typed, form] as const));
  const found = pairs.filter(([typed, form]) => finds(typed, form));
  const recall = found.length / pairs.length;
  console.log(`acts word forms: recall ${(recall * 100).toFixed(1)}% (${found.length}/${pairs.length})`);
  assert.ok(
    recall >= 0.95,
    `recall ${recall}: missed ${pairs
      .filter((p) => !found.includes(p))
      .map((p) => p.join('→'))
      .join(', ')}`,
  );
});

test('word forms: unrelated words sharing letters are mostly not found (precision on the hand-made set)', () => {
  const pairs = OTHER.flatMap(([typed, forms]) => forms.map((form) => [typed, form] as const));
  const wrong = pairs.filter(([typed, form]) => finds(typed, form));
  console.log(`acts word forms: false matches ${wrong.length}/${pairs.length}: ${wrong.map((p) => p.join('→')).join(', ')}`);
  assert.ok(wrong.length <= 1);
});

test('stem: numbers and short words stay as they are', () => {
  assert.equal(stem('188'), '188');
  assert.equal(stem('суд'), 'суд');
  assert.equal(stem('кража'), 'краж');
});

test('parseActsQuery: quoted words are a key phrase, quotes in input cannot break the expression', () => {
  assert.equal(parseActsQuery('"лишение свободы" кража')!.match, 'NEAR("лишен"* "свобо"*, 0) AND "краж"*');
  // Three words next to each other: FTS5 counts the middle one as between the first and the last.
  assert.equal(parseActsQuery('"лишение свободы сроком"')!.match, 'NEAR("лишен"* "свобо"* "срок"*, 1)');
  assert.deepEqual(parseActsQuery('"лишение свободы" кража')!.parts, [['лишен', 'свобо'], ['краж']]);
  assert.equal(parseActsQuery('a"b OR c*')!.match, '"a"* AND "b"* AND "or"* AND "c"*');
  assert.equal(parseActsQuery('  ,,, "" '), null);
});

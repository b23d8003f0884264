import assert from 'node:assert/strict';
import { test } from 'node:test';
import { depersonalise } from './depersonalise.ts';
import { KK_ACT, KK_LEAKS, KK_PEOPLE, RU_ACT, RU_LEAKS, RU_PEOPLE } from './depersonalise.fixtures.ts';

function leaksIn(text: string, leaks: string[]): string[] {
  return leaks.filter((leak) => text.toLowerCase().includes(leak.toLowerCase()));
}

test('depersonalise: a Russian verdict keeps no participant name in any form, no IIN, phone, e-mail, birth date or address', () => {
  const { text, persons } = depersonalise(RU_ACT, RU_PEOPLE, 'ru');
  assert.deepEqual(leaksIn(text, RU_LEAKS), []);
  assert.equal(persons, 3);
  // The same person is the same pseudonym throughout: the defendant appears first.
  assert.match(text, /по обвинению Лицо 1, \[дата рождения\] года рождения, ИИН \[ИИН\]/);
  assert.match(text, /13 августа 2026 года Лицо 1 незаконно/);
  assert.match(text, /принадлежащее Лицо 2\.\n/);
  assert.match(text, /Свидетель Лицо 3, \[дата рождения\] г\.р\., тел\. \[телефон\]/);
  assert.match(text, /Признать Лицо 1 виновным/);
  // What is not personal stays: the court, the article, the sum, the date of the offence.
  assert.match(text, /п\. 3 ч\. 2 ст\. 188 УК РК/);
  assert.match(text, /515 000 тенге/);
  assert.match(text, /13 августа 2026 года/);
});

test('depersonalise: a Kazakh ruling — names with Kazakh case endings, ЖСН, addresses in Kazakh order', () => {
  const { text, persons } = depersonalise(KK_ACT, KK_PEOPLE, 'kk');
  assert.deepEqual(leaksIn(text, KK_LEAKS), []);
  assert.equal(persons, 2);
  assert.match(text, /1-тұлға/);
  assert.match(text, /жәбірленуші 2-тұлға \(e-mail: \[e-mail\]\)/);
  assert.match(text, /\[ЖСН\]/);
});

test('depersonalise: pattern rules catch people the case does not list', () => {
  const { text } = depersonalise('Свидетель указал телефон +7 (777) 000-11-22, почту a.b@x.kz и ИИН 010203500111; номер дела 261500031000457.', [], 'ru');
  assert.equal(text, 'Свидетель указал телефон [телефон], почту [e-mail] и ИИН [ИИН]; номер дела 261500031000457.');
});

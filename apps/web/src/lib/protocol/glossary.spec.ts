import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GLOSSARY, phraseFor } from './glossary.ts';

test('every stage has phrases in both languages, at most one per shortcut', () => {
  for (const [stage, phrases] of Object.entries(GLOSSARY)) {
    assert.ok(phrases.length >= 1 && phrases.length <= 9, stage);
    for (const p of phrases) assert.ok(p.kk.trim() && p.ru.trim(), `${stage}: ${p.ru}`);
  }
});

test('Alt+digit gives the phrase of the current stage in the protocol language', () => {
  assert.equal(phraseFor('preparatory', 1, 'kk'), 'Сот отырысы ашық деп жарияланды');
  assert.equal(phraseFor('preparatory', 1, 'ru'), 'Судебное заседание объявлено открытым');
  assert.equal(phraseFor('last_word', 2, 'ru'), null);
  assert.equal(phraseFor(null, 1, 'ru'), null);
});

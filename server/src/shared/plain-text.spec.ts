import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from './errors.ts';
import { plainText } from './plain-text.ts';

const unsafe = (error: unknown) => error instanceof AppError && error.code === 'text_unsafe';

test('plain text passes, trimmed, with its line breaks made \\n; Kazakh and Russian untouched', () => {
  assert.equal(plainText('  Өтінішхат: прошу приобщить.\r\nВторая строка «с кавычками» & <не тег>  '), 'Өтінішхат: прошу приобщить.\nВторая строка «с кавычками» & <не тег>');
  assert.equal(plainText('Ставка 5 < 7, person=1'), 'Ставка 5 < 7, person=1');
});

test('scripts, tags that load or run something, handlers and control characters are refused', () => {
  for (const text of [
    '<script>alert(1)</script>',
    '< SCRIPT src=x>',
    'x <img src=x onerror=alert(1)>',
    '<svg onload=1>',
    'javascript:alert(1)',
    'a onclick = "x"',
    'bell\u0007',
    'bidi \u202e override',
  ]) {
    assert.throws(() => plainText(text), unsafe, text);
  }
});

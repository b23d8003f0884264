import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeIin, sequentialIin } from '../../../../tests/helpers/ecase-builder.ts';
import { iinCheckDigit } from './iin.ts';
import { isValidIin } from './validate-package.ts';

test('the IINs of the SPEC and of the samples are valid', () => {
  for (const iin of ['850412300125', '900101300116', '900101300007', '750302200000', '920312450000', '880705400000']) {
    assert.equal(isValidIin(iin), true, iin);
  }
});

test('a wrong check digit, a wrong length or a non-digit makes an IIN invalid', () => {
  assert.equal(isValidIin('900101300008'), false); // invalid-mixed.zip's accused
  assert.equal(isValidIin('85041230012'), false);
  assert.equal(isValidIin('8504123001250'), false);
  assert.equal(isValidIin('85041230012a'), false);
  assert.equal(isValidIin(' 850412300125'), false);
});

test('when the first pass gives 10, the second weights decide the check digit', () => {
  // 90010100090: first pass 109 mod 11 = 10, second pass 50 mod 11 = 6.
  assert.equal(isValidIin('900101000906'), true);
  assert.equal(isValidIin('900101000900'), false); // a naive "10 → 0" implementation accepts this
  const first11 = findFirst11((digits) => weighted(digits, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]) === 10 && weighted(digits, [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]) !== 10);
  const second = weighted([...first11].map(Number), [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]);
  assert.equal(iinCheckDigit(first11), second);
  assert.equal(isValidIin(first11 + second), true);
  for (let d = 0; d <= 9; d++) if (d !== second) assert.equal(isValidIin(first11 + d), false);
});

test('when both passes give 10, no IIN with those 11 digits is valid', () => {
  assert.equal(iinCheckDigit('90010100092'), null);
  const first11 = findFirst11((digits) => weighted(digits, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]) === 10 && weighted(digits, [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]) === 10);
  assert.equal(iinCheckDigit(first11), null);
  for (let d = 0; d <= 9; d++) assert.equal(isValidIin(first11 + d), false);
});

test('the test generator makes valid, distinct IINs', () => {
  const many = Array.from({ length: 2000 }, (_, n) => sequentialIin(n));
  assert.ok(many.every(isValidIin));
  assert.equal(new Set(many).size, many.length);
  assert.match(makeIin('1985-04-12', 12), /^8504123\d{5}$/);
});

function weighted(digits: number[], weights: number[]): number {
  return digits.reduce((sum, d, i) => sum + d * weights[i], 0) % 11;
}

function findFirst11(wanted: (digits: number[]) => boolean): string {
  for (let serial = 0; serial < 100_000; serial++) {
    const first11 = `900101${String(serial).padStart(5, '0')}`;
    if (wanted([...first11].map(Number))) return first11;
  }
  throw new Error('no such IIN prefix');
}

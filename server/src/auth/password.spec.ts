import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashPassword, passwordProblem, verifyPassword, WeakPasswordError } from './password.ts';

const judge = { username: 'a.serikov', fullName: 'Сериков Арман Болатович' };

test('the obvious passwords are refused when set', () => {
  for (const weak of [
    'short',
    '1234567890',
    '0987654321',
    '12345678901234',
    'abcdefghij',
    'zyxwvutsrq',
    'qwertyuiop',
    'йцукенгшщз',
    'aaaaaaaaaa',
    '0000000000',
    'password123',
    'Qwerty123!',
    '2024Welcome!',
    'iloveyou99',
  ]) {
    assert.ok(passwordProblem(weak), `${weak} is accepted`);
  }
});

test("a password containing the account's username or a part of the name is refused", () => {
  assert.match(passwordProblem('a.serikov-2026!', judge) ?? '', /username or the name/);
  assert.match(passwordProblem('Арман-судья-2026', judge) ?? '', /username or the name/);
  assert.match(passwordProblem('болатович-дома', judge) ?? '', /username or the name/);
  assert.equal(passwordProblem('Tulpar-on-the-steppe-7', judge), null);
});

test('a good password is hashed and verifies; a weak one is refused with WeakPasswordError', async () => {
  const hash = await hashPassword('Tulpar-on-the-steppe-7', judge);
  assert.equal(await verifyPassword(hash, 'Tulpar-on-the-steppe-7'), true);
  await assert.rejects(hashPassword('1234567890'), WeakPasswordError);
});

test('the rule is not applied at login: a demo password shorter than the rule still verifies', async () => {
  const { hash } = await import('@node-rs/argon2');
  assert.equal(await verifyPassword(await hash('ezal-demo'), 'ezal-demo'), true);
});

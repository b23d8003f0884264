/**
 * The header policy is the built page's meta policy plus frame-ancestors; it follows a rebuild of
 * the page while the server runs, and allows nothing when there is no web app.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { API_ONLY_POLICY, contentSecurityPolicy, headerPolicyOf } from './content-security-policy.ts';

const page = (hash: string) => `<head><meta http-equiv="content-security-policy" content="default-src 'self'; object-src 'none'; script-src 'self' 'sha256-${hash}'"></head>`;

test("the meta tag's policy, with frame-ancestors 'none' added", () => {
  assert.equal(headerPolicyOf(page('abc=')), "default-src 'self'; object-src 'none'; script-src 'self' 'sha256-abc='; frame-ancestors 'none'");
  assert.equal(headerPolicyOf('<head><title>no policy</title></head>'), null);
});

test('follows index.html when it is rebuilt; nothing allowed without a web app', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-csp-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const policy = contentSecurityPolicy(dir);
  assert.equal(policy(), API_ONLY_POLICY);
  const index = path.join(dir, 'index.html');
  fs.writeFileSync(index, page('first='));
  assert.match(policy(), /'sha256-first='; frame-ancestors 'none'$/);
  fs.writeFileSync(index, page('second='));
  fs.utimesSync(index, new Date(), new Date(Date.now() + 5_000));
  assert.match(policy(), /'sha256-second='/);
});

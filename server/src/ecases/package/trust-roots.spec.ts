/**
 * ECASE_TRUST_ROOTS: comma-separated PEM files or folders; a bad entry fails loudly at start-up.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { makeTestPki, toPem, type TestPki } from '../../../../tests/helpers/ecase-builder.ts';
import { tempDir } from './spec-helpers.ts';
import { loadTrustRoots } from './validate-package.ts';

let pki: TestPki;
let dir: string;

before(async () => {
  pki = await makeTestPki();
  dir = tempDir();
  fs.writeFileSync(path.join(dir, 'court.pem'), pki.root.pem);
  fs.mkdirSync(path.join(dir, 'roots'));
  fs.writeFileSync(path.join(dir, 'roots', 'a.crt'), pki.root.pem);
  fs.writeFileSync(path.join(dir, 'roots', 'b.pem'), pki.rogueRoot.pem + pki.root.pem); // a bundle of two
  fs.writeFileSync(path.join(dir, 'roots', 'notes.txt'), 'ignored: not *.pem or *.crt');
});

test('files and folders, comma-separated, give one PEM text per certificate', async () => {
  assert.deepEqual(await loadTrustRoots(path.join(dir, 'court.pem')), [pki.root.pem.trim()]);
  const all = await loadTrustRoots(` ${path.join(dir, 'court.pem')} , ${path.join(dir, 'roots')} `);
  assert.deepEqual(
    all,
    [pki.root.pem, pki.root.pem, pki.rogueRoot.pem, pki.root.pem].map((p) => p.trim()),
  );
});

test('a missing path, an empty folder, a file without a certificate, a broken or non-CA certificate each throw a clear error', async () => {
  await assert.rejects(loadTrustRoots(''), /names no certificate/);
  await assert.rejects(loadTrustRoots(path.join(dir, 'nope.pem')), /nope\.pem" cannot be read: ENOENT/);
  const empty = path.join(dir, 'empty');
  fs.mkdirSync(empty);
  await assert.rejects(loadTrustRoots(empty), /has no \*\.pem or \*\.crt/);
  fs.writeFileSync(path.join(dir, 'text.pem'), 'hello');
  await assert.rejects(loadTrustRoots(path.join(dir, 'text.pem')), /holds no PEM certificate/);
  fs.writeFileSync(path.join(dir, 'broken.pem'), '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
  await assert.rejects(loadTrustRoots(path.join(dir, 'broken.pem')), /invalid certificate/);
  fs.writeFileSync(path.join(dir, 'leaf.pem'), toPem(pki.signer.cert));
  await assert.rejects(loadTrustRoots(path.join(dir, 'leaf.pem')), /not a CA/);
});

/**
 * The two packages of the contract (shared/ecase-package/samples), signed by the test CA.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { makeTestPki } from '../../../../tests/helpers/ecase-builder.ts';
import { ECASE_PACKAGE_DIR } from '../../../../tests/helpers/shared-material.ts';
import { extractZip, problemsOf, tempDir, validateFile } from './spec-helpers.ts';
import { loadTrustRoots, readStaged } from './validate-package.ts';

const SHARED = ECASE_PACKAGE_DIR;
const VALID = path.join(SHARED, 'samples/valid-small.zip');
const INVALID = path.join(SHARED, 'samples/invalid-mixed.zip');
let testCaRoot: string[];

before(async () => {
  testCaRoot = await loadTrustRoots(path.join(SHARED, 'test-ca/root.pem'));
});

test('valid-small.zip is accepted with the test CA as trust root', async () => {
  const result = await validateFile(VALID, testCaRoot);
  assert.equal(problemsOf(result), 'ok');
  assert.ok(result.ok);
  const { pkg } = result;
  assert.equal(pkg.packageId, '3cfeefc2-bd23-47d5-87ec-64170c26be22');
  assert.equal(pkg.erdrNumber, '241500059705605');
  assert.deepEqual(pkg.volumes, [
    { number: 1, title: 'Том 1', sheets: 12 },
    { number: 2, title: 'Том 2', sheets: 12 },
  ]);
  assert.deepEqual(
    pkg.documents.map((d) => `${d.volume}.${d.position} ${d.id}`),
    ['1.1 d1', '1.2 d2', '1.3 d3', '1.4 d4', '1.5 m1', '2.1 d5', '2.2 d6', '2.3 d7', '2.4 d8'],
  );
  assert.equal(pkg.participants.length, 5);
  assert.equal(pkg.materialEvidence[0].id, 'e1');

  assert.equal(pkg.manifestSignature.signerIin, '850412300125');
  assert.equal(pkg.manifestSignature.signerName, 'САПАРОВ ЕРЛАН');
  assert.equal(pkg.manifestSignature.issuer, 'Test NCA Root (TESTS ONLY)');
  assert.equal(pkg.manifestSignature.signingTime, '2026-11-22T12:54:25.000Z');
  assert.equal(pkg.manifestSha256, createHash('sha256').update(pkg.manifestBytes).digest('hex'));

  const d1 = pkg.documents[0];
  assert.equal(d1.signatures.length, 1);
  assert.equal(d1.signatures[0].file, 'signatures/d1.p7s');
  assert.equal(d1.signatureFiles[0].entry, 'signatures/d1.p7s');
  const m1 = pkg.documents[4];
  assert.deepEqual([m1.kind, m1.mimeType, m1.attachedTo, m1.pages, m1.sheetFrom], ['media', 'video/webm', 'd2', null, null]);

  // Every staged file is the entry's exact bytes, each in its own file of the caller's staging folder.
  for (const file of [...pkg.documents.flatMap((d) => [d.file, ...d.signatureFiles]), pkg.manifestSignatureFile]) {
    assert.equal(path.dirname(file.stagedPath), result.stagingDir);
    assert.equal(file.spoolOffset, null);
    const bytes = fs.readFileSync(file.stagedPath);
    assert.equal(bytes.length, file.size);
    assert.equal(createHash('sha256').update(bytes).digest('hex'), file.sha256);
  }
});

test('with a spool, small files are staged in it and large ones in files of their own', async () => {
  const result = await validateFile(VALID, testCaRoot, { inlineMaxBytes: 12 * 1024 });
  assert.ok(result.ok, JSON.stringify(!result.ok && result.problems));
  const files = [...result.pkg.documents.flatMap((d) => [d.file, ...d.signatureFiles]), result.pkg.manifestSignatureFile];
  const spooled = files.filter((f) => f.spoolOffset !== null);
  assert.deepEqual(
    spooled.map((f) => f.size <= 12 * 1024),
    spooled.map(() => true),
  );
  assert.ok(spooled.length >= 5 && spooled.length < files.length, 'both kinds are there');
  assert.deepEqual(
    fs.readdirSync(result.stagingDir).filter((n) => n.endsWith('.spool')),
    ['inline.spool'],
  );
  for (const file of files) {
    const bytes = readStaged(file);
    assert.equal(bytes.length, file.size);
    assert.equal(createHash('sha256').update(bytes).digest('hex'), file.sha256, file.entry);
  }
});

test('invalid-mixed.zip is rejected with every rule it breaks', async () => {
  const result = await validateFile(INVALID, testCaRoot);
  assert.deepEqual(problemsOf(result), [
    ['file_unreferenced', 'documents/unlisted.pdf'],
    ['hash_mismatch', '/volumes/0/documents/0/sha256'], // d1's file is not the one the manifest hashed
    ['iin_invalid', '/participants/0/iin'], // 900101300008: wrong check digit
    ['pdf_page_count', '/volumes/0/documents/1/pages'], // d2 says 1 page, its PDF has 2
    ['reference_unknown', '/participants/0/representedBy/0'], // "p99"
    ['sheet_gap', '/volumes/0/documents/1/sheetFrom'], // volume 1: d1 ends at sheet 1, d2 starts at 3
  ]);
});

test('the valid sample is refused when the court trusts another root', async () => {
  const otherRoot = (await makeTestPki()).root.pem;
  const result = await validateFile(VALID, [otherRoot]);
  assert.deepEqual(problemsOf(result), [
    ['signature_untrusted', '/volumes/0/documents/0/signatures/0'],
    ['signature_untrusted', '/volumes/0/documents/2/signatures/0'],
    ['signature_untrusted', '/volumes/1/documents/0/signatures/0'],
    ['signature_untrusted', '/volumes/1/documents/2/signatures/0'],
    ['signature_untrusted', 'manifest.json.p7s'],
  ]);
});

test('the valid sample unpacked into a directory is accepted too', async () => {
  const dir = await extractZip(VALID, tempDir());
  const result = await validateFile(dir, testCaRoot);
  assert.equal(problemsOf(result), 'ok');
});

test('a signature stays valid after its certificate expires: validity is judged at signingTime', async () => {
  // Ingesting ten years later: the signer certificate has expired by then, but it was valid when
  // the manifest was signed, which is what SPEC section 4 asks.
  const result = await validateFile(VALID, testCaRoot, { now: new Date('2040-01-01T00:00:00Z') });
  assert.equal(problemsOf(result), 'ok');
});

/**
 * SPEC section 2, one broken rule per test, each through the whole validator: the exact problems
 * it reports, and nothing else.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { EcaseBuilder } from '../../../../tests/helpers/ecase-builder.ts';
import { brokenPackages, problemsOf, tempDir, validateBuilt, validateFile } from './spec-helpers.ts';

const packages = brokenPackages();
const { problemsAfter } = packages;

const loose = (value: unknown) => value as Record<string, unknown>;

test('the default built package is valid', async () => {
  assert.equal(await problemsAfter(() => {}), 'ok');
});

test('manifest_missing: no manifest.json at the root', async () => {
  const dir = await (await EcaseBuilder.create(packages.state.pki)).writeDirectory(path.join(tempDir(), 'package'));
  fs.renameSync(path.join(dir, 'manifest.json'), path.join(dir, 'documents', 'manifest.json'));
  assert.deepEqual(problemsOf(await validateFile(dir, packages.state.roots)), [['manifest_missing', 'manifest.json']]);
});

test('manifest_invalid_json: not JSON, or not UTF-8; and JSON that is not an object', async () => {
  assert.deepEqual(await problemsAfter((b) => void (b.manifestBytesOverride = Buffer.from('{ "format": "erdr-ecase", '))), [['manifest_invalid_json', 'manifest.json']]);
  assert.deepEqual(await problemsAfter((b) => void (b.manifestBytesOverride = Buffer.from([0x7b, 0xff, 0x7d]))), [['manifest_invalid_json', 'manifest.json']]);
  assert.deepEqual(await problemsAfter((b) => void (b.manifestBytesOverride = Buffer.from('[]'))), [['manifest_schema', '']]);
});

test('format_unsupported: another format or major version stops the checks there', async () => {
  assert.deepEqual(await problemsAfter((b) => void (b.manifest.formatVersion = '2.0')), [['format_unsupported', '/formatVersion']]);
  assert.deepEqual(
    await problemsAfter((b) => {
      b.manifest.format = 'erdr-case';
      b.manifest.participants = [];
    }),
    [['format_unsupported', '/format']],
  );
});

test('a higher minor version with unknown fields is accepted, and the fields are kept', async () => {
  const builder = await EcaseBuilder.create(packages.state.pki);
  builder.manifest.formatVersion = '1.3';
  loose(builder.manifest).transport = { channel: 'ERDR-Toreleik' };
  loose(builder.manifest.participants[0]).nationality = 'KZ';
  const result = await validateBuilt(builder, packages.state.roots);
  assert.ok(result.ok);
  assert.deepEqual(loose(result.pkg.manifest).transport, { channel: 'ERDR-Toreleik' });
  assert.equal(loose(result.pkg.participants[0]).nationality, 'KZ');
});

test('manifest_schema: each structural problem at its JSON pointer', async () => {
  assert.deepEqual(
    await problemsAfter((b) => {
      delete loose(b.manifest).packageId;
      b.manifest.createdAt = '2026-10-01 09:30';
      b.manifest.case.registeredAt = '2024-02-30';
      loose(b.manifest.case).language = 'en';
      b.manifest.case.qualification = [];
      loose(b.doc('d2')).pages = '2';
      loose(b.manifest.participants[1]).representedBy = 'p1';
    }),
    [
      ['manifest_schema', '/case/language'],
      ['manifest_schema', '/case/qualification'],
      ['manifest_schema', '/case/registeredAt'],
      ['manifest_schema', '/createdAt'],
      ['manifest_schema', '/packageId'],
      ['manifest_schema', '/participants/1/representedBy'],
      ['manifest_schema', '/volumes/0/documents/1/pages'],
    ],
  );
  assert.deepEqual(await problemsAfter((b) => void (b.manifest.packageId = '3cfeefc2-bd23-47d5-87ec')), [['manifest_schema', '/packageId']]);
});

test('iin_invalid: everywhere an iin appears, including fields the format does not know yet', async () => {
  assert.deepEqual(
    await problemsAfter((b) => {
      b.manifest.participants[2].iin = '920312450001';
      loose(b.manifest.participants[1]).guardian = { iin: '12345' };
    }),
    [
      ['iin_invalid', '/participants/1/guardian/iin'],
      ['iin_invalid', '/participants/2/iin'],
    ],
  );
  // The officer's IIN is also what the manifest signer must match.
  assert.deepEqual(await problemsAfter((b) => void (b.manifest.sender.officer.iin = '850412300126')), [
    ['iin_invalid', '/sender/officer/iin'],
    ['signer_iin_mismatch', '/sender/officer/iin'],
  ]);
});

test('erdr_number_invalid: not exactly 15 digits', async () => {
  assert.deepEqual(await problemsAfter((b) => void (b.manifest.case.erdrNumber = '24150003100012')), [['erdr_number_invalid', '/case/erdrNumber']]);
  assert.deepEqual(await problemsAfter((b) => void (b.manifest.case.erdrNumber = '24150003100012X')), [['erdr_number_invalid', '/case/erdrNumber']]);
});

test('participant_role_unknown and accused_missing', async () => {
  assert.deepEqual(await problemsAfter((b) => void (b.manifest.participants[2].role = 'judge')), [['participant_role_unknown', '/participants/2/role']]);
  assert.deepEqual(await problemsAfter((b) => void (b.manifest.participants[0].role = 'witness')), [['accused_missing', '/participants']]);
});

test('duplicate_id: participants, and documents across volumes', async () => {
  assert.deepEqual(await problemsAfter((b) => void (b.manifest.participants[2].id = 'p2')), [['duplicate_id', '/participants/2/id']]);
  assert.deepEqual(await problemsAfter((b) => void (b.doc('d6').id = 'd2')), [['duplicate_id', '/volumes/1/documents/1/id']]);
});

test('reference_unknown and reference_wrong_kind: representedBy and attachedTo', async () => {
  assert.deepEqual(await problemsAfter((b) => void (b.manifest.participants[0].representedBy = ['p2', 'p9'])), [['reference_unknown', '/participants/0/representedBy/1']]);
  assert.deepEqual(await problemsAfter((b) => void (b.doc('m1').attachedTo = 'd99')), [['reference_unknown', '/volumes/0/documents/4/attachedTo']]);
  assert.deepEqual(await problemsAfter((b) => void (b.doc('m1').attachedTo = 'm1')), [['reference_wrong_kind', '/volumes/0/documents/4/attachedTo']]);
});

test('document_kind_unknown and document_type_unknown', async () => {
  // A document of unknown kind occupies no sheets, so its sheets also become a gap.
  assert.deepEqual(await problemsAfter((b) => void (b.doc('d2').kind = 'scan')), [
    ['document_kind_unknown', '/volumes/0/documents/1/kind'],
    ['sheet_gap', '/volumes/0/documents/2/sheetFrom'],
  ]);
  assert.deepEqual(await problemsAfter((b) => void (b.doc('d2').type = 'memo')), [['document_type_unknown', '/volumes/0/documents/1/type']]);
});

test('document_field_missing: what pdf, electronic and media documents need', async () => {
  assert.deepEqual(
    await problemsAfter((b) => {
      delete b.doc('d1').pages;
      delete b.doc('d2').sha256;
      delete b.doc('m1').mimeType;
    }),
    [
      ['document_field_missing', '/volumes/0/documents/0/pages'],
      ['document_field_missing', '/volumes/0/documents/1/sha256'],
      ['document_field_missing', '/volumes/0/documents/4/mimeType'],
    ],
  );
});

test('media_has_sheets: a media document occupies no sheets', async () => {
  assert.deepEqual(await problemsAfter((b) => void (b.doc('m1').pages = 1)), [['media_has_sheets', '/volumes/0/documents/4/pages']]);
});

test('indictment_missing and indictment_wrong_type', async () => {
  assert.deepEqual(await problemsAfter((b) => void (b.manifest.indictmentDocumentId = 'd99')), [['indictment_missing', '/indictmentDocumentId']]);
  assert.deepEqual(await problemsAfter((b) => void (b.manifest.indictmentDocumentId = 'd1')), [['indictment_wrong_type', '/indictmentDocumentId']]);
});

test('file_reserved: a document cannot claim the manifest as its file', async () => {
  assert.deepEqual(
    await problemsAfter((b) => {
      b.files.delete('documents/v1-002.pdf');
      b.doc('d2').file = 'manifest.json';
    }),
    [['file_reserved', '/volumes/0/documents/1/file']],
  );
});

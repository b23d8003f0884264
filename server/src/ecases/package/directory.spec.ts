/**
 * The directory layout (command-line tools) is judged exactly as the zip of the same files.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { EcaseBuilder, makePdf, makeTestPki, type TestPki } from '../../../../tests/helpers/ecase-builder.ts';
import { problemsOf, tempDir, validateBuilt, validateFile } from './spec-helpers.ts';

let pki: TestPki;
let roots: string[];

before(async () => {
  pki = await makeTestPki();
  roots = [pki.root.pem];
});

test('a valid package as a directory is accepted, with the same documents as its zip', async () => {
  const builder = await EcaseBuilder.create(pki, { volumes: 3 });
  const asDirectory = await validateBuilt(builder, roots, { as: 'directory' });
  const asZip = await validateBuilt(builder, roots);
  assert.ok(asDirectory.ok && asZip.ok);
  const summary = (docs: typeof asZip.pkg.documents) => docs.map((d) => [d.id, d.volume, d.position, d.file.entry, d.file.sha256, d.signatures.length]);
  assert.deepEqual(summary(asDirectory.pkg.documents), summary(asZip.pkg.documents));
});

test('a broken package gives the same problems as a directory and as a zip', async () => {
  const builder = await EcaseBuilder.create(pki);
  builder.files.delete('documents/v1-003.pdf');
  builder.files.set('documents/stray.pdf', await makePdf(2));
  builder.manifest.participants[1].iin = '123456789012';
  const asDirectory = problemsOf(await validateBuilt(builder, roots, { as: 'directory' }));
  assert.deepEqual(asDirectory, problemsOf(await validateBuilt(builder, roots)));
  assert.deepEqual(asDirectory, [
    ['file_missing', '/volumes/0/documents/2/file'],
    ['file_unreferenced', 'documents/stray.pdf'],
    ['iin_invalid', '/participants/1/iin'],
  ]);
});

test('names differing only in case are duplicates in a directory too', async () => {
  const dir = await (await EcaseBuilder.create(pki)).writeDirectory(path.join(tempDir(), 'package'));
  fs.copyFileSync(path.join(dir, 'documents', 'v1-001.pdf'), path.join(dir, 'documents', 'V1-001.pdf'));
  assert.deepEqual(problemsOf(await validateFile(dir, roots)), [['archive_duplicate_name', 'documents/v1-001.pdf']]);
});

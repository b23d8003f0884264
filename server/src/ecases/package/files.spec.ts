/**
 * Files against the manifest: present, referenced, hashed, and PDFs that open with the declared
 * number of pages.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PDFDocument, PDFName } from 'pdf-lib';
import { makePdf } from '../../../../tests/helpers/ecase-builder.ts';
import { brokenPackages } from './spec-helpers.ts';

const packages = brokenPackages();
const { problemsAfter } = packages;

/** A PDF whose trailer names an /Encrypt dictionary, which is all a reader needs to refuse it. */
async function encryptedPdf(pages: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < pages; i++) doc.addPage();
  doc.context.trailerInfo.Encrypt = doc.context.register(doc.context.obj({ Filter: PDFName.of('Standard'), V: 2, R: 3 }));
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

test('file_missing: a document file or a signature file the archive does not have', async () => {
  assert.deepEqual(await problemsAfter((b) => void b.files.delete('documents/v2-002.pdf')), [['file_missing', '/volumes/1/documents/1/file']]);
  assert.deepEqual(await problemsAfter((b) => void b.files.delete('signatures/d1.p7s')), [['file_missing', '/volumes/0/documents/0/signatures/0/file']]);
  // A reference that tries to leave the package is just a file that is not there.
  assert.deepEqual(await problemsAfter((b) => void (b.doc('m1').file = '../../etc/passwd')), [
    ['file_missing', '/volumes/0/documents/4/file'],
    ['file_unreferenced', 'media/interrogation-1.webm'],
  ]);
});

test('file_unreferenced: every file other than the manifest and its signature is referred to', async () => {
  assert.deepEqual(await problemsAfter(async (b) => void b.files.set('documents/extra.pdf', await makePdf(1))), [['file_unreferenced', 'documents/extra.pdf']]);
});

test('hash_mismatch: the file is not the one the manifest hashed; upper-case hex is fine', async () => {
  assert.deepEqual(await problemsAfter((b) => void (b.doc('d2').sha256 = '0'.repeat(64))), [['hash_mismatch', '/volumes/0/documents/1/sha256']]);
  assert.deepEqual(await problemsAfter((b) => void (b.doc('m1').sha256 = b.doc('m1').sha256!.toUpperCase())), 'ok');
});

test('pdf_page_count: the PDF has another number of pages than declared', async () => {
  assert.deepEqual(
    await problemsAfter(async (b) => {
      b.files.set(b.doc('d2').file!, await makePdf(b.doc('d2').pages! + 1));
      b.rehash();
    }),
    [['pdf_page_count', '/volumes/0/documents/1/pages']],
  );
});

test('pdf_unreadable: not a PDF, or a PDF cut in half', async () => {
  assert.deepEqual(
    await problemsAfter((b) => {
      b.files.set(b.doc('d2').file!, Buffer.from('<html>not a pdf</html>'));
      b.rehash();
    }),
    [['pdf_unreadable', '/volumes/0/documents/1/file']],
  );
  assert.deepEqual(
    await problemsAfter(async (b) => {
      const pdf = await makePdf(3);
      b.files.set(b.doc('d2').file!, pdf.subarray(0, pdf.length / 2));
      b.rehash();
    }),
    [['pdf_unreadable', '/volumes/0/documents/1/file']],
  );
});

test('pdf_encrypted: the court must be able to read every page', async () => {
  assert.deepEqual(
    await problemsAfter(async (b) => {
      b.files.set(b.doc('d2').file!, await encryptedPdf(b.doc('d2').pages!));
      b.rehash();
    }),
    [['pdf_encrypted', '/volumes/0/documents/1/file']],
  );
});

test('media files are hashed but never parsed as PDFs', async () => {
  assert.deepEqual(
    await problemsAfter((b) => {
      b.files.set('media/interrogation-1.webm', Buffer.from('%PDF-1.7 but really a video'));
      b.rehash();
    }),
    'ok',
  );
});

test('all the problems of a package come back at once', async () => {
  assert.deepEqual(
    await problemsAfter(async (b) => {
      b.files.delete('documents/v2-002.pdf');
      b.files.set('documents/extra.pdf', await makePdf(1));
      b.doc('d3').sha256 = 'f'.repeat(64);
      b.manifest.participants[2].iin = '000000000001';
      b.manifest.volumes[1].sheets += 1;
    }),
    [
      ['file_missing', '/volumes/1/documents/1/file'],
      ['file_unreferenced', 'documents/extra.pdf'],
      ['hash_mismatch', '/volumes/0/documents/2/sha256'],
      ['iin_invalid', '/participants/2/iin'],
      ['sheet_gap', '/volumes/1/sheets'],
    ],
  );
});

// A package of 60 PDFs has them parsed on a worker thread (pdf-worker.ts): the same rules hold.
const many = brokenPackages({ volumes: 3, documentsPerVolume: 20, media: false });

test('with PDFs parsed on a worker thread, a broken PDF and a wrong page count are still named', async () => {
  assert.deepEqual(await many.problemsAfter(() => {}), 'ok');
  assert.deepEqual(
    await many.problemsAfter(async (b) => {
      b.files.set(b.doc('d2').file!, Buffer.from('%PDF-1.7\nnothing else'));
      b.files.set(b.doc('d45').file!, await makePdf(b.doc('d45').pages! + 2));
      b.rehash();
    }),
    [
      ['pdf_page_count', '/volumes/2/documents/4/pages'],
      ['pdf_unreadable', '/volumes/0/documents/1/file'],
    ],
  );
});

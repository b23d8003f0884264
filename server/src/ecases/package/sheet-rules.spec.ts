/**
 * Volumes and sheets: the rule that stops a "mixed up" case file from reaching the court. A gap,
 * an overlap and a document out of order are told apart, each at the document that shows it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EcaseBuilder, makePdf } from '../../../../tests/helpers/ecase-builder.ts';
import { viewManifest } from './manifest-view.ts';
import { checkSheets } from './sheet-rules.ts';
import { brokenPackages } from './spec-helpers.ts';

const packages = brokenPackages({ pages: (v, i) => [2, 3, 1, 2][i] });
const { problemsAfter } = packages;

/** Moves a document to sheets from..to, with a PDF of the matching page count. */
async function setSheets(b: EcaseBuilder, id: string, from: number, to: number) {
  const doc = b.doc(id);
  Object.assign(doc, { sheetFrom: from, sheetTo: to, pages: to - from + 1 });
  b.files.set(doc.file!, await makePdf(to - from + 1));
  b.rehash();
}

test('sheet_order: two documents listed in the wrong order', async () => {
  assert.deepEqual(
    await problemsAfter((b) => {
      const docs = b.manifest.volumes[0].documents;
      [docs[1], docs[2]] = [docs[2], docs[1]];
    }),
    [['sheet_order', '/volumes/0/documents/2/sheetFrom']],
  );
});

test('sheet_gap: a document missing from the middle, or sheets missing at the end', async () => {
  assert.deepEqual(
    await problemsAfter((b) => {
      b.manifest.volumes[0].documents.splice(1, 1);
      b.files.delete('documents/v1-002.pdf');
    }),
    [['sheet_gap', '/volumes/0/documents/1/sheetFrom']],
  );
  assert.deepEqual(await problemsAfter((b) => void (b.manifest.volumes[0].sheets += 2)), [['sheet_gap', '/volumes/0/sheets']]);
});

test('sheet_overlap: a document starting on a sheet the previous one still covers', async () => {
  assert.deepEqual(await problemsAfter((b) => setSheets(b, 'd2', 2, 5)), [['sheet_overlap', '/volumes/0/documents/1/sheetFrom']]);
});

test('volume_sheet_count: documents beyond the sheets the volume declares', async () => {
  assert.deepEqual(await problemsAfter((b) => void (b.manifest.volumes[0].sheets -= 1)), [['volume_sheet_count', '/volumes/0/sheets']]);
});

test('sheet_range: pages that do not fit the sheet range, and a range that runs backwards', async () => {
  // The PDF still has its 3 pages, so the page count is wrong as well.
  assert.deepEqual(await problemsAfter((b) => void (b.doc('d2').pages = 4)), [
    ['pdf_page_count', '/volumes/0/documents/1/pages'],
    ['sheet_range', '/volumes/0/documents/1/pages'],
  ]);
  assert.deepEqual(await problemsAfter((b) => void (b.doc('d2').sheetTo = 2)), [
    ['sheet_gap', '/volumes/0/documents/2/sheetFrom'],
    ['sheet_range', '/volumes/0/documents/1/sheetTo'],
  ]);
});

test('volume_numbering: volumes numbered 1..N in order', async () => {
  assert.deepEqual(await problemsAfter((b) => void (b.manifest.volumes[1].number = 3)), [['volume_numbering', '/volumes/1/number']]);
  assert.deepEqual(await problemsAfter((b) => void b.manifest.volumes.reverse()), [
    ['volume_numbering', '/volumes/0/number'],
    ['volume_numbering', '/volumes/1/number'],
  ]);
});

test('a document of volume 2 filed at the end of volume 1: a gap in volume 2; out of order and overlapping in volume 1', async () => {
  assert.deepEqual(
    await problemsAfter((b) => {
      const moved = b.manifest.volumes[1].documents.splice(2, 1)[0];
      b.manifest.volumes[0].documents.splice(4, 0, moved);
    }),
    [
      ['sheet_gap', '/volumes/1/documents/2/sheetFrom'],
      ['sheet_order', '/volumes/0/documents/4/sheetFrom'],
      ['sheet_overlap', '/volumes/0/documents/4/sheetFrom'],
    ],
  );
});

test('coverage is judged on sorted ranges, so one misplaced document is one problem', () => {
  const volume = (ranges: [number, number][], sheets: number) => ({
    volumes: [{ number: 1, sheets, documents: ranges.map(([sheetFrom, sheetTo], i) => ({ id: `d${i + 1}`, kind: 'pdf', sheetFrom, sheetTo, pages: sheetTo - sheetFrom + 1 })) }],
  });
  const codes = (ranges: [number, number][], sheets: number) => checkSheets(viewManifest(volume(ranges, sheets))).map((p) => `${p.code} ${p.path}`);
  assert.deepEqual(
    codes(
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      6,
    ),
    [],
  );
  assert.deepEqual(
    codes(
      [
        [3, 4],
        [1, 2],
        [5, 6],
      ],
      6,
    ),
    ['sheet_order /volumes/0/documents/1/sheetFrom'],
  );
  assert.deepEqual(
    codes(
      [
        [1, 2],
        [5, 6],
        [3, 4],
        [7, 8],
      ],
      8,
    ),
    ['sheet_order /volumes/0/documents/2/sheetFrom'],
  );
  assert.deepEqual(
    codes(
      [
        [1, 2],
        [2, 4],
      ],
      4,
    ),
    ['sheet_overlap /volumes/0/documents/1/sheetFrom'],
  );
  assert.deepEqual(
    codes(
      [
        [1, 2],
        [1, 2],
        [3, 4],
      ],
      4,
    ),
    ['sheet_overlap /volumes/0/documents/1/sheetFrom'],
  );
  assert.deepEqual(
    codes(
      [
        [1, 2],
        [4, 5],
      ],
      5,
    ),
    ['sheet_gap /volumes/0/documents/1/sheetFrom'],
  );
  assert.deepEqual(codes([[2, 3]], 3), ['sheet_gap /volumes/0/documents/0/sheetFrom']);
  assert.deepEqual(codes([], 2), ['sheet_gap /volumes/0/sheets']);
  assert.deepEqual(codes([[1, 5]], 4), ['volume_sheet_count /volumes/0/sheets']);
});

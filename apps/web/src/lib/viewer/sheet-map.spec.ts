import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SheetMap, type SheetVolume } from './sheet-map.ts';

const doc = (id: string, sheetFrom: number, sheetTo: number) => ({ id, kind: 'pdf', title: id, sheetFrom, sheetTo, pages: sheetTo - sheetFrom + 1 });
const media = { id: 'm1', kind: 'media', title: 'video', sheetFrom: null, sheetTo: null, pages: null };

/** The shape of valid-small.zip: two volumes of twelve sheets, a video in volume 1. */
const VOLUMES: SheetVolume[] = [
  { number: 1, sheets: 12, documents: [doc('d1', 1, 4), doc('d2', 5, 6), doc('d3', 7, 11), doc('d4', 12, 12), media] },
  { number: 2, sheets: 12, documents: [doc('d5', 1, 6), doc('d6', 7, 8), doc('d7', 9, 10), doc('d8', 11, 12)] },
];

describe('sheets ↔ documents and pages', () => {
  const map = new SheetMap(VOLUMES);

  test('a sheet is the page of the document whose sheet range holds it', () => {
    assert.deepEqual(pick(map.locate({ volume: 1, sheet: 1 })), ['d1', 1]);
    assert.deepEqual(pick(map.locate({ volume: 1, sheet: 4 })), ['d1', 4]);
    assert.deepEqual(pick(map.locate({ volume: 1, sheet: 5 })), ['d2', 1]);
    assert.deepEqual(pick(map.locate({ volume: 1, sheet: 12 })), ['d4', 1]);
    assert.deepEqual(pick(map.locate({ volume: 2, sheet: 5 })), ['d5', 5]);
    assert.deepEqual(pick(map.locate({ volume: 2, sheet: 9 })), ['d7', 1]);
  });

  test('sheets and volumes the case file does not have map to nothing', () => {
    for (const address of [
      { volume: 1, sheet: 0 },
      { volume: 1, sheet: 13 },
      { volume: 3, sheet: 1 },
      { volume: 1, sheet: 2.5 },
      { volume: 1, sheet: Number.NaN },
    ]) {
      assert.equal(map.locate(address), null, JSON.stringify(address));
    }
    assert.equal(map.addressOf({ documentId: 'd1', page: 5 }), null);
    assert.equal(map.addressOf({ documentId: 'd1', page: 0 }), null);
    assert.equal(map.addressOf({ documentId: 'm1', page: 1 }), null, 'a video has no sheets');
    assert.equal(map.addressOf({ documentId: 'nope', page: 1 }), null);
  });

  test('every sheet goes to a page and back to the same sheet', () => {
    for (const volume of VOLUMES) {
      for (let sheet = 1; sheet <= volume.sheets; sheet++) {
        const at = map.locate({ volume: volume.number, sheet });
        assert.ok(at, `${volume.number}/${sheet}`);
        assert.deepEqual(map.addressOf(at), { volume: volume.number, sheet });
      }
    }
  });

  test('next and previous cross documents and volumes, and stop at the ends of the case file', () => {
    assert.deepEqual(map.next({ volume: 1, sheet: 4 }), { volume: 1, sheet: 5 });
    assert.deepEqual(map.next({ volume: 1, sheet: 12 }), { volume: 2, sheet: 1 });
    assert.equal(map.next({ volume: 2, sheet: 12 }), null);
    assert.deepEqual(map.previous({ volume: 2, sheet: 7 }), { volume: 2, sheet: 6 });
    assert.deepEqual(map.previous({ volume: 2, sheet: 1 }), { volume: 1, sheet: 12 });
    assert.equal(map.previous({ volume: 1, sheet: 1 }), null);
    assert.deepEqual(map.first(), { volume: 1, sheet: 1 });
  });

  test('a volume without PDF documents is stepped over', () => {
    const gapped = new SheetMap([VOLUMES[0], { number: 2, sheets: 0, documents: [media] }, { ...VOLUMES[1], number: 3 }]);
    assert.deepEqual(gapped.next({ volume: 1, sheet: 12 }), { volume: 3, sheet: 1 });
    assert.deepEqual(gapped.previous({ volume: 3, sheet: 1 }), { volume: 1, sheet: 12 });
    assert.deepEqual(new SheetMap([{ number: 1, sheets: 0, documents: [] }, VOLUMES[1]]).first(), { volume: 2, sheet: 1 });
    assert.equal(new SheetMap([]).first(), null);
  });

  test('a 10,000-sheet case (40 volumes × 50 documents × 5 pages) maps every sheet', () => {
    const volumes = Array.from({ length: 40 }, (_, v) => ({
      number: v + 1,
      sheets: 250,
      documents: Array.from({ length: 50 }, (_, i) => doc(`v${v + 1}d${i + 1}`, i * 5 + 1, i * 5 + 5)),
    }));
    const big = new SheetMap(volumes);
    let sheets = 0;
    for (let at = big.first(); at; at = big.next(at)) {
      const where = big.locate(at)!;
      assert.equal(where.documentId, `v${at.volume}d${Math.ceil(at.sheet / 5)}`);
      assert.equal(where.page, ((at.sheet - 1) % 5) + 1);
      sheets++;
    }
    assert.equal(sheets, 10_000);
  });
});

function pick(at: { documentId: string; page: number } | null): [string, number] | null {
  return at ? [at.documentId, at.page] : null;
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toCsv } from './csv.ts';

test('toCsv: BOM, CRLF, quoting, and no formulas', () => {
  const csv = toCsv(
    ['Іс нөмірі / Номер дела', 'n'],
    [
      ['7511-26-00-1/245', 3],
      ['a,"b"', null],
      ['=HYPERLINK("x")', -1],
    ],
  );
  assert.equal(csv, '\uFEFFІс нөмірі / Номер дела,n\r\n7511-26-00-1/245,3\r\n"a,""b""",\r\n"\'=HYPERLINK(""x"")",-1\r\n');
});

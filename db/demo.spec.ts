import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { PDFDocument } from 'pdf-lib';
import { openSqliteDb } from './database.ts';
import { DEMO_VOLUMES } from './demo-case-file.ts';
import { loadDemoData, nextWorkingDayAt10 } from './demo.ts';

test('the demo hearing is at 10:00 Almaty on the next working day', () => {
  // Monday 23 November 2026, 15:00 in Almaty → Tuesday 24 November, 10:00 Almaty = 05:00 UTC.
  assert.equal(nextWorkingDayAt10(new Date('2026-11-23T10:00:00Z')).toISOString(), '2026-11-24T05:00:00.000Z');
  // Friday evening → Monday.
  assert.equal(nextWorkingDayAt10(new Date('2026-11-27T15:00:00Z')).toISOString(), '2026-11-30T05:00:00.000Z');
  // 01:00 Saturday in Almaty is still Friday in UTC: the Almaty calendar decides → Monday.
  assert.equal(nextWorkingDayAt10(new Date('2026-11-27T20:00:00Z')).toISOString(), '2026-11-30T05:00:00.000Z');
});

test('the demo case file: two volumes of 12 and 13 sheets (the verdict last), each PDF as many pages as its sheets, every file in the store', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ezal-demo-'));
  const db = openSqliteDb(dataDir);
  const database = db.legacy;
  try {
    const filesDir = path.join(dataDir, 'files');
    assert.equal(await loadDemoData(db, { filesDir }), true);
    assert.equal(await loadDemoData(db, { filesDir }), false, 'loading twice changes nothing');

    const kase = database.sqlite.prepare("select id from cases where case_number = '7511-26-00-1/245'").get() as { id: string };
    const volumeRows = database.sqlite.prepare('select number, sheets from volumes where case_id = ? order by number').all(kase.id);
    assert.deepEqual(
      volumeRows.map((v) => ({ ...(v as object) })),
      [
        { number: 1, sheets: 12 },
        { number: 2, sheets: 13 },
      ],
    );
    // The verdict on the last sheet of volume 2 is marked as the act of the hearing.
    const act = database.sqlite.prepare('select a.kind, d.source_id from judicial_acts a join documents d on d.id = a.document_id where a.case_id = ?').get(kase.id);
    assert.deepEqual({ ...(act as object) }, { kind: 'verdict', source_id: 'd6' });
    const rows = database.sqlite
      .prepare(
        'select d.source_id, d.kind, d.pages, d.sheet_from, d.sheet_to, d.file_sha256, v.number as volume from documents d join volumes v on v.id = d.volume_id where d.case_id = ? order by v.number, d.position',
      )
      .all(kase.id) as { source_id: string; kind: string; pages: number | null; sheet_from: number | null; sheet_to: number | null; file_sha256: string; volume: number }[];
    assert.equal(rows.length, DEMO_VOLUMES.flatMap((v) => v.documents).length);
    for (const volume of DEMO_VOLUMES) {
      // The sheets of a volume run 1..sheets without a gap or an overlap.
      const sheets = rows.filter((r) => r.volume === volume.number && r.sheet_from !== null).flatMap((r) => range(r.sheet_from!, r.sheet_to!));
      assert.deepEqual(sheets, range(1, volume.sheets), `volume ${volume.number}`);
    }
    for (const row of rows) {
      const stored = path.join(filesDir, row.file_sha256.slice(0, 2), row.file_sha256);
      const bytes = fs.readFileSync(stored);
      assert.equal(crypto.createHash('sha256').update(bytes).digest('hex'), row.file_sha256, `${row.source_id} is stored under its hash`);
      if (row.kind !== 'media') assert.equal((await PDFDocument.load(bytes)).getPageCount(), row.pages, `${row.source_id} pages`);
    }
  } finally {
    await db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { TextExtractor } from './text-extractor.ts';

const extractor = new TextExtractor();
after(() => extractor.close());

async function smallPdf(text: string): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  pdf.addPage([300, 200]).drawText(text, { x: 20, y: 100, size: 12, font });
  return pdf.save({ useObjectStreams: false });
}

// A small file read from PostgreSQL's bytea column arrives as a Buffer cut from Node's shared pool:
// its memory cannot be handed to another thread. It used to fail, and the extractor then refused
// every later PDF ("one PDF at a time"), so a whole case went unindexed.
test('a small PDF in a pooled Buffer is read, and so is the next one', async () => {
  const bytes = await smallPdf('Verdict of the court');
  assert.ok(bytes.byteLength < 4096, `the PDF is small enough for the pool (${bytes.byteLength} bytes)`);
  const pooled = Buffer.from(bytes);
  assert.notEqual(pooled.byteLength, pooled.buffer.byteLength, 'the Buffer shares its memory with others');
  assert.deepEqual(await extractor.extract(pooled), ['Verdict of the court']);
  assert.equal(pooled.byteLength, bytes.byteLength, 'the caller keeps its bytes: only a copy was moved');

  const own = await smallPdf('Second page of text');
  assert.deepEqual(await extractor.extract(own), ['Second page of text']);
});

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { newDocument, PageCursor, saveDocument } from './pdf-layout.ts';
import { assertPdfA2u, tool } from './pdfa-check.ts';
import { xmpPacket } from './xmp-metadata.ts';

const AT = new Date(Date.UTC(2026, 11, 1, 6, 30, 15, 640));

/** A one-page court document with `text` in the regular font. */
async function documentWith(text: string, title = 'Справка — 7511-26-00-1/245'): Promise<Uint8Array> {
  const { doc, fonts } = await newDocument({ title, at: AT, locale: 'ru' });
  new PageCursor(doc, fonts).text(text);
  return saveDocument(doc);
}

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');
const tags = (bytes: Uint8Array) => Object.fromEntries([...latin1(bytes).matchAll(/\/FontName \/([A-Z]{6})\+(DejaVuSans(?:-Bold)?)\s/g)].map((m) => [m[2], m[1]]));

describe('court PDFs as PDF/A-2u', () => {
  test('the same content gives the same bytes; the subset tags and the file ID follow the content', async () => {
    const first = await documentWith('Протокол судебного заседания');
    assert.deepEqual(first, await documentWith('Протокол судебного заседания'));
    const other = await documentWith('Протокол судебного заседания № 2');
    assert.notEqual(tags(first).DejaVuSans, tags(other).DejaVuSans, 'other glyphs, another tag');
    assert.match(tags(first)['DejaVuSans-Bold'] ?? '', /^[A-Z]{6}$/);
    assert.equal(tags(first)['DejaVuSans-Bold'], tags(other)['DejaVuSans-Bold'], 'the bold font draws nothing in either');

    // The ID is the SHA-256 of the file as written with zeros in its place.
    const [, id, again] = /\/ID \[ <([0-9A-F]{32})> <([0-9A-F]{32})> \]/.exec(latin1(first))!;
    assert.equal(id, again);
    const zeroed = Buffer.from(latin1(first).replace(`<${id}> <${id}>`, `<${'0'.repeat(32)}> <${'0'.repeat(32)}>`), 'latin1');
    assert.equal(createHash('sha256').update(zeroed).digest('hex').slice(0, 32).toUpperCase(), id);
    assert.notEqual(/\/ID \[ <([0-9A-F]{32})>/.exec(latin1(other))![1], id);
  });

  test('a character DejaVu has no glyph for is drawn as U+FFFD, never as the .notdef glyph', async () => {
    const bytes = await documentWith('Заявление на 中文 языке');
    await assertPdfA2u(bytes, { title: 'Справка — 7511-26-00-1/245', lang: 'ru-RU' }); // checks every shown glyph
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ezal-notdef-'));
    try {
      await fs.writeFile(path.join(dir, 'a.pdf'), bytes);
      assert.match((await tool('pdftotext', [path.join(dir, 'a.pdf'), '-'])).stdout, /Заявление на \uFFFD\uFFFD языке/);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  test('markup and control characters in the title: the XMP stays well-formed and still agrees with the Info dictionary', async () => {
    const bytes = await documentWith('Текст', 'Дело «А & Б» <1/2> "кв"\u0007 — ’');
    const report = await assertPdfA2u(bytes, { title: 'Дело «А & Б» <1/2> "кв" — ’', lang: 'ru-RU' });
    assert.match(report.xmp, /<rdf:li xml:lang="x-default">Дело «А &amp; Б» &lt;1\/2&gt; &quot;кв&quot; — ’<\/rdf:li>/);
    // The dates to the second, in the same instant as the Info dictionary's.
    assert.equal(report.exif['PDF:CreateDate'], '2026:12:01 06:30:15Z');
    assert.equal(report.exif['XMP-xmp:CreateDate'], '2026:12:01 06:30:15Z');
  });

  test('the XMP packet alone: well-formed for a strict XML parser, with the PDF/A identification', async () => {
    const xml = new TextDecoder().decode(
      xmpPacket({ title: 'a < b & c', lang: 'kk-KZ', created: AT, modified: AT, producer: 'e-Zal', author: 'Ахметова Г. С.', subject: 'x\u0000y', keywords: '"q"' }),
    );
    const lint = await tool('xmllint', ['--noout', '--nonet', '-'], xml);
    assert.equal(lint.code, 0, lint.stderr);
    assert.ok(xml.startsWith('<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>'));
    for (const expected of [
      '<pdfaid:part>2</pdfaid:part>',
      '<pdfaid:conformance>U</pdfaid:conformance>',
      '<xmp:CreateDate>2026-12-01T06:30:15Z</xmp:CreateDate>',
      '<dc:description><rdf:Alt><rdf:li xml:lang="x-default">xy</rdf:li>',
      '<pdf:Keywords>&quot;q&quot;</pdf:Keywords>',
    ]) {
      assert.ok(xml.includes(expected), `missing ${expected} in\n${xml}`);
    }
  });
});

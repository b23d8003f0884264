/**
 * Small helpers for the PDFs the court produces (the motions register, the protocol and its
 * addenda): DejaVu fonts, which have every Kazakh and Russian letter, embedded with fontkit; a
 * page cursor that wraps text and starts new pages; tables; "page N of M" footers; and
 * `saveDocument`, which writes every one of them as PDF/A-2u (pdf-archival.ts).
 *
 * Output is deterministic: pdf-lib's own random names come from a fixed seed, and the caller
 * sets the document's dates from its data, so the same data gives the same bytes.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, PDFHexString, PDFName, PDFString, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import { saveArchival } from './pdf-archival.ts';

const require = createRequire(import.meta.url);
const FONT_DIR = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const fontCache = new Map<string, Buffer>();
function fontBytes(file: string): Buffer {
  let bytes = fontCache.get(file);
  if (!bytes) fontCache.set(file, (bytes = fs.readFileSync(path.join(FONT_DIR, file))));
  return bytes;
}

export const A4: [number, number] = [595.28, 841.89];
export type Fonts = { regular: PDFFont; bold: PDFFont };
export type DocumentLocale = 'kk' | 'ru';

/** The catalog's /Lang: the document's language (BCP 47), which readers and PDF/A's metadata use. */
const LANG: Record<DocumentLocale, string> = { kk: 'kk-KZ', ru: 'ru-RU' };

/**
 * A new document in `locale` with the fonts embedded (subset: only the glyphs used are written),
 * its title and dates; save it with `saveDocument`.
 */
export async function newDocument(meta: { title: string; at: Date; locale: DocumentLocale }): Promise<{ doc: PDFDocument; fonts: Fonts }> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(fontkit);
  // The font's own name (not pdf-lib's random suffix): pdf-archival.ts puts the subset tag before it.
  const embed = async (file: string) => perCharacter(await doc.embedFont(fontBytes(file), { subset: true, customName: path.basename(file, '.ttf') }));
  const fonts = { regular: await embed('DejaVuSans.ttf'), bold: await embed('DejaVuSans-Bold.ttf') };
  doc.setTitle(meta.title);
  doc.setProducer('e-Zal');
  doc.setCreator('e-Zal');
  doc.setCreationDate(meta.at);
  doc.setModificationDate(meta.at);
  doc.setLanguage(LANG[meta.locale]);
  return { doc, fonts };
}

/** The document's bytes, as PDF/A-2u. */
export function saveDocument(doc: PDFDocument): Promise<Uint8Array> {
  return saveArchival(doc);
}

type Embedder = {
  font: { hasGlyphForCodePoint(codePoint: number): boolean };
  encodeText(text: string): PDFHexString;
  widthOfTextAtSize(text: string, size: number): number;
};

/** Drawn for a character the font has no glyph for (PDF/A forbids showing the .notdef glyph). */
const MISSING = '\uFFFD';

/**
 * Makes the font measure and encode text a character at a time, each character's glyph and width
 * looked up once. pdf-lib otherwise runs fontkit's full text layout for every measurement and
 * every line drawn, which made a 2,000-entry protocol take seconds (wrapping measures each line
 * many times). Cyrillic and Kazakh text needs no shaping; what is lost is kerning and ligatures,
 * and measuring and drawing stay in agreement because both go through this. Deterministic.
 * A character without a glyph in DejaVu (a Chinese character, say) is drawn as U+FFFD «�».
 */
function perCharacter(font: PDFFont): PDFFont {
  const embedder = (font as unknown as { embedder: Embedder }).embedder;
  const drawable = (char: string) => (embedder.font.hasGlyphForCodePoint(char.codePointAt(0)!) ? char : MISSING);
  const encodeText = embedder.encodeText.bind(embedder);
  const widthOfTextAtSize = embedder.widthOfTextAtSize.bind(embedder);
  const encode = (char: string) => encodeText(drawable(char));
  const measure = (char: string) => widthOfTextAtSize(drawable(char), 1000);
  const hex = new Map<string, string>();
  const width = new Map<string, number>();
  embedder.encodeText = (text: string) => {
    let out = '';
    for (const char of text) {
      let code = hex.get(char);
      if (code === undefined) hex.set(char, (code = encode(char).asString()));
      out += code;
    }
    return PDFHexString.of(out);
  };
  embedder.widthOfTextAtSize = (text: string, size: number) => {
    let total = 0;
    for (const char of text) {
      let w = width.get(char);
      if (w === undefined) width.set(char, (w = measure(char)));
      total += w;
    }
    return (total * size) / 1000;
  };
  return font;
}

/** Lines of at most `width` points, broken at spaces (a word longer than a line is cut). Keeps the text's own line breaks. */
export function wrapText(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(candidate, size) <= width) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      let rest = word;
      while (font.widthOfTextAtSize(rest, size) > width && rest.length > 1) {
        let cut = rest.length - 1;
        while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut--;
        lines.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      line = rest;
    }
    lines.push(line);
  }
  return lines;
}

/** Writes down the pages from the top, wrapping text and adding a page when one is full. */
export class PageCursor {
  readonly doc: PDFDocument;
  readonly fonts: Fonts;
  readonly margin = 50;
  page: PDFPage;
  y: number;

  constructor(doc: PDFDocument, fonts: Fonts) {
    this.doc = doc;
    this.fonts = fonts;
    this.page = doc.addPage(A4);
    this.y = A4[1] - this.margin;
  }

  get width(): number {
    return A4[0] - 2 * this.margin;
  }

  /** Makes room for `height` points, on a new page when this one has too little left. */
  need(height: number): void {
    if (this.y - height >= this.margin + 20) return;
    this.page = this.doc.addPage(A4);
    this.y = A4[1] - this.margin;
  }

  text(text: string, options: { size?: number; bold?: boolean; indent?: number; gap?: number } = {}): void {
    const size = options.size ?? 10;
    const font = options.bold ? this.fonts.bold : this.fonts.regular;
    const indent = options.indent ?? 0;
    const lineHeight = size * 1.35;
    for (const line of wrapText(text, font, size, this.width - indent)) {
      this.need(lineHeight);
      this.y -= lineHeight;
      this.page.drawText(line, { x: this.margin + indent, y: this.y, size, font, color: rgb(0, 0, 0) });
    }
    this.y -= options.gap ?? 0;
  }

  /**
   * A table row: cells side by side, each wrapped in its column; the row moves to a new page whole
   * when it fits on one. Returns where the row was drawn (for a link over it).
   */
  row(cells: string[], widths: number[], options: { size?: number; bold?: boolean } = {}): { page: PDFPage; top: number; bottom: number } {
    const size = options.size ?? 9;
    const font = options.bold ? this.fonts.bold : this.fonts.regular;
    const lineHeight = size * 1.3;
    const wrapped = cells.map((c, i) => wrapText(c, font, size, widths[i] - 6));
    const height = Math.max(...wrapped.map((w) => w.length)) * lineHeight + 4;
    this.need(Math.min(height, A4[1] - 2 * this.margin - 40));
    let x = this.margin;
    const top = this.y;
    wrapped.forEach((lines, i) => {
      let y = top;
      for (const line of lines) {
        if (y - lineHeight < this.margin + 20) break; // a cell longer than a page is cut; the register keeps rows short
        y -= lineHeight;
        this.page.drawText(line, { x: x + 3, y, size, font });
      }
      x += widths[i];
    });
    this.y = top - height;
    this.page.drawLine({ start: { x: this.margin, y: this.y + 2 }, end: { x: this.margin + widths.reduce((a, b) => a + b, 0), y: this.y + 2 }, thickness: 0.3, color: rgb(0.6, 0.6, 0.6) });
    return { page: this.page, top, bottom: this.y };
  }
}

/** A link on `page` over the rectangle (PDF points, from the bottom left) that opens `url`. */
export function addLink(page: PDFPage, rect: { x: number; y: number; width: number; height: number }, url: string): void {
  const { context } = page.doc;
  const annotation = context.obj({
    Type: 'Annot',
    Subtype: 'Link',
    Rect: [rect.x, rect.y, rect.x + rect.width, rect.y + rect.height],
    Border: [0, 0, 0],
    F: 4, // Print: PDF/A requires every annotation to print
    A: { Type: 'Action', S: 'URI', URI: PDFString.of(url) },
  });
  const ref = context.register(annotation);
  const annots = page.node.lookup(PDFName.of('Annots'));
  if (annots) (annots as unknown as { push(r: unknown): void }).push(ref);
  else page.node.set(PDFName.of('Annots'), context.obj([ref]));
}

/** "бет N / M" (kk) or "стр. N из M" (ru) at the foot of every page. */
export function numberPages(doc: PDFDocument, font: PDFFont, locale: 'kk' | 'ru'): void {
  const pages = doc.getPages();
  pages.forEach((page, i) => {
    const label = locale === 'kk' ? `бет ${i + 1} / ${pages.length}` : `стр. ${i + 1} из ${pages.length}`;
    const size = 8;
    page.drawText(label, { x: A4[0] - 50 - font.widthOfTextAtSize(label, size), y: 30, size, font, color: rgb(0.3, 0.3, 0.3) });
  });
}

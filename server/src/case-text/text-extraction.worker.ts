/**
 * A worker thread that reads the text of every page of a PDF with pdf.js (its legacy build, the
 * one made for Node). Parsing PDFs is CPU work of unbounded length that must never hold up the
 * server's event loop, and a hostile PDF that exhausts this thread's memory kills only the thread
 * (text-extractor.ts gives it a heap limit and starts a new one). One PDF at a time, as asked.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import { getDocument, VerbosityLevel } from 'pdfjs-dist/legacy/build/pdf.mjs';

export type ExtractRequest = { id: number; bytes: Uint8Array };
export type ExtractReply = { id: number; ok: true; pages: string[] } | { id: number; ok: false; error: string };

const pdfjsRoot = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

/** The text of each page in order, lines ended by "\n" where the PDF ends them. */
async function pagesOf(bytes: Uint8Array): Promise<string[]> {
  const task = getDocument({
    data: bytes,
    verbosity: VerbosityLevel.ERRORS,
    // Text only: no fonts are turned into glyphs, nothing is drawn.
    disableFontFace: true,
    useSystemFonts: false,
    isOffscreenCanvasSupported: false,
    // Character maps of CJK fonts and the standard fonts, from the package itself (never the network).
    cMapUrl: path.join(pdfjsRoot, 'cmaps') + path.sep,
    cMapPacked: true,
    standardFontDataUrl: path.join(pdfjsRoot, 'standard_fonts') + path.sep,
  });
  try {
    const pdf = await task.promise;
    const pages: string[] = [];
    for (let number = 1; number <= pdf.numPages; number++) {
      const page = await pdf.getPage(number);
      const content = await page.getTextContent();
      let text = '';
      for (const item of content.items) {
        if (!('str' in item)) continue;
        text += item.str;
        if (item.hasEOL) text += '\n';
      }
      pages.push(text);
      page.cleanup();
    }
    return pages;
  } finally {
    await task.destroy();
  }
}

parentPort?.on('message', async (request: ExtractRequest) => {
  let reply: ExtractReply;
  try {
    reply = { id: request.id, ok: true, pages: await pagesOf(request.bytes) };
  } catch (error) {
    reply = { id: request.id, ok: false, error: (error as Error)?.message ?? String(error) };
  }
  parentPort?.postMessage(reply);
});

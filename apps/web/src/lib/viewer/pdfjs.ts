/**
 * pdf.js, set up once for the case-file viewer. Loaded with a dynamic import (load-pdfjs.ts) when
 * the viewer draws its first page, so the rest of the app, and a workstation with no page on
 * screen, never downloads it.
 *
 * - Everything comes from this origin: the worker script (bundled by Vite), and the character
 *   maps, standard fonts, WebAssembly decoders and colour profiles (apps/web/pdfjs-assets.ts).
 *   The page's Content-Security-Policy allows nothing else, and a court may have no internet.
 * - One worker thread for all documents: pdf.js would start a thread per document otherwise.
 * - Documents load lazily with HTTP range requests: no streaming and no prefetching, so opening
 *   sheet 200 of a 300-page scan fetches the file's index and that page, not the whole file.
 * - pdf.js 6 no longer has `isEvalSupported` (it compiles nothing at run time any more), and
 *   scripting and XFA forms stay off: a case file is read, not run.
 */
import { getDocument, GlobalWorkerOptions, PDFWorker, version, type PDFDocumentLoadingTask } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

export type { PDFDocumentProxy, PDFPageProxy, RenderTask } from 'pdfjs-dist';
export { TextLayer } from 'pdfjs-dist';

/** This module, as the viewer's components receive it once loaded. */
export type PdfjsModule = typeof import('./pdfjs.ts');

/** Bytes per range request: a scanned page is 100–300 KB, so one or two requests a page. */
export const RANGE_CHUNK_BYTES = 128 * 1024;

GlobalWorkerOptions.workerSrc = workerUrl;

const assets = new URL(`/_app/immutable/pdfjs-${version}/`, window.location.origin).href;
let worker: PDFWorker | null = null;

/** Starts loading a PDF from our API (the session cookie authorises the requests). */
export function openPdf(url: string): PDFDocumentLoadingTask {
  worker ??= new PDFWorker();
  return getDocument({
    url: new URL(url, window.location.origin).href,
    worker,
    disableStream: true,
    disableAutoFetch: true,
    rangeChunkSize: RANGE_CHUNK_BYTES,
    cMapUrl: `${assets}cmaps/`,
    cMapPacked: true,
    standardFontDataUrl: `${assets}standard_fonts/`,
    wasmUrl: `${assets}wasm/`,
    iccUrl: `${assets}iccs/`,
    useWorkerFetch: true,
    enableXfa: false,
    // Pages are drawn on this thread's canvases; a renderer thread per document would cost more
    // memory than the few pages on screen are worth.
    disableWorkerRendering: true,
    verbosity: 0,
  });
}

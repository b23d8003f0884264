/**
 * Counts the pages of a staged PDF with pdf-lib. One PDF is loaded at a time and dropped before
 * the next, so memory follows the largest PDF of a package, not the package.
 */
import fs from 'node:fs/promises';
import { ParseSpeeds, PDFDocument } from 'pdf-lib';

export type PdfOutcome = { ok: true; pages: number } | { ok: false; code: 'pdf_encrypted' | 'pdf_unreadable'; reason: string };

/** `pdf` is the staged file, or its bytes when the caller still has them. */
export async function countPdfPages(pdf: string | Buffer): Promise<PdfOutcome> {
  const bytes = typeof pdf === 'string' ? await fs.readFile(pdf) : pdf;
  if (bytes.subarray(0, 1024).indexOf('%PDF-') === -1) return { ok: false, code: 'pdf_unreadable', reason: 'no %PDF- header' };
  try {
    // ignoreEncryption, then `isEncrypted`: pdf-lib's EncryptedPDFError is compiled to ES5 and is
    // not an instanceof anything useful. throwOnInvalidObject: a broken object is a broken PDF
    // (and pdf-lib would otherwise print a warning per object to the server's console).
    // Fastest: no yielding to the event loop. updateMetadata: false: we only read.
    const doc = await PDFDocument.load(bytes, { ignoreEncryption: true, throwOnInvalidObject: true, parseSpeed: ParseSpeeds.Fastest, updateMetadata: false });
    if (doc.isEncrypted) return { ok: false, code: 'pdf_encrypted', reason: 'the PDF is encrypted; the court must be able to read every page' };
    return { ok: true, pages: doc.getPageCount() };
  } catch (error) {
    return { ok: false, code: 'pdf_unreadable', reason: `the PDF cannot be parsed: ${(error as Error).message}` };
  }
}

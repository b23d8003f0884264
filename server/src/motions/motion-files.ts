/**
 * A motion's attachments: PDFs only — by their bytes (the %PDF- header, and pdf-lib must open
 * them), not by their names — without active content (scripts, launch actions, embedded files,
 * rich media, XFA, form submission: pdf/active-content.ts), since whoever opens the attachment
 * at the court opens it in their own PDF reader; and each within the size limit (MOTION_ATTACHMENT_MAX_MB). Files
 * big enough for the file store are staged and adopted before the rows that name them commit;
 * one left over by a failed filing is an orphan the start-up sweep removes (docs/ecase-intake.md).
 */
import { createHash } from 'node:crypto';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { AppError } from '../shared/errors.ts';
import { activeContentOf } from '../pdf/active-content.ts';
import type { FileStore } from '../storage/file-store.ts';
import type { Staging } from '../storage/staging.ts';

export const MAX_ATTACHMENTS = 10;

export type CheckedAttachment = { fileName: string; content: Buffer; sha256: string; size: number; pages: number };

export async function checkAttachments(files: { fileName: string; content: Buffer }[], maxBytes: number): Promise<CheckedAttachment[]> {
  if (files.length > MAX_ATTACHMENTS) throw new AppError('invalid_request', `At most ${MAX_ATTACHMENTS} attachments`);
  const checked: CheckedAttachment[] = [];
  for (const { fileName, content } of files) {
    if (content.length > maxBytes) throw new AppError('attachment_too_large', `${fileName}: ${content.length} bytes, the limit is ${maxBytes}`, { fileName, maxBytes });
    if (content.subarray(0, 5).toString('latin1') !== '%PDF-') throw new AppError('attachment_not_pdf', `${fileName} is not a PDF`, { fileName });
    let pages: number;
    let active: ReturnType<typeof activeContentOf>;
    try {
      const doc = await PDFDocument.load(content, { ignoreEncryption: true, updateMetadata: false });
      pages = doc.getPageCount();
      active = activeContentOf(doc);
    } catch (error) {
      throw new AppError('attachment_not_pdf', `${fileName} is not a readable PDF: ${(error as Error).message}`, { fileName });
    }
    if (pages < 1) throw new AppError('attachment_not_pdf', `${fileName} has no pages`, { fileName });
    if (active.length > 0) {
      throw new AppError(
        'attachment_active_content',
        `${fileName} contains active content (${active.join(', ')}): scripts, launch actions, embedded files, rich media and interactive forms are not accepted; print the document to a plain PDF and attach that`,
        { fileName, found: active },
      );
    }
    checked.push({ fileName, content, size: content.length, pages, sha256: createHash('sha256').update(content).digest('hex') });
  }
  return checked;
}

/**
 * Puts the files too big to live in the database into the file store (staged, then renamed in).
 * Returns, per file, the bytes to keep inline in its `stored_files` row (null: on disk).
 */
export async function storeAttachments(files: CheckedAttachment[], store: FileStore, staging: Staging): Promise<(Buffer | null)[]> {
  // Adopted even when the store has the content already: adopting again is what keeps it from a
  // sweep running at this moment (on disk: the rename puts it back; in the object store: a fresh LastModified).
  const big = files.filter((f) => f.size > store.inlineMaxBytes);
  if (big.length > 0) {
    const dir = await staging.create();
    try {
      const staged = [];
      for (const file of big) {
        const stagedPath = path.join(dir, file.sha256);
        await fsp.writeFile(stagedPath, file.content);
        staged.push({ stagedPath, sha256: file.sha256 });
      }
      await store.adoptAll(staged);
    } finally {
      await staging.remove(dir);
    }
  }
  return files.map((f) => (f.size > store.inlineMaxBytes ? null : f.content));
}

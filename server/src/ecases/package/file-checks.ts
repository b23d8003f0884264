/**
 * The files of a package against its manifest (SPEC section 1 and 2): every referenced file is
 * there, every file is referenced, hashes match, PDFs open and have the declared pages. Entries
 * are staged a few at a time (small ones to the spool, when there is one); each PDF is parsed
 * right after it is staged.
 */
import path from 'node:path';
import { isPaged, type DocumentView, type ManifestView } from './manifest-view.ts';
import type { PackageSource, SourceEntry } from './package-source.ts';
import { countPdfPages, type PdfOutcome } from './pdf-pages.ts';
import { PdfPageWorker } from './pdf-worker.ts';
import { problem } from './problems.ts';
import type { Spool } from './spool.ts';
import { stageEntry } from './staging.ts';
import type { Problem, StagedFile } from './types.ts';

export const MANIFEST = 'manifest.json';
export const MANIFEST_SIGNATURE = 'manifest.json.p7s';

type Reference = { pointer: string; doc: DocumentView; role: 'document' | 'signature' };

/** PDFs up to this size are parsed from the bytes read while staging; larger ones are read back. */
const KEEP_PDF_BYTES = 16 * 1024 * 1024;
/** Entries read and checked at the same time. Memory: at most this many PDFs of KEEP_PDF_BYTES. */
const ENTRIES_IN_FLIGHT = 4;
/** From this many PDFs on, they are parsed on a worker thread (see pdf-worker.ts). */
const PDFS_FOR_A_WORKER = 50;

export type FileCheck = { problems: Problem[]; staged: Map<string, StagedFile> };

export async function checkFiles(input: { source: PackageSource; unusable: Set<number>; view: ManifestView; stagingDir: string; spool: Spool | null }): Promise<FileCheck> {
  const { source, unusable, view, stagingDir, spool } = input;
  const problems: Problem[] = [];
  const staged = new Map<string, StagedFile>();
  const references = collectReferences(view, problems);

  const checkEntry = async (entry: SourceEntry): Promise<Problem[]> => {
    if (entry.type === 'directory' || entry.name === MANIFEST || unusable.has(entry.index)) return [];
    const refs = references.get(entry.name);
    if (!refs && entry.name !== MANIFEST_SIGNATURE) {
      return [problem('file_unreferenced', entry.name, `"${entry.name}" is in the package but the manifest does not refer to it`)];
    }
    const stagedPath = path.join(stagingDir, String(entry.index).padStart(6, '0') + extension(entry.name));
    const parse = (refs ?? []).some((r) => r.role === 'document' && isPaged(r.doc));
    const outcome = await stageEntry(source, entry, { path: stagedPath, spool, keep: parse ? KEEP_PDF_BYTES : 0 });
    if (!outcome.ok) return [problem('archive_entry_corrupt', entry.name, `"${entry.name}" cannot be read: ${outcome.reason}`)];
    staged.set(entry.name, { entry: entry.name, sha256: outcome.sha256, size: outcome.size, stagedPath: outcome.stagedPath, spoolOffset: outcome.spoolOffset });
    return checkContent(entry, outcome.sha256, outcome.bytes ?? stagedPath, refs ?? [], countPages);
  };
  // A few entries at a time, so one entry is parsed while the next ones are being read (reads go
  // through libuv's thread pool and would otherwise leave the CPU idle). Problems are collected
  // per entry and reported in archive order whatever order the entries finish in.
  const found: Problem[][] = new Array(source.entries.length);
  let next = 0;
  const lane = async () => {
    while (next < source.entries.length) {
      const i = next++;
      found[i] = await checkEntry(source.entries[i]);
    }
  };
  const paged = view.documents.filter((d) => isPaged(d)).length;
  const worker = paged >= PDFS_FOR_A_WORKER ? new PdfPageWorker() : null;
  const countPages = (pdf: string | Buffer) => (worker ? worker.count(pdf) : countPdfPages(pdf));
  try {
    await Promise.all(Array.from({ length: ENTRIES_IN_FLIGHT }, lane));
  } finally {
    await worker?.close();
  }
  problems.push(...found.flat());

  const listed = new Map(source.entries.map((e) => [e.name, e]));
  for (const [name, refs] of references) {
    const entry = listed.get(name);
    if (entry && entry.type !== 'directory') continue; // present: staged, or already reported as unusable
    for (const ref of refs) problems.push(problem('file_missing', ref.pointer, `"${name}" is referred to by the manifest but is not in the package`));
  }
  return { problems, staged };
}

function collectReferences(view: ManifestView, problems: Problem[]): Map<string, Reference[]> {
  const references = new Map<string, Reference[]>();
  const add = (name: string, ref: Reference) => {
    if (name === MANIFEST || name === MANIFEST_SIGNATURE) {
      problems.push(problem('file_reserved', ref.pointer, `"${name}" is the manifest or its signature, not a document's file`));
      return;
    }
    references.set(name, [...(references.get(name) ?? []), ref]);
  };
  for (const doc of view.documents) {
    if (doc.file !== undefined) add(doc.file, { pointer: `${doc.pointer}/file`, doc, role: 'document' });
    for (const sig of doc.signatures) {
      if (sig.file !== undefined) add(sig.file, { pointer: `${sig.pointer}/file`, doc, role: 'signature' });
    }
  }
  return references;
}

async function checkContent(entry: SourceEntry, sha256: string, pdfSource: string | Buffer, refs: Reference[], countPages: (pdf: string | Buffer) => Promise<PdfOutcome>): Promise<Problem[]> {
  const problems: Problem[] = [];
  const documents = refs.filter((r) => r.role === 'document');
  for (const { doc } of documents) {
    if (doc.sha256 !== undefined && doc.sha256 !== sha256) {
      problems.push(problem('hash_mismatch', `${doc.pointer}/sha256`, `"${entry.name}" has SHA-256 ${sha256}, the manifest says ${doc.sha256}`));
    }
  }
  const paged = documents.filter((r) => isPaged(r.doc));
  if (paged.length === 0) return problems;
  const pdf = await countPages(pdfSource);
  for (const { doc } of paged) {
    if (!pdf.ok) {
      problems.push(problem(pdf.code, `${doc.pointer}/file`, `"${entry.name}": ${pdf.reason}`));
    } else if (doc.pages !== undefined && pdf.pages !== doc.pages) {
      problems.push(problem('pdf_page_count', `${doc.pointer}/pages`, `"${entry.name}" has ${pdf.pages} pages, the manifest says ${doc.pages}`));
    }
  }
  return problems;
}

/** Keeps a short, harmless extension so staged files are recognisable; the name itself is ours. */
function extension(name: string): string {
  const match = /\.[A-Za-z0-9]{1,8}$/.exec(name);
  return match ? match[0].toLowerCase() : '';
}

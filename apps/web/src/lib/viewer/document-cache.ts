/**
 * The PDF documents the viewer has open, at most `max` of them that nobody is using: opening
 * sheet after sheet of a 2,000-document case would otherwise keep every file's data in the pdf.js
 * worker. A page on screen holds a lease on its document; when the cache is over its limit, the
 * least recently used documents without leases are destroyed (their data freed in the worker),
 * and opened again if they are needed again.
 *
 * `open` may answer with a promise: the viewer's first downloads pdf.js (see load-pdfjs.ts).
 */
import type { PDFDocumentLoadingTask, PDFDocumentProxy } from 'pdfjs-dist';

type Open = (documentId: string) => PDFDocumentLoadingTask | Promise<PDFDocumentLoadingTask>;
/** What to throw instead of a failed load's error, e.g. the server's reason (undefined: the error itself). */
type Explain = (documentId: string, error: unknown) => Promise<unknown>;
type Entry = { task: Promise<PDFDocumentLoadingTask>; promise: Promise<PDFDocumentProxy>; leases: number };

export type Lease = { pdf: PDFDocumentProxy; release(): void };

export class DocumentCache {
  #max: number;
  #open: Open;
  #explain: Explain | undefined;
  /** In use order: a Map keeps insertion order, and every use re-inserts. */
  #entries = new Map<string, Entry>();
  #destroyed = false;
  /** Called whenever the number of open documents changes (the viewer shows it for diagnosis). */
  onchange: ((open: number) => void) | null = null;

  constructor(options: { max: number; open: Open; explain?: Explain }) {
    this.#max = options.max;
    this.#open = options.open;
    this.#explain = options.explain;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The document, loaded; call `release()` when the page that needed it leaves the screen. */
  async acquire(documentId: string): Promise<Lease> {
    if (this.#destroyed) throw new Error('the document cache is destroyed');
    let entry = this.#entries.get(documentId);
    if (entry) {
      this.#entries.delete(documentId);
    } else {
      const task = Promise.resolve().then(() => this.#open(documentId));
      const explain = this.#explain;
      const promise = task.then((opened) => opened.promise);
      entry = { task, promise: explain ? promise.catch(async (error: unknown) => Promise.reject((await explain(documentId, error)) ?? error)) : promise, leases: 0 };
    }
    this.#entries.set(documentId, entry);
    entry.leases++;
    this.#trim();
    const held = entry;
    try {
      const pdf = await held.promise;
      let released = false;
      return {
        pdf,
        release: () => {
          if (released) return;
          released = true;
          held.leases--;
          this.#trim();
        },
      };
    } catch (error) {
      held.leases--;
      // A failed load is forgotten, so the next attempt starts afresh.
      if (this.#entries.get(documentId) === held) this.#remove(documentId, held);
      throw error;
    }
  }

  /** Closes every document (the viewer is going away). */
  destroy(): void {
    this.#destroyed = true;
    for (const [id, entry] of this.#entries) this.#remove(id, entry);
  }

  #trim(): void {
    for (const [id, entry] of this.#entries) {
      if (this.#entries.size <= this.#max) break;
      if (entry.leases === 0) this.#remove(id, entry);
    }
    this.onchange?.(this.#entries.size);
  }

  #remove(id: string, entry: Entry): void {
    this.#entries.delete(id);
    entry.task.then(
      (task) => void task.destroy(),
      () => {},
    );
    this.onchange?.(this.#entries.size);
  }
}

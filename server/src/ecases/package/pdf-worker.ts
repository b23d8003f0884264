/**
 * Counting the pages of a package's PDFs on a worker thread, so parsing (pdf-lib, pure
 * JavaScript) runs beside the main thread's reading and hashing instead of after it. The worker
 * also fences a pathological PDF off: its heap is capped, and a PDF that exhausts it is reported
 * unreadable and the worker replaced, where in-thread it could take the server's heap down.
 *
 * Used for packages with many PDFs: starting a worker and loading pdf-lib in it costs about
 * 100 ms, which a few dozen PDFs repay.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { countPdfPages, type PdfOutcome } from './pdf-pages.ts';

/** What this module's own worker thread is started with, to tell it from any other. */
const WORKER_ROLE = 'ezal-pdf-pages';

type Request = { id: number; pdf: string | Uint8Array };
type Reply = { id: number; outcome: PdfOutcome };

/** The worker's heap limit; the largest PDF parsed is KEEP_PDF_BYTES (16 MiB) plus pdf-lib's objects. */
const WORKER_HEAP_MB = 256;

export class PdfPageWorker {
  #worker: Worker | null = null;
  #pending = new Map<number, (outcome: PdfOutcome) => void>();
  #nextId = 0;

  count(pdf: string | Buffer): Promise<PdfOutcome> {
    const worker = this.#worker ?? this.#start();
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      // The caller's Buffer may share its memory with others (Node pools small buffers), so it
      // is copied, and the copy moved: the main thread then holds nothing of the PDF, where a
      // clone would stay allocated until the main thread's next garbage collection.
      if (typeof pdf === 'string') {
        worker.postMessage({ id, pdf } satisfies Request);
      } else {
        const copy = new Uint8Array(pdf);
        worker.postMessage({ id, pdf: copy } satisfies Request, [copy.buffer]);
      }
    });
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = null;
    await worker?.terminate();
  }

  #start(): Worker {
    const worker = new Worker(new URL(import.meta.url), { workerData: WORKER_ROLE, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const resolve = this.#pending.get(reply.id);
      this.#pending.delete(reply.id);
      resolve?.(reply.outcome);
    });
    // Out of memory or any crash: every PDF still waiting is reported, and the next count starts a new worker.
    const fail = (reason: string) => {
      if (this.#worker === worker) this.#worker = null;
      for (const resolve of this.#pending.values()) resolve({ ok: false, code: 'pdf_unreadable', reason });
      this.#pending.clear();
    };
    worker.on('error', (error) => fail(`the PDF could not be parsed within the court's limits: ${error.message}`));
    worker.on('exit', () => fail('the PDF parser stopped'));
    this.#worker = worker;
    return worker;
  }
}

// Only in the thread started above: another worker thread that merely imports this module is left alone.
if (!isMainThread && parentPort && workerData === WORKER_ROLE) {
  const port = parentPort;
  port.on('message', async (request: Request) => {
    const pdf = typeof request.pdf === 'string' ? request.pdf : Buffer.from(request.pdf.buffer, request.pdf.byteOffset, request.pdf.byteLength);
    port.postMessage({ id: request.id, outcome: await countPdfPages(pdf) } satisfies Reply);
  });
}

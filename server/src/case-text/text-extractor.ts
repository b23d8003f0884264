/**
 * Runs text-extraction.worker.ts: hands it one PDF at a time and waits for the text of its pages.
 * The worker starts on first use and is replaced after anything goes wrong with it: a PDF that
 * takes longer than `timeoutMs` or fills the worker's heap costs that thread, never the server.
 */
import { Worker } from 'node:worker_threads';
import type { ExtractReply, ExtractRequest } from './text-extraction.worker.ts';

/** Why a PDF's text could not be read: kept with the document, for the log and the curious. */
export class ExtractionError extends Error {}

export type TextExtractorOptions = {
  /** Per PDF. A 2,000-page scan's text takes seconds; anything near this is a broken file. */
  timeoutMs?: number;
  /** The worker's heap, in MiB: bounds the memory a single PDF can take. */
  maxHeapMb?: number;
};

type Job = { id: number; resolve: (pages: string[]) => void; reject: (error: Error) => void; timer: NodeJS.Timeout };

export class TextExtractor {
  #worker: Worker | null = null;
  #job: Job | null = null;
  #nextId = 1;
  #closed = false;
  readonly #timeoutMs: number;
  readonly #maxHeapMb: number;

  constructor(options: TextExtractorOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 120_000;
    this.#maxHeapMb = options.maxHeapMb ?? 384;
  }

  /** The text of each page of the PDF. `bytes` is handed over to the worker (detached here). */
  extract(bytes: Uint8Array): Promise<string[]> {
    if (this.#closed) return Promise.reject(new ExtractionError('the text extractor is closed'));
    if (this.#job) return Promise.reject(new Error('one PDF at a time'));
    const worker = this.#ensureWorker();
    return new Promise<string[]>((resolve, reject) => {
      const id = this.#nextId++;
      const timer = setTimeout(() => this.#fail(new ExtractionError(`no answer within ${this.#timeoutMs} ms`)), this.#timeoutMs);
      this.#job = { id, resolve, reject, timer };
      // A buffer that shares its memory with others (a Buffer from Node's pool, as drivers return
      // small ones) is copied — `new Uint8Array`, since a Buffer's own `slice` is a view of the same
      // memory; otherwise moved. Memory that cannot be moved at all is copied by the message itself.
      const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
      try {
        try {
          worker.postMessage({ id, bytes: own } satisfies ExtractRequest, [own.buffer as ArrayBuffer]);
        } catch {
          worker.postMessage({ id, bytes: own } satisfies ExtractRequest);
        }
      } catch (error) {
        // Not even a copy went: this PDF fails, the next one is read as usual.
        clearTimeout(timer);
        this.#job = null;
        reject(new ExtractionError(`the PDF could not be handed to the extraction worker: ${(error as Error).message}`));
      }
    });
  }

  /** Stops the worker; a PDF being read is given up (its promise rejects). */
  async close(): Promise<void> {
    this.#closed = true;
    this.#fail(new ExtractionError('the text extractor was closed'));
  }

  #ensureWorker(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(new URL('./text-extraction.worker.ts', import.meta.url), {
      resourceLimits: { maxOldGenerationSizeMb: this.#maxHeapMb, maxYoungGenerationSizeMb: 16 },
      stdout: false,
      stderr: false,
    });
    worker.on('message', (reply: ExtractReply) => {
      const job = this.#job;
      if (!job || job.id !== reply.id) return;
      clearTimeout(job.timer);
      this.#job = null;
      if (reply.ok) job.resolve(reply.pages);
      else job.reject(new ExtractionError(reply.error));
    });
    worker.on('error', (error) => {
      if (this.#worker === worker) this.#fail(new ExtractionError(`the extraction worker failed: ${error.message}`));
    });
    worker.on('exit', (code) => {
      if (this.#worker === worker) this.#fail(new ExtractionError(`the extraction worker stopped (exit code ${code})`));
    });
    // An idle worker does not keep the process alive.
    worker.unref();
    this.#worker = worker;
    return worker;
  }

  /** Rejects the PDF being read, if any, and ends the worker: the next PDF gets a fresh one. */
  #fail(error: Error): void {
    const worker = this.#worker;
    this.#worker = null;
    if (worker) void worker.terminate();
    const job = this.#job;
    this.#job = null;
    if (job) {
      clearTimeout(job.timer);
      job.reject(error);
    }
  }
}

/**
 * Puts the text of every PDF of the case file into the search index, in the background: after a
 * case is accepted (the intake calls `caseAccepted`), at start for whatever an earlier run left
 * (a restart mid-case resumes where it stopped: the index itself says what is done), and every
 * `sweepMs` for cases another process imported (`npm run ecase:ingest` while the server runs).
 * With several nodes only the leading one indexes (cluster/leader.ts): a case another node accepted
 * is found by the leader's next sweep.
 *
 * Never on a request's path and never inside the intake's transaction: PDFs are parsed in a worker
 * thread, one at a time, and their text is written in small batches, one transaction each.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { ExtractedText, PendingDocument } from './case-text.repository.ts';
import { searchableText } from './search-text.ts';

/** What the indexer needs of the database (CaseTextRepository). */
export type TextStore = {
  pending(limit: number): Promise<PendingDocument[]>;
  save(results: ExtractedText[]): Promise<void>;
};

/** What it needs of the PDF reader (TextExtractor). */
export type PdfTextReader = {
  extract(bytes: Uint8Array): Promise<string[]>;
  close(): Promise<void>;
};

type Deps = {
  texts: TextStore;
  /** The whole content of a stored file (StoredFiles.read). */
  readFile: (sha256: string) => Promise<Buffer>;
  extractor: PdfTextReader;
  log: FastifyBaseLogger;
  /** How often to look for documents nobody announced; 0 never. */
  sweepMs?: number;
  /** Whether this node indexes (cluster/leader.ts); default: always, the only node. */
  leader?: { readonly isLeader: boolean };
};

/** Documents asked for at once (the question scans the documents table), and written per transaction. */
const BATCH = 100;
const WRITE_EVERY = 20;

export class CaseTextIndexer {
  #deps: Deps;
  #running: Promise<void> | null = null;
  #again = false;
  #closed = false;
  #sweep: NodeJS.Timeout | null = null;

  constructor(deps: Deps) {
    this.#deps = deps;
  }

  /** Indexes what is not indexed yet, and keeps looking every `sweepMs`. */
  start(): void {
    const sweepMs = this.#deps.sweepMs ?? 60_000;
    if (sweepMs > 0) {
      this.#sweep = setInterval(() => this.#kick(), sweepMs);
      this.#sweep.unref();
    }
    this.#kick();
  }

  /** A case has just been imported: index its documents now rather than at the next sweep. */
  caseAccepted(caseId: string): void {
    this.#deps.log.debug({ caseId }, 'case accepted; indexing its text');
    this.#kick();
  }

  /** Resolves once nothing is waiting to be indexed (as far as the last look showed). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  /** Stops at once: the PDF being read is given up, and is read again after the next start. */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#sweep) clearInterval(this.#sweep);
    await this.#deps.extractor.close();
    await this.idle();
  }

  #kick(): void {
    if (this.#closed) return;
    if (this.#deps.leader && !this.#deps.leader.isLeader) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    // Started on the next turn of the event loop: whoever kicked (the intake answering its
    // request) does not wait even for the first query.
    this.#running = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.#run())
      .catch((error: unknown) => this.#deps.log.error({ err: error }, 'indexing the text of the case file failed; retrying at the next sweep'))
      .finally(() => {
        this.#running = null;
        if (this.#again) {
          this.#again = false;
          this.#kick();
        }
      });
  }

  async #run(): Promise<void> {
    const { texts, log } = this.#deps;
    let indexed = 0;
    const startedAt = performance.now();
    while (!this.#closed) {
      const batch = await texts.pending(BATCH);
      if (batch.length === 0) break;
      let results: ExtractedText[] = [];
      for (const document of batch) {
        const result = await this.#read(document);
        if (this.#closed) return;
        results.push(result);
        if (!result.ok) log.warn({ documentId: document.documentId, caseId: document.caseId, error: result.error }, 'no text from this document');
        if (results.length === WRITE_EVERY) {
          await texts.save(results);
          indexed += results.length;
          results = [];
        }
      }
      await texts.save(results);
      indexed += results.length;
    }
    if (indexed > 0) log.info({ documents: indexed, ms: Math.round(performance.now() - startedAt) }, 'text of the case file indexed');
  }

  async #read(document: PendingDocument): Promise<ExtractedText> {
    let bytes: Buffer;
    try {
      bytes = await this.#deps.readFile(document.sha256);
    } catch (error) {
      return { ...document, ok: false, error: `the stored file cannot be read: ${(error as Error).message}` };
    }
    try {
      const pages = await this.#deps.extractor.extract(bytes);
      return { ...document, ok: true, pages: pages.map(searchableText) };
    } catch (error) {
      return { ...document, ok: false, error: (error as Error).message };
    }
  }
}

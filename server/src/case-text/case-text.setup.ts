/** Builds the background indexer of the case file's text from the database and the file store. */
import type { FastifyBaseLogger } from 'fastify';
import type { DbHandle } from '../../../db/client.ts';
import type { LocalFileStore } from '../storage/file-store.ts';
import { storedFileReader } from '../storage/stored-files.ts';
import { CaseTextIndexer } from './case-text.indexer.ts';
import { CaseTextRepository } from './case-text.repository.ts';
import { TextExtractor } from './text-extractor.ts';

export function setUpCaseText(deps: { database: DbHandle; store: LocalFileStore; log: FastifyBaseLogger }): CaseTextIndexer {
  return new CaseTextIndexer({
    texts: new CaseTextRepository(deps.database),
    readFile: storedFileReader({ store: deps.store }),
    extractor: new TextExtractor(),
    log: deps.log,
  });
}

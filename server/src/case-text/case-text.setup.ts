/** Builds the background indexer of the case file's text from the database and the file store. */
import type { FastifyBaseLogger } from 'fastify';
import type { DbHandle } from '../../../db/client.ts';
import type { StoredFiles } from '../storage/stored-files.ts';
import { CaseTextIndexer } from './case-text.indexer.ts';
import { CaseTextRepository } from './case-text.repository.ts';
import { TextExtractor } from './text-extractor.ts';

export function setUpCaseText(deps: { database: DbHandle; files: StoredFiles; log: FastifyBaseLogger }): CaseTextIndexer {
  return new CaseTextIndexer({
    texts: new CaseTextRepository(deps.database),
    readFile: (sha256) => deps.files.read(sha256),
    extractor: new TextExtractor(),
    log: deps.log,
  });
}

/** Builds the background indexer of the case file's text from the database and the file store. */
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../../db/database.ts';
import type { LeaderLock } from '../cluster/leader.ts';
import type { StoredFiles } from '../storage/stored-files.ts';
import { CaseTextIndexer } from './case-text.indexer.ts';
import { CaseTextRepository } from './case-text.repository.ts';
import { TextExtractor } from './text-extractor.ts';

/** `leader`: with several nodes, the lock that says whether this one indexes (default: it does). */
export function setUpCaseText(deps: { database: Database; files: StoredFiles; log: FastifyBaseLogger; leader?: LeaderLock }): CaseTextIndexer {
  return new CaseTextIndexer({
    texts: new CaseTextRepository(deps.database),
    readFile: (sha256) => deps.files.read(sha256),
    extractor: new TextExtractor(),
    log: deps.log,
    leader: deps.leader,
  });
}

/** Searching the text of case files. (The indexer that reads them runs beside the app: case-text.setup.ts, server.ts.) */
import fp from 'fastify-plugin';
import { CaseSearchService } from './case-search.service.ts';
import { CaseTextRepository } from './case-text.repository.ts';
import { caseTextRoutes } from './case-text.routes.ts';

export const caseTextPlugin = fp(
  async (fastify) => {
    await fastify.register(caseTextRoutes, { search: new CaseSearchService({ texts: new CaseTextRepository(fastify.db), cases: fastify.cases }) });
  },
  { name: 'ezal-case-text', fastify: '5.x', dependencies: ['ezal-cases', 'ezal-auth'] },
);

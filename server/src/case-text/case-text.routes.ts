/**
 * GET /api/cases/:id/search?q=…&limit=…&offset=…: the pages of the case file whose text matches,
 * for anyone with access to the case.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { userOf } from '../auth/auth.plugin.ts';
import type { CaseSearchService } from './case-search.service.ts';

const params = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const query = Type.Object(
  {
    q: Type.String({ minLength: 1, maxLength: 200 }),
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 50 }),
    offset: Type.Integer({ minimum: 0, maximum: 10_000, default: 0 }),
  },
  { additionalProperties: false },
);

export const caseTextRoutes: FastifyPluginAsyncTypebox<{ search: CaseSearchService }> = async (app, { search }) => {
  app.addHook('onRequest', app.requireUser);

  app.get('/api/cases/:id/search', { schema: { params, querystring: query } }, async (request) => search.search(userOf(request), request.params.id, request.query, request.ip));
};

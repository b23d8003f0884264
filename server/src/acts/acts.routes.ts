/**
 * Judicial acts:
 *   POST /api/cases/:id/acts        the judge marks a document as the act of a hearing (CSRF; 201 new, 200 changed);
 *   GET  /api/cases/:id/acts        the acts of a case (access to the case);
 *   GET  /api/acts/search?q=…       full-text search over all acts, with filters (depersonalised unless entitled);
 *   GET  /api/acts/:actId/text      an act's full text (depersonalised unless entitled).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ACT_KINDS, ACT_OUTCOMES } from '../../../db/schema.ts';
import { userOf } from '../auth/auth.plugin.ts';
import type { ActsService } from './acts.service.ts';

const id = Type.String({ minLength: 1, maxLength: 64 });
const isoDate = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$' });
const kind = Type.Enum(ACT_KINDS);
const outcome = Type.Enum(ACT_OUTCOMES);

const markBody = Type.Object({ documentId: id, kind, outcome, date: isoDate, hearingId: Type.Optional(Type.Union([id, Type.Null()])) }, { additionalProperties: false });
const searchQuery = Type.Object(
  {
    q: Type.String({ minLength: 1, maxLength: 300 }),
    courtId: Type.Optional(id),
    judgeId: Type.Optional(id),
    article: Type.Optional(Type.String({ pattern: '^\\d{1,4}(-\\d{1,2})?$' })),
    from: Type.Optional(isoDate),
    to: Type.Optional(isoDate),
    outcome: Type.Optional(outcome),
    kind: Type.Optional(kind),
    limit: Type.Integer({ minimum: 1, maximum: 50, default: 20 }),
    offset: Type.Integer({ minimum: 0, maximum: 1000, default: 0 }),
  },
  { additionalProperties: false },
);

export const actsRoutes: FastifyPluginAsyncTypebox<{ acts: ActsService }> = async (app, { acts }) => {
  app.addHook('onRequest', app.requireUser);

  app.post('/api/cases/:id/acts', { onRequest: app.csrfProtection, schema: { params: Type.Object({ id }), body: markBody } }, async (request, reply) => {
    const { act, created } = await acts.mark(userOf(request), request.params.id, request.body, request.ip);
    return reply.code(created ? 201 : 200).send({ act });
  });

  app.get('/api/cases/:id/acts', { schema: { params: Type.Object({ id }) } }, async (request) => ({
    acts: await acts.listForCase(userOf(request), request.params.id, request.ip),
  }));

  app.get('/api/acts/search', { schema: { querystring: searchQuery } }, async (request) => acts.search(userOf(request), request.query, request.ip));

  app.get('/api/acts/:actId/text', { schema: { params: Type.Object({ actId: id }) } }, async (request) => acts.text(userOf(request), request.params.actId, request.ip));
};

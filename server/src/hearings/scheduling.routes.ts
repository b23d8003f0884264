/**
 * Scheduling over HTTP (docs/api.md, "Scheduling hearings"):
 *   GET    /api/halls                      the halls of the user's court
 *   GET    /api/cases/:id/hearings         the case's hearings, summonses and notices
 *   GET    /api/cases/:id/hearing-options  what the schedule form offers (schedulers only)
 *   POST   /api/cases/:id/hearings         schedule a hearing (CSRF)
 *   PATCH  /api/hearings/:id               move or change it (CSRF)
 *   DELETE /api/hearings/:id               cancel it, body { reason? } (CSRF)
 * Thin: bodies are checked here, the rules and access in SchedulingService.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { userOf } from '../auth/auth.plugin.ts';
import { MAX_DURATION_MINUTES } from './scheduling.rules.ts';
import type { SchedulingService } from './scheduling.service.ts';

const Id = Type.String({ minLength: 1, maxLength: 64 });
const Params = Type.Object({ id: Id });

const ScheduleFields = {
  hallId: Id,
  /** The court's wall-clock date and time (its time zone), e.g. "2026-11-24" and "10:00". */
  date: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }),
  time: Type.String({ pattern: '^\\d{2}:\\d{2}$' }),
  durationMinutes: Type.Optional(Type.Integer({ minimum: 15, maximum: MAX_DURATION_MINUTES })),
  presidingJudgeId: Id,
  secretaryId: Id,
  closed: Type.Boolean(),
  participantIds: Type.Array(Id, { maxItems: 500 }),
};

const ScheduleBody = Type.Object(ScheduleFields, { additionalProperties: false });
const RescheduleBody = Type.Partial(Type.Object(ScheduleFields), { additionalProperties: false, minProperties: 1 });
const CancelBody = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });

export const schedulingRoutes: FastifyPluginAsyncTypebox<{ scheduling: SchedulingService }> = async (app, { scheduling }) => {
  app.addHook('onRequest', app.requireUser);

  app.get('/api/halls', async (request) => ({ halls: await scheduling.halls(userOf(request)) }));

  app.get('/api/cases/:id/hearings', { schema: { params: Params } }, async (request) => scheduling.list(userOf(request), request.params.id, request.ip));

  app.get('/api/cases/:id/hearing-options', { schema: { params: Params } }, async (request) => scheduling.options(userOf(request), request.params.id, request.ip));

  app.post('/api/cases/:id/hearings', { onRequest: app.csrfProtection, schema: { params: Params, body: ScheduleBody } }, async (request, reply) => {
    const hearing = await scheduling.schedule(userOf(request), request.params.id, request.body, request.ip);
    return reply.code(201).send({ hearing });
  });

  app.patch('/api/hearings/:id', { onRequest: app.csrfProtection, schema: { params: Params, body: RescheduleBody } }, async (request) => ({
    hearing: await scheduling.reschedule(userOf(request), request.params.id, request.body, request.ip),
  }));

  app.delete(
    '/api/hearings/:id',
    {
      onRequest: app.csrfProtection,
      // A DELETE may come without a body; that is a cancellation without a stated reason.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: { params: Params, body: CancelBody },
    },
    async (request) => ({
      hearing: await scheduling.cancel(userOf(request), request.params.id, request.body.reason?.trim() || null, request.ip),
    }),
  );
};

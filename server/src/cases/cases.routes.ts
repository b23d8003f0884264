import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { userOf } from '../auth/auth.plugin.ts';
import { DEFAULT_COURT_TIME_ZONE, startOfDay } from '../shared/court-time.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import type { CasesService } from './cases.service.ts';

export const casesRoutes: FastifyPluginAsyncTypebox<{ cases: CasesService; users: UsersRepository }> = async (app, { cases, users }) => {
  app.addHook('onRequest', app.requireUser);

  app.get('/api/cases', async (request) => ({ cases: await cases.list(userOf(request)) }));

  app.get('/api/cases/:id', { schema: { params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }) } }, async (request) => ({
    case: await cases.get(userOf(request), request.params.id, request.ip),
  }));

  /** The user's hearings from the start of today (in their court's time zone) on: the home page. */
  app.get('/api/hearings', async (request) => {
    const user = userOf(request);
    const timeZone = (user.courtId && (await users.court(user.courtId))?.timezone) || DEFAULT_COURT_TIME_ZONE;
    return { hearings: await cases.upcomingHearings(user, startOfDay(timeZone, new Date())) };
  });
};

/** Cases: the register every hearing, motion and file belongs to. */
import fp from 'fastify-plugin';
import { CasesRepository } from './cases.repository.ts';
import { casesRoutes } from './cases.routes.ts';
import { CasesService } from './cases.service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    cases: CasesService;
  }
}

export const casesPlugin = fp(
  async (fastify) => {
    const cases = new CasesService({ cases: new CasesRepository(fastify.db), audit: fastify.audit });
    fastify.decorate('cases', cases);
    await fastify.register(casesRoutes, { cases, users: fastify.users });
  },
  { name: 'ezal-cases', fastify: '5.x', dependencies: ['ezal-audit', 'ezal-auth'] },
);

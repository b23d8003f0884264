/**
 * Electronic case files: the intake's routes (packages from the integrations) and the case file's
 * documents. The court's trust roots (signatures/court-trust-roots.ts) are parsed here once; motions
 * and protocols verify signatures against the same.
 */
import fp from 'fastify-plugin';
import type * as pkijs from 'pkijs';
import { IntegrationClients } from '../integrations/integration-clients.ts';
import { caseFileRoutes } from './case-file.routes.ts';
import { ecasesRoutes } from './ecases.routes.ts';
import { parseTrustRoots } from './package/trust-roots.ts';

declare module 'fastify' {
  interface FastifyInstance {
    trustRoots: pkijs.Certificate[];
  }
}

export const ecasesPlugin = fp(
  async (fastify) => {
    const { intake, audit } = fastify;
    fastify.decorate('trustRoots', parseTrustRoots(intake.trustRoots));
    await fastify.register(ecasesRoutes, { intake, clients: new IntegrationClients(fastify.db), audit, users: fastify.users });
    await fastify.register(caseFileRoutes, { intake, cases: fastify.cases, audit });
  },
  { name: 'ezal-ecases', fastify: '5.x', dependencies: ['ezal-cases', 'ezal-auth'] },
);

/**
 * Judicial acts. Acts marked before their document's text was read enter the search
 * index once it is: a sweep every few seconds, stopped when the server closes.
 */
import fp from 'fastify-plugin';
import { ActsRepository } from './acts.repository.ts';
import { actsRoutes } from './acts.routes.ts';
import { ActsService } from './acts.service.ts';

const PENDING_SWEEP_MS = 5_000;

export const actsPlugin = fp(
  async (fastify) => {
    const acts = new ActsService({ acts: new ActsRepository(fastify.database), cases: fastify.cases, audit: fastify.audit });
    await fastify.register(actsRoutes, { acts });
    const sweep = setInterval(() => {
      try {
        acts.indexPending();
      } catch (error) {
        fastify.log.error({ err: error }, 'indexing judicial acts failed; retrying');
      }
    }, PENDING_SWEEP_MS);
    sweep.unref();
    fastify.addHook('onClose', async () => clearInterval(sweep));
  },
  { name: 'ezal-acts', fastify: '5.x', dependencies: ['ezal-cases', 'ezal-auth'] },
);

/**
 * Judicial acts. Acts marked before their document's text was read enter the search
 * index once it is: a sweep every few seconds on the leading node (cluster/leader.ts), stopped
 * when the server closes.
 */
import fp from 'fastify-plugin';
import { ActsRepository } from './acts.repository.ts';
import { actsRoutes } from './acts.routes.ts';
import { ActsService } from './acts.service.ts';

const PENDING_SWEEP_MS = 5_000;

export const actsPlugin = fp(
  async (fastify) => {
    const acts = new ActsService({ acts: new ActsRepository(fastify.db), cases: fastify.cases, audit: fastify.audit });
    await fastify.register(actsRoutes, { acts });
    // One sweep at a time: a slow one (many acts, a busy database) is not overtaken by the next.
    let sweeping: Promise<unknown> | null = null;
    const sweep = setInterval(() => {
      if (!fastify.leader.isLeader || sweeping) return;
      sweeping = acts
        .indexPending()
        .catch((error: unknown) => fastify.log.error({ err: error }, 'indexing judicial acts failed; retrying'))
        .finally(() => (sweeping = null));
    }, PENDING_SWEEP_MS);
    sweep.unref();
    fastify.addHook('onClose', async () => {
      clearInterval(sweep);
      await sweeping;
    });
  },
  { name: 'ezal-acts', fastify: '5.x', dependencies: ['ezal-cases', 'ezal-auth', 'ezal-cluster'] },
);

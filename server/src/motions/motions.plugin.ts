/**
 * Motions: filed over HTTP with the filer's signature — by users and by remote
 * participants — and ruled on in the hearing. A motion filed outside the hall is announced to the
 * case's people; whoever delivers that (the realtime plugin, to their sockets) subscribes with
 * `onMotionFiledOutside`, so motions need not know the sockets exist.
 */
import fp from 'fastify-plugin';
import { MotionsRepository } from './motions.repository.ts';
import { motionsRoutes } from './motions.routes.ts';
import { MotionsService, type FiledOutsideListener } from './motions.service.ts';
import { remoteMotionsRoutes } from './remote-motions.routes.ts';

declare module 'fastify' {
  interface FastifyInstance {
    motions: MotionsService;
    /** Hears of every motion filed outside the hall; returns the unsubscribe. */
    onMotionFiledOutside(listener: FiledOutsideListener): () => void;
  }
}

export const motionsPlugin = fp(
  async (fastify) => {
    const { config, dispatcher, intake } = fastify;
    const filedOutside = new Set<FiledOutsideListener>();
    const motions = new MotionsService({
      motions: new MotionsRepository(fastify.db),
      cases: fastify.cases,
      hearings: fastify.hearings,
      hearingsRepository: fastify.hearingsRepository,
      access: fastify.hearingAccess,
      audit: fastify.audit,
      store: intake.store,
      staging: intake.staging,
      trustRoots: () => fastify.trustRoots,
      maxAttachmentBytes: config.motions.maxAttachmentBytes,
      database: fastify.db,
      onFiledOutside: (motion, audience) => {
        for (const listener of filedOutside) listener(motion, audience);
      },
      notices: { outbox: fastify.outbox, channels: () => dispatcher.channels, wake: () => dispatcher.wake() },
    });
    fastify.decorate('motions', motions);
    fastify.decorate('onMotionFiledOutside', (listener: FiledOutsideListener) => {
      filedOutside.add(listener);
      return () => void filedOutside.delete(listener);
    });
    await fastify.register(motionsRoutes, { motions, files: intake.files, maxAttachmentBytes: config.motions.maxAttachmentBytes });
    await fastify.register(remoteMotionsRoutes, { motions, remote: fastify.remote, maxAttachmentBytes: config.motions.maxAttachmentBytes });
  },
  { name: 'ezal-motions', fastify: '5.x', dependencies: ['ezal-hearings', 'ezal-remote', 'ezal-ecases', 'ezal-notifications', 'ezal-auth'] },
);

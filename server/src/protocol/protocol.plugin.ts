/** The short protocol: computed from the hearing's log, signed by the secretary and the judge. */
import fp from 'fastify-plugin';
import { ProtocolRepository } from './protocol.repository.ts';
import { protocolRoutes } from './protocol.routes.ts';
import { ProtocolService } from './protocol.service.ts';

export const protocolPlugin = fp(
  async (fastify) => {
    const { db, intake } = fastify;
    const protocol = new ProtocolService({
      repository: new ProtocolRepository(db),
      hearings: fastify.hearings,
      hearingsRepository: fastify.hearingsRepository,
      access: fastify.hearingAccess,
      audit: fastify.audit,
      store: intake.store,
      staging: intake.staging,
      trustRoots: () => fastify.trustRoots,
      recordings: fastify.recording,
      database: db,
      publicUrl: fastify.config.protocol.publicUrl,
    });
    await fastify.register(protocolRoutes, { protocol });
  },
  { name: 'ezal-protocol', fastify: '5.x', dependencies: ['ezal-hearings', 'ezal-recording', 'ezal-ecases', 'ezal-auth'] },
);

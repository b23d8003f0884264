/**
 * Remote participation: invitations, the join page's routes, presence. Its sockets (the
 * /remote namespace) are set up by the realtime plugin, which comes later and is given this service.
 */
import fp from 'fastify-plugin';
import { InvitationsRepository } from './invitations.repository.ts';
import { remoteRoutes } from './remote.routes.ts';
import { RemoteService } from './remote.service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    remote: RemoteService;
  }
}

export const remotePlugin = fp(
  async (fastify) => {
    const { config, dispatcher } = fastify;
    const remote = new RemoteService({
      invitations: new InvitationsRepository(fastify.db),
      hearings: fastify.hearings,
      hearingsRepository: fastify.hearingsRepository,
      scheduling: fastify.schedulingRepository,
      outbox: fastify.outbox,
      audit: fastify.audit,
      channels: () => dispatcher.channels,
      database: fastify.db,
      onNotified: () => dispatcher.wake(),
      inviteTtlHours: config.remote.inviteTtlHours,
      sessionTtlHours: config.remote.sessionTtlHours,
      disconnectGraceMs: config.remote.disconnectGraceSeconds * 1000,
      clustered: config.cluster.redisUrl !== undefined,
      log: fastify.log,
    });
    fastify.decorate('remote', remote);
    await fastify.register(remoteRoutes, { remote, intake: fastify.intake, cookieSecure: config.cookieSecure, publicUrl: config.remote.publicUrl, joinRateLimit: config.loginRateLimit });

    // Before the server listens: whoever was connected by video when it stopped is not any more.
    fastify.addHook('onReady', async () => {
      await remote.recordRestart();
    });
    // preClose hooks run in registration order, so this one runs before the realtime plugin's:
    // a shutdown is not everyone losing their connection.
    fastify.addHook('preClose', async () => remote.close());
  },
  { name: 'ezal-remote', fastify: '5.x', dependencies: ['ezal-hearings', 'ezal-scheduling', 'ezal-notifications', 'ezal-auth'] },
);

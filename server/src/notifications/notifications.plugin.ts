/**
 * Summonses and the notices that follow them: written to the outbox by each domain with its
 * change, sent by the dispatcher afterwards (and at start, whatever an earlier run left pending).
 */
import fp from 'fastify-plugin';
import type { NotificationDispatcher } from './dispatcher.ts';
import { createDispatcher } from './notifications.setup.ts';
import { OutboxRepository } from './outbox.repository.ts';

declare module 'fastify' {
  interface FastifyInstance {
    outbox: OutboxRepository;
    dispatcher: NotificationDispatcher;
  }
}

export const notificationsPlugin = fp(
  async (fastify) => {
    const outbox = new OutboxRepository(fastify.db);
    const dispatcher = createDispatcher(fastify.config.notifications, outbox, fastify.log, fastify.config.cluster.nodeName);
    fastify.decorate('outbox', outbox);
    fastify.decorate('dispatcher', dispatcher);
    fastify.addHook('onReady', async () => dispatcher.wake());
    // Registered early, so it closes late: the message in hand is finished and recorded before the database closes.
    fastify.addHook('onClose', async () => dispatcher.stop());
  },
  { name: 'ezal-notifications', fastify: '5.x', dependencies: ['ezal-core'] },
);

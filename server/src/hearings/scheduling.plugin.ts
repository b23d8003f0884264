/**
 * Scheduling hearings and summoning their participants: each change writes its notices to the
 * outbox, wakes the dispatcher, and tells the situation centre.
 */
import fp from 'fastify-plugin';
import { ScheduleViewRepository } from './schedule-view.repository.ts';
import { SchedulingRepository } from './scheduling.repository.ts';
import { schedulingRoutes } from './scheduling.routes.ts';
import { SchedulingService } from './scheduling.service.ts';

declare module 'fastify' {
  interface FastifyInstance {
    scheduling: SchedulingService;
    /** Remote participation reads who is summoned from it (remote.plugin.ts). */
    schedulingRepository: SchedulingRepository;
  }
}

export const schedulingPlugin = fp(
  async (fastify) => {
    const { config, db, dispatcher, situation } = fastify;
    const repository = new SchedulingRepository(db);
    const scheduling = new SchedulingService({
      cases: fastify.cases,
      scheduling: repository,
      views: new ScheduleViewRepository(db),
      outbox: fastify.outbox,
      audit: fastify.audit,
      transaction: (fn) => db.transaction(fn),
      channels: () => dispatcher.channels,
      defaultDurationMinutes: config.hearings.defaultDurationMinutes,
      onChanged: (change) => {
        if (change.notices > 0) dispatcher.wake();
        situation.caseChanged(change.caseId);
      },
    });
    fastify.decorate('scheduling', scheduling);
    fastify.decorate('schedulingRepository', repository);
    await fastify.register(schedulingRoutes, { scheduling });
  },
  { name: 'ezal-scheduling', fastify: '5.x', dependencies: ['ezal-cases', 'ezal-notifications', 'ezal-situation', 'ezal-auth'] },
);

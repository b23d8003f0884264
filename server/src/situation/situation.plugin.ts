/**
 * The situation centre: the court's figures and deadlines, pushed live. What changes
 * them reaches it through `situation.caseChanged` (scheduling, later) and the hearings' committed
 * events it follows itself; it closes its signals when the server closes.
 */
import fp from 'fastify-plugin';
import { STATUS_EVENTS } from '../shared/hearing/stages/stages.ts';
import { DEFAULT_DEADLINE_RULES, validateRules } from './deadline-rules.ts';
import { SituationRepository } from './situation.repository.ts';
import { situationRoutes } from './situation.routes.ts';
import { SituationService } from './situation.service.ts';
import type { SituationSignals } from './situation-signals.ts';

declare module 'fastify' {
  interface FastifyInstance {
    situation: {
      service: SituationService;
      signals: SituationSignals;
      /** Something about the case changed what the centre shows (a hearing scheduled, a summons sent). */
      caseChanged(caseId: string): void;
    };
  }
}

export const situationPlugin = fp(
  async (fastify) => {
    const repository = new SituationRepository(fastify.db);
    const signals = fastify.situationSignals;
    const service = new SituationService({ situation: repository, audit: fastify.audit, rules: validateRules(DEFAULT_DEADLINE_RULES) });
    // Which court a change belongs to is a question to the database: asked, then signalled; a failure only costs a live update.
    const changedCourt = (court: Promise<string | undefined>) =>
      void court.then(
        (courtId) => signals.changed(courtId),
        (error: unknown) => fastify.log.warn({ err: error }, 'situation centre: the court of a change could not be read'),
      );
    fastify.decorate('situation', { service, signals, caseChanged: (caseId: string) => changedCourt(repository.courtOfCase(caseId)) });
    await fastify.register(situationRoutes, { situation: service });

    // Hearings opened, broken off, finished change the court's figures; a page turned changes nothing it counts.
    const stopFeed = fastify.hearings.onCommitted((events) => {
      const counted = new Set(events.filter((e) => STATUS_EVENTS.has(e.type)).map((e) => e.hearingId));
      for (const hearingId of counted) changedCourt(repository.courtOfHearing(hearingId));
    });
    fastify.addHook('onClose', async () => {
      stopFeed();
      signals.close();
    });
  },
  { name: 'ezal-situation', fastify: '5.x', dependencies: ['ezal-hearings', 'ezal-auth'] },
);

/**
 * Hearings: the log of each hearing and the service that decides and commits its commands; the
 * access rules (who sits where); the case's status, which follows its hearings (opened, suspended,
 * ended) in the same transactions. Scheduling is its own plugin (scheduling.plugin.ts), later,
 * since it tells the situation centre what it changed.
 */
import fp from 'fastify-plugin';
import { CaseStatusRepository } from '../cases/case-status.repository.ts';
import { CaseStatusService } from '../cases/case-status.service.ts';
import { HearingAccess } from './hearing-access.ts';
import { HearingsRepository } from './hearings.repository.ts';
import { HearingsService } from './hearings.service.ts';

/**
 * How many sources the hall's recording has — the hearing's rules ask before the recording starts.
 * The recording follows the hearings' committed events, so it is built after them and fills this
 * port (recording.plugin.ts); until it does, and on a server without recording, there are none.
 * This is how the hearings ↔ recording cycle is broken: hearings depend on this small port only.
 */
export class RecordingSourcesPort {
  #count: (hearingId: string) => number = () => 0;

  provide(count: (hearingId: string) => number): void {
    this.#count = count;
  }

  count(hearingId: string): number {
    return this.#count(hearingId);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    hearings: HearingsService;
    hearingsRepository: HearingsRepository;
    hearingAccess: HearingAccess;
    recordingSources: RecordingSourcesPort;
  }
}

export const hearingsPlugin = fp(
  async (fastify) => {
    const { db, audit } = fastify;
    const hearingsRepository = new HearingsRepository(db);
    const access = new HearingAccess({ cases: fastify.cases, hearings: hearingsRepository, audit });
    const recordingSources = new RecordingSourcesPort();
    const hearings = new HearingsService({
      hearings: hearingsRepository,
      access,
      audit,
      database: db,
      log: fastify.log,
      recordingSources: (hearingId) => recordingSources.count(hearingId),
    });
    new CaseStatusService({ repository: new CaseStatusRepository(db), hearings });
    fastify.decorate('hearings', hearings);
    fastify.decorate('hearingsRepository', hearingsRepository);
    fastify.decorate('hearingAccess', access);
    fastify.decorate('recordingSources', recordingSources);
  },
  { name: 'ezal-hearings', fastify: '5.x', dependencies: ['ezal-audit', 'ezal-cases'] },
);

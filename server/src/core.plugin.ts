/**
 * What the application is given rather than builds: the configuration, the database, the
 * installation's secrets, the case-file intake, the media workers. `server.ts` (and the tests through
 * it) opens and closes these; every domain plugin reads them here.
 */
import fp from 'fastify-plugin';
import type { Config } from './config.ts';
import type { Database } from '../../db/database.ts';
import type { MediaWorkerPool } from '../../media/src/worker-pool.ts';
import type { Intake } from './ecases/intake.setup.ts';
import type { Secrets } from './secrets.ts';
import { SituationSignals } from './situation/situation-signals.ts';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    /** The database (db/database.ts), on SQLite or PostgreSQL: read `db.db` at each query. */
    db: Database;
    secrets: Secrets;
    intake: Intake;
    /** The mediasoup workers; null when MEDIA_WORKERS=0. */
    mediaWorkers: MediaWorkerPool | null;
    /** Changes the situation centre pushes live; server.ts hands the same to the intake. */
    situationSignals: SituationSignals;
  }
}

export type CoreOptions = {
  config: Config;
  db: Database;
  secrets: Secrets;
  intake: Intake;
  media: MediaWorkerPool | null;
  situationSignals?: SituationSignals;
};

export const corePlugin = fp<CoreOptions>(
  async (fastify, options) => {
    fastify.decorate('config', options.config);
    fastify.decorate('db', options.db);
    fastify.decorate('secrets', options.secrets);
    fastify.decorate('intake', options.intake);
    fastify.decorate('mediaWorkers', options.media);
    fastify.decorate('situationSignals', options.situationSignals ?? new SituationSignals());
  },
  { name: 'ezal-core', fastify: '5.x' },
);

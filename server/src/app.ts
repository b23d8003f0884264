/**
 * Builds the HTTP application from what it is given (configuration, database, media workers,
 * secrets, the case-file intake) as a list of plugins, one per domain. Each plugin builds its own
 * services from what earlier plugins decorated on the instance, registers its routes, and owns its
 * timers and close hooks. Never listens and closes nothing it was given: `server.ts` does both.
 *
 * The order is the dependency order (each plugin names its dependencies, and fastify refuses a
 * plugin registered before one it needs). It also orders the lifecycle: `onReady` and `preClose`
 * hooks run in registration order, `onClose` hooks in reverse — so what is registered first closes last.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { Database } from '../../db/database.ts';
import type { MediaWorkerPool } from '../../media/src/worker-pool.ts';
import { actsPlugin } from './acts/acts.plugin.ts';
import { auditChainPlugin } from './audit/audit-chain.plugin.ts';
import { auditPlugin } from './audit/audit.plugin.ts';
import { authPlugin } from './auth/auth.plugin.ts';
import { caseTextPlugin } from './case-text/case-text.plugin.ts';
import { casesPlugin } from './cases/cases.plugin.ts';
import { clusterPlugin } from './cluster/cluster.plugin.ts';
import type { LeaderLock } from './cluster/leader.ts';
import type { Config } from './config.ts';
import { corePlugin } from './core.plugin.ts';
import { ecasesPlugin } from './ecases/ecases.plugin.ts';
import type { Intake } from './ecases/intake.setup.ts';
import { healthPlugin } from './health/health.plugin.ts';
import { hearingsPlugin } from './hearings/hearings.plugin.ts';
import { schedulingPlugin } from './hearings/scheduling.plugin.ts';
import { errorHandler, frameworkErrorHandler, notFoundHandler } from './http/error-handler.ts';
import { requestGuard } from './http/request-guard.ts';
import { mediaRoomsPlugin } from './media-rooms/media-rooms.plugin.ts';
import { motionsPlugin } from './motions/motions.plugin.ts';
import { notesPlugin } from './notes/notes.plugin.ts';
import { notificationsPlugin } from './notifications/notifications.plugin.ts';
import { protocolPlugin } from './protocol/protocol.plugin.ts';
import { realtimePlugin } from './realtime/realtime.plugin.ts';
import { recordingPlugin } from './recording/recording.plugin.ts';
import { remotePlugin } from './remote/remote.plugin.ts';
import type { Secrets } from './secrets.ts';
import { situationPlugin } from './situation/situation.plugin.ts';
import type { SituationSignals } from './situation/situation-signals.ts';
import { securityHeadersPlugin } from './web/security-headers.plugin.ts';
import { webPlugin } from './web/web.plugin.ts';

export type AppDeps = {
  config: Config;
  /** The database (db/database.ts), on SQLite or PostgreSQL. */
  db: Database;
  media: MediaWorkerPool | null;
  secrets: Secrets;
  intake: Intake;
  /** The process's logger (pino); main.ts makes it so the media pool and the app log alike. */
  log: FastifyBaseLogger;
  /** Changes the situation centre pushes live (server.ts hands the intake's to it too). */
  situationSignals?: SituationSignals;
  /** Which node runs the sweeps and indexers (cluster/leader.ts); default: this one, the only node. */
  leader?: LeaderLock;
};

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, db, media, secrets, intake, situationSignals } = deps;
  const app = Fastify({
    loggerInstance: deps.log,
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    frameworkErrors: frameworkErrorHandler,
  });

  // Cross-cutting first, so every route after inherits it. One error handler (5xx messages hidden).
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  // What the app is given: config, database, secrets, intake, media workers (core.plugin.ts).
  app.register(corePlugin, { config, db, secrets, intake, media, situationSignals });
  app.register(clusterPlugin, { leader: deps.leader });
  // Odd URLs (NUL, bad percent-encoding, too long) are a 400 before any route; unusable Range headers are dropped.
  app.register(requestGuard);
  app.register(securityHeadersPlugin);
  // Off by default; the routes that need a limit (sign-in, joining) say so.
  app.register(rateLimit, { global: false });

  // The audit log everyone records into; first, so its last checkpoint is the last thing at stop.
  app.register(auditPlugin);
  // Sessions and `requireUser`: every plugin with routes comes after it.
  app.register(authPlugin);
  app.register(auditChainPlugin);
  app.register(casesPlugin);
  // Before the domains that write notices to the outbox; closes after them, finishing the message in hand.
  app.register(notificationsPlugin);
  app.register(hearingsPlugin);
  app.register(mediaRoomsPlugin);
  // After hearings (it follows their events and fills their port for its number of sources) and the media rooms it attaches to.
  app.register(recordingPlugin);
  // After hearings, whose committed events it follows; before scheduling, which tells it of changed cases.
  app.register(situationPlugin);
  app.register(schedulingPlugin);
  // Reads the summoned from scheduling; its preClose must run before the sockets close (realtime, below).
  app.register(remotePlugin);
  // The court's trust roots, which motions and protocols verify against.
  app.register(ecasesPlugin);
  app.register(motionsPlugin);
  app.register(protocolPlugin);
  app.register(caseTextPlugin);
  app.register(notesPlugin);
  app.register(actsPlugin);
  app.register(healthPlugin);
  // Last of the domains: built from all of them, subscribes to motions filed outside the hall.
  app.register(realtimePlugin);
  // The web app's catch-all GET /* goes last, after every API route.
  app.register(webPlugin, { buildDir: config.webBuildDir });

  return app;
}

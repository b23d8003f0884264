/**
 * Starts the whole suite in this process from a configuration: database (migrated, demo data when
 * asked), media workers, HTTP + socket.io. Used by `main.ts` and by the integration tests, so tests
 * run exactly what `npm start` runs.
 *
 * The split with `app.ts`: this file opens and closes what outlives the HTTP app — the database and
 * its checkpointer, the secrets, the case-file intake and its text indexer, the media workers — and
 * listens; `app.ts` builds the HTTP app's plugins from them and closes only what those plugins made.
 */
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type SQLite from 'better-sqlite3';
import { openDb, type Database } from '../../db/database.ts';
import { startCheckpointer } from '../../db/checkpointer.ts';
import { ensureDemoKeys } from '../../db/demo-keys.ts';
import { MediaWorkerPool } from '../../media/src/worker-pool.ts';
import { resolveWorkerBin } from '../../media/worker/worker-bin.ts';
import { buildApp } from './app.ts';
import type { CaseTextIndexer } from './case-text/case-text.indexer.ts';
import { setUpCaseText } from './case-text/case-text.setup.ts';
import { loadDemo, recoverStorage, setUpIntake } from './ecases/intake.setup.ts';
import type { Config } from './config.ts';
import { PgLeaderLock, SoloLeader } from './cluster/leader.ts';
import { loadSecrets } from './secrets.ts';
import { SituationRepository } from './situation/situation.repository.ts';
import { SituationSignals } from './situation/situation-signals.ts';

/** How often the WAL is copied into the database file (db/checkpointer.ts). */
const WAL_CHECKPOINT_INTERVAL_MS = 1000;

export type RunningServer = {
  app: FastifyInstance;
  db: Database;
  /** The SQLite file's connection (the writer), for tests that look into it; null on PostgreSQL. */
  sqlite: SQLite.Database | null;
  media: MediaWorkerPool | null;
  /** Indexes the text of case files in the background (tests wait for it with `idle()`). */
  textIndex: CaseTextIndexer;
  /** The address it listens on, e.g. http://127.0.0.1:3000 */
  url: string;
  /** Closes HTTP and sockets, then the text indexer, the media workers and the database. */
  close(): Promise<void>;
};

export async function startServer(config: Config, log: FastifyBaseLogger): Promise<RunningServer> {
  // SQLite in DATA_DIR, or the PostgreSQL server the nodes share (DATABASE_URL), migrated either way.
  // SQLite's checkpoints run on a thread of their own, never inside a hearing's commit (db/checkpointer.ts).
  const db = await openDb({
    dataDir: config.dataDir,
    databaseUrl: config.cluster.databaseUrl,
    autoCheckpoint: false,
    onIdleError: (error) => log.warn({ err: error }, 'a PostgreSQL connection was lost; the pool opens another'),
  });
  const checkpointer = 'legacy' in db ? startCheckpointer(db.legacy.file, WAL_CHECKPOINT_INTERVAL_MS) : null;
  // Sweeps and indexers run on one node at a time: on PostgreSQL the node holding the leader lock.
  const leader = 'pool' in db ? new PgLeaderLock({ pool: db.pool, node: config.cluster.nodeName, log }) : new SoloLeader();
  let media: MediaWorkerPool | null = null;
  let textIndex: CaseTextIndexer | null = null;
  try {
    await leader.start();
    const secrets = loadSecrets(config.dataDir);
    const situationSignals = new SituationSignals();
    const situationCourts = new SituationRepository(db);
    // The demo court's people sign motions and protocols with test keys from its own CA (db/demo-keys.ts):
    // made before the intake builds the court's trust roots, so the CA is among them.
    if (config.demo) await ensureDemoKeys(config.dataDir);
    const intake = await setUpIntake(config, db, {
      onAccepted: (caseId) => {
        textIndex?.caseAccepted(caseId);
        // A case arrived: the court's situation centre updates.
        void situationCourts.courtOfCase(caseId).then(
          (courtId) => situationSignals.changed(courtId),
          (error: unknown) => log.warn({ err: error, caseId }, 'situation centre: the court of an accepted case could not be read'),
        );
      },
    });
    if (config.demo) await loadDemo(db, intake);
    textIndex = setUpCaseText({ database: db, files: intake.files, log, leader });
    const recovered = await recoverStorage(intake);
    if (recovered.stagingFolders + recovered.orphanFiles > 0) log.warn(recovered, 'removed what interrupted imports left behind');
    if (config.media.workers > 0) {
      media = await MediaWorkerPool.start({
        workers: config.media.workers,
        workerBin: config.media.workerBin ?? resolveWorkerBin(),
        rtcMinPort: config.media.rtcMinPort,
        rtcMaxPort: config.media.rtcMaxPort,
        log,
      });
    }
    const app = await buildApp({ config, db, media, secrets, intake, log, situationSignals, leader });
    const url = await app.listen({ host: config.host, port: config.port });
    // Whatever an earlier run left unindexed, now that the server answers.
    textIndex.start();
    const index = textIndex;
    return {
      app,
      db,
      sqlite: 'legacy' in db ? db.legacy.sqlite : null,
      media,
      textIndex: index,
      url,
      async close() {
        await app.close();
        await index.close();
        intake.store.close();
        await media?.close();
        await leader.stop();
        await checkpointer?.stop();
        await db.close();
      },
    };
  } catch (error) {
    await textIndex?.close();
    await media?.close();
    await leader.stop();
    await checkpointer?.stop();
    await db.close();
    throw error;
  }
}

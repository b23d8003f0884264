/**
 * Builds the intake service from the configuration, the same way for the server and for the
 * command line, and runs the start-up recovery: staging folders of crashed imports are removed,
 * and so are stored files no row refers to (an import killed between storing its files and
 * committing its rows).
 */
import path from 'node:path';
import type { DbHandle } from '../../../db/client.ts';
import type { Config } from '../config.ts';
import { LocalFileStore } from '../storage/file-store.ts';
import { Staging } from '../storage/staging.ts';
import { StoredFiles } from '../storage/stored-files.ts';
import { EcasesRepository } from './ecases.repository.ts';
import { IntakeService } from './intake.service.ts';
import { loadCourtTrustRoots } from '../signatures/court-trust-roots.ts';

/** `trustRoots`: the court's (signatures/court-trust-roots.ts), PEM texts; every signature check of the court uses them. */
export type Intake = { service: IntakeService; repository: EcasesRepository; store: LocalFileStore; files: StoredFiles; staging: Staging; trustRoots: string[] };

/** `onAccepted` is told of every case a package has just created (after its transaction committed). */
export async function setUpIntake(config: Config, database: DbHandle, hooks: { onAccepted?: (caseId: string) => void } = {}): Promise<Intake> {
  const store = new LocalFileStore(path.join(config.dataDir, 'files'), { inlineMaxBytes: config.filesInlineMaxBytes });
  const staging = new Staging(path.join(config.dataDir, 'staging'));
  const repository = new EcasesRepository(database);
  const trustRoots = await loadCourtTrustRoots(config);
  const service = new IntakeService({ repository, store, staging, trustRoots, limits: config.ecase.limits, onAccepted: hooks.onAccepted });
  return { service, repository, store, files: new StoredFiles({ store, database }), staging, trustRoots };
}

/** Removes what crashed imports left behind. Returns what was removed, for the log. */
export async function recoverStorage(intake: Intake): Promise<{ stagingFolders: number; orphanFiles: number }> {
  const stagingFolders = await intake.staging.sweepAbandoned();
  // Asked afresh for every file: another live process (the command-line intake) may be between
  // storing its files and committing them, and then nothing is removed.
  const orphanFiles = await intake.store.sweepOrphans(
    (sha256) => intake.repository.isStored(sha256),
    async () => !(await intake.staging.othersAreWorking()),
  );
  return { stagingFolders, orphanFiles };
}

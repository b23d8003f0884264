/**
 * Builds the intake service from the configuration, the same way for the server and for the
 * command line, and runs the start-up recovery: staging folders of crashed imports are removed,
 * and so are stored files no row refers to (an import killed between storing its files and
 * committing its rows). The file store is DATA_DIR/files, or the object store when S3_BUCKET is set.
 */
import path from 'node:path';
import type { Database } from '../../../db/database.ts';
import { loadDemoData } from '../../../db/demo.ts';
import { readDemoFiles, storeDemoFiles } from '../../../db/demo-case-file.ts';
import type { Config } from '../config.ts';
import { LocalFileStore, type FileStore } from '../storage/file-store.ts';
import { ObjectFileStore } from '../storage/object-file-store.ts';
import { Staging } from '../storage/staging.ts';
import { StoredFiles } from '../storage/stored-files.ts';
import { EcasesRepository } from './ecases.repository.ts';
import { IntakeService } from './intake.service.ts';
import { mayRemoveUnreferenced } from './unreferenced.ts';
import { loadCourtTrustRoots } from '../signatures/court-trust-roots.ts';

/** `trustRoots`: the court's (signatures/court-trust-roots.ts), PEM texts; every signature check of the court uses them. */
export type Intake = { service: IntakeService; repository: EcasesRepository; store: FileStore; files: StoredFiles; staging: Staging; trustRoots: string[] };

/** `onAccepted` is told of every case a package has just created (after its transaction committed). */
export async function setUpIntake(config: Config, database: Database, hooks: { onAccepted?: (caseId: string) => void } = {}): Promise<Intake> {
  const store = await openFileStore(config);
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
  const orphanFiles = await intake.store.sweepOrphans(mayRemoveUnreferenced(intake.repository, () => intake.staging.othersAreWorking()));
  return { stagingFolders, orphanFiles };
}

/** The object store when S3_BUCKET is set (checked now: a wrong key or address stops the start), else DATA_DIR/files. */
async function openFileStore(config: Config): Promise<FileStore> {
  const options = { inlineMaxBytes: config.filesInlineMaxBytes };
  if (config.cluster.s3 === null) return new LocalFileStore(path.join(config.dataDir, 'files'), options);
  const store = new ObjectFileStore(config.cluster.s3, options);
  try {
    await store.open();
  } catch (error) {
    store.close();
    throw error;
  }
  return store;
}

/**
 * Loads the demo data (db/demo.ts) with its case file in the store, wherever the store keeps
 * files. For the object store the files are staged and adopted first, as an import's are, and the
 * rows that name them written after.
 */
export async function loadDemo(database: Database, intake: Intake): Promise<boolean> {
  const { store, staging } = intake;
  if (store instanceof LocalFileStore) return loadDemoData(database, { filesDir: store.root });
  const dir = await staging.create();
  try {
    const files = [...readDemoFiles().values()];
    // Laid out as files/ab/<sha256>, so loadDemoData finds them there and writes only the rows.
    storeDemoFiles(dir, files);
    await store.adoptAll(files.map((file) => ({ stagedPath: path.join(dir, file.sha256.slice(0, 2), file.sha256), sha256: file.sha256 })));
    return await loadDemoData(database, { filesDir: dir });
  } finally {
    await staging.remove(dir);
  }
}

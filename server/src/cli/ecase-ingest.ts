/**
 * `npm run ecase:ingest -- <package.zip | package folder>`: the intake from the command line, on
 * the configured database (DATA_DIR, or DATABASE_URL's PostgreSQL), whether or not the server is
 * running (SQLite serialises the writers; on PostgreSQL imports take turns, ecases.repository.ts).
 * Prints the same JSON the intake API answers; exits 0 when the case is in the court (new or
 * already there), 1 when the package is refused, 2 on a usage error, 3 when the court's disk
 * refused a write (full, read-only: `{ status: "failed", error: { code: "storage_unavailable" } }`,
 * and nothing of the import is left behind — docs/ecase-intake.md).
 */
import fs from 'node:fs';
import path from 'node:path';
import { openDb } from '../../../db/database.ts';
import { loadConfig, loadDotEnv } from '../config.ts';
import { setUpIntake } from '../ecases/intake.setup.ts';
import { storageUnavailable } from '../storage/storage-failure.ts';

/** The court's disk, not the package: nothing was imported, and trying again once it is freed will do. */
const EXIT_STORAGE_FAILED = 3;

const [source] = process.argv.slice(2);
if (!source) {
  console.error('usage: npm run ecase:ingest -- <package.zip | package folder>');
  process.exit(2);
}
const stat = fs.statSync(source, { throwIfNoEntry: false });
if (!stat) {
  console.error(`no such file or folder: ${source}`);
  process.exit(2);
}

loadDotEnv();
const config = loadConfig();
try {
  const database = await openDb({ dataDir: config.dataDir, databaseUrl: config.cluster.databaseUrl });
  try {
    const intake = await setUpIntake(config, database);
    try {
      const answer = await intake.service.ingest({ source: path.resolve(source), via: 'cli', archiveBytes: stat.isFile() ? stat.size : null });
      console.log(JSON.stringify(answer.body, null, 2));
      process.exitCode = answer.httpStatus < 300 ? 0 : 1;
    } finally {
      intake.store.close();
    }
  } finally {
    await database.close();
  }
} catch (error) {
  const refusal = storageUnavailable(error);
  if (!refusal) throw error;
  // The operator's tool: the system's own words (which file, which errno) help, the stack does not.
  console.log(JSON.stringify({ status: 'failed', error: { code: refusal.code, message: `${refusal.message}: ${(error as Error).message}` } }, null, 2));
  process.exitCode = EXIT_STORAGE_FAILED;
}

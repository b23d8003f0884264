/**
 * `npm run db:migrate` (and a step of `npm run setup`): creates the database if it is missing —
 * the SQLite file in DATA_DIR, or on the PostgreSQL server DATABASE_URL names — applies pending
 * migrations, and loads the demo data when EZAL_DEMO is on, its case file into the court's file
 * store (DATA_DIR/files, or the object store when S3_BUCKET is set), as the server would.
 */
import path from 'node:path';
import { loadConfig, loadDotEnv } from '../server/src/config.ts';
import { loadDemo, setUpIntake } from '../server/src/ecases/intake.setup.ts';
import { databaseFile } from './client.ts';
import { openDb } from './database.ts';
import { ensureDemoKeys } from './demo-keys.ts';

loadDotEnv();
const config = loadConfig();
const database = await openDb({ dataDir: config.dataDir, databaseUrl: config.cluster.databaseUrl });
try {
  let loaded = false;
  if (config.demo) {
    // The demo CA first: the intake's trust roots include it (as in server/src/server.ts).
    const keys = await ensureDemoKeys(config.dataDir);
    const intake = await setUpIntake(config, database);
    try {
      loaded = await loadDemo(database, intake);
    } finally {
      intake.store.close();
    }
    console.log(`demo key files (password ezal-demo): ${path.dirname(keys)}`);
  }
  const where = database.dialect === 'sqlite' ? databaseFile(config.dataDir) : 'PostgreSQL (DATABASE_URL)';
  console.log(`database ready: ${where}${config.demo ? (loaded ? ' (demo data loaded)' : ' (demo data already present)') : ''}`);
} finally {
  await database.close();
}

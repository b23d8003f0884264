/**
 * `npm run db:migrate` (and a step of `npm run setup`): creates the database in DATA_DIR if it is
 * missing, applies pending migrations, and loads the demo data when EZAL_DEMO is on.
 */
import path from 'node:path';
import { loadConfig, loadDotEnv } from '../server/src/config.ts';
import { openDatabase } from './client.ts';
import { loadDemoData } from './demo.ts';
import { ensureDemoKeys } from './demo-keys.ts';

loadDotEnv();
const config = loadConfig();
const database = openDatabase(config.dataDir);
try {
  const loaded = config.demo ? await loadDemoData(database.db, { filesDir: path.join(config.dataDir, 'files') }) : false;
  if (config.demo) console.log(`demo key files (password ezal-demo): ${path.dirname(await ensureDemoKeys(config.dataDir))}`);
  console.log(`database ready: ${database.file}${config.demo ? (loaded ? ' (demo data loaded)' : ' (demo data already present)') : ''}`);
} finally {
  database.close();
}

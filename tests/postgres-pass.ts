/**
 * `npm run test:integration:pg`, the last step of `npm test`: the integration suite again, with
 * every test server on PostgreSQL (EZAL_TEST_DATABASE=postgres, tests/helpers/server.ts).
 *
 * It runs the specs whose servers follow that switch: those that start them through
 * `startTestServer` or look at `TEST_DIALECT`. The others choose their database themselves and
 * already ran in the main pass exactly as they would run here: the `*-dialects` specs ask both
 * dialects the same questions, the cluster specs run on PostgreSQL, and a few test the SQLite file
 * itself (its disk filling up, its audit walk on a worker thread, the process started as
 * `npm start` starts it).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const folder = path.join(root, 'tests', 'integration');
const followsTheSwitch = (file: string) => /\bstartTestServer\b|\bTEST_DIALECT\b/.test(fs.readFileSync(path.join(folder, file), 'utf8'));

const specs = fs
  .readdirSync(folder)
  .filter((file) => file.endsWith('.spec.ts') && followsTheSwitch(file))
  .sort()
  .map((file) => path.join('tests', 'integration', file));
console.log(`on PostgreSQL: ${specs.length} integration specs whose servers follow EZAL_TEST_DATABASE`);

const run = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...specs], { cwd: root, stdio: 'inherit', env: { ...process.env, EZAL_TEST_DATABASE: 'postgres' } });
process.exit(run.status ?? 1);

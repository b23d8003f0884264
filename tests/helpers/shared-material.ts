/**
 * Where the project's shared material lives (the ERDR package contract, its test CA and sample
 * packages): the `shared/` folder beside the repository, as the project is checked out, or
 * EZAL_SHARED_DIR for a clone placed elsewhere. A missing folder is a clear error, not a skip.
 */
import fs from 'node:fs';
import path from 'node:path';

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');

export const SHARED_DIR = path.resolve(process.env.EZAL_SHARED_DIR ?? path.join(REPO_ROOT, '..', 'shared'));
export const ECASE_PACKAGE_DIR = path.join(SHARED_DIR, 'ecase-package');

if (!fs.existsSync(ECASE_PACKAGE_DIR)) {
  throw new Error(`the shared test material is not at ${ECASE_PACKAGE_DIR}: clone the repository beside shared/, or set EZAL_SHARED_DIR`);
}

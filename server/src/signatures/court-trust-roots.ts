/**
 * The court's trust roots: the one list that decides every signature the court checks — an ERDR
 * package's at intake, a motion's and the protocol's when they are signed, and all of them again
 * when the case file is verified later (GET /api/cases/:id/verification). Built once at start
 * (setUpIntake, for the server and the command line alike) and handed to each; a signature the
 * court accepted is therefore never "untrusted" when it is checked again the next minute.
 *
 * The roots are ECASE_TRUST_ROOTS and, with EZAL_DEMO on, the demo court's CA
 * (DATA_DIR/demo-keys/demo-ca.pem, db/demo-keys.ts), which signs the demo people's key files. The
 * server makes the demo keys before it builds this list; where they do not exist (a command line
 * run on a data folder no demo server started) nothing can have been signed with them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEMO_CA_FILE, DEMO_KEYS_FOLDER } from '../../../db/demo-keys.ts';
import type { Config } from '../config.ts';
import { loadTrustRoots } from '../ecases/package/trust-roots.ts';

/** PEM texts, one per certificate: ECASE_TRUST_ROOTS, then the demo CA when the demo is on. */
export async function loadCourtTrustRoots(config: Pick<Config, 'demo' | 'dataDir'> & { ecase: Pick<Config['ecase'], 'trustRoots'> }): Promise<string[]> {
  const configured = config.ecase.trustRoots ? await loadTrustRoots(config.ecase.trustRoots) : [];
  if (!config.demo) return configured;
  const demoCa = path.join(config.dataDir, DEMO_KEYS_FOLDER, DEMO_CA_FILE);
  return fs.existsSync(demoCa) ? [...configured, ...(await loadTrustRoots(demoCa))] : configured;
}

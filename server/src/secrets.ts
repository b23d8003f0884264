/**
 * Keys the server signs cookies and CSRF tokens with. Made once per installation and kept in
 * DATA_DIR (mode 0600), so a restart keeps everyone logged in and several instances with the same
 * DATA_DIR agree. `EZAL_SECRET` overrides the file for deployments that keep secrets elsewhere.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** `auditKey` signs the audit chain's checkpoints (server/src/audit/audit-chain.ts). */
export type Secrets = { cookieSecret: string; csrfHmacKey: string; auditKey: string };

export function loadSecrets(dataDir: string, env: Record<string, string | undefined> = process.env): Secrets {
  const fromEnv = env.EZAL_SECRET?.trim();
  if (fromEnv) {
    if (fromEnv.length < 32) throw new Error('EZAL_SECRET must be at least 32 characters long');
    return derive(fromEnv);
  }
  const file = path.join(dataDir, 'secret.key');
  fs.mkdirSync(dataDir, { recursive: true });
  try {
    // 'wx' fails if the file exists, so two instances starting together never overwrite each other's key.
    fs.writeFileSync(file, crypto.randomBytes(48).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return derive(fs.readFileSync(file, 'utf8').trim());
}

function derive(master: string): Secrets {
  const key = (label: string) => crypto.createHmac('sha256', master).update(label).digest('base64url');
  return { cookieSecret: key('cookie'), csrfHmacKey: key('csrf'), auditKey: key('audit') };
}

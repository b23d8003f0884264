/**
 * Test key files for the demo court (never for a real one): a demo CA, written as
 * DATA_DIR/demo-keys/demo-ca.pem and trusted by the demo server besides ECASE_TRUST_ROOTS, and a
 * PKCS#12 key file per demo person with an IIN — the staff (`<username>.p12`) and the demo case's
 * defendant and victim (`defendant.p12`, `victim.p12`) — each with the password `ezal-demo`.
 * The CA's private key is not kept: nothing more is issued once the folder exists. Made in pure
 * JS (pkijs + WebCrypto), no openssl.
 */
import fs from 'node:fs';
import path from 'node:path';
import { issuePerson, makeCa, makeKeyFile, toPem } from '../server/src/signatures/key-files.ts';
import { DEMO_PASSWORD, DEMO_USERS } from './demo.ts';

export const DEMO_KEYS_FOLDER = 'demo-keys';
export const DEMO_CA_FILE = 'demo-ca.pem';
/** Demo keys open quickly; a real key file would use far more PBKDF2 iterations. */
const DEMO_ITERATIONS = 2048;

/** Makes the demo keys unless they exist. Returns the path of the demo CA's certificate (PEM). */
export async function ensureDemoKeys(dataDir: string): Promise<string> {
  const dir = path.join(dataDir, DEMO_KEYS_FOLDER);
  const caFile = path.join(dir, DEMO_CA_FILE);
  if (fs.existsSync(caFile)) return caFile;
  const ca = await makeCa('e-Zal Demo Court CA');
  // The demo case's defendant and victim are demo users too (`defendant`, `victim`): their IINs are the participants'.
  const people = DEMO_USERS.filter((u) => u.iin).map((u) => ({ file: u.username, fullName: u.fullName, iin: u.iin! }));
  // Written to a fresh folder and renamed into place: a crash never leaves a CA without its keys.
  const temp = `${dir}.tmp-${process.pid}`;
  fs.rmSync(temp, { recursive: true, force: true });
  fs.mkdirSync(temp, { recursive: true });
  for (const person of people) {
    const issued = await issuePerson(ca, { fullName: person.fullName, iin: person.iin });
    fs.writeFileSync(path.join(temp, `${person.file}.p12`), await makeKeyFile(issued, DEMO_PASSWORD, { iterations: DEMO_ITERATIONS }));
  }
  fs.writeFileSync(path.join(temp, DEMO_CA_FILE), toPem(ca.cert));
  fs.rmSync(dir, { recursive: true, force: true });
  fs.renameSync(temp, dir);
  return caFile;
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readKeyFile, signDetached, SigningError } from '../../../apps/web/src/lib/signing/sign-detached.ts';
import { verifyDetachedCms } from '../ecases/package/cms-verify.ts';
import { issuePerson, makeCa, makeKeyFile } from './key-files.ts';

const DAY = 86_400_000;

test('a key file made here opens in the signing module, and what it signs verifies against its CA', async () => {
  const ca = await makeCa('Test CA');
  const person = await issuePerson(ca, { fullName: 'Ким Виктор', iin: '820919300341' });
  const p12 = await makeKeyFile(person, 'ezal-demo');
  const opened = await readKeyFile(p12, 'ezal-demo');
  assert.equal(opened.certificate.serialNumber.isEqual(person.cert.serialNumber), true);
  const content = Buffer.from('{"kind":"motion"}');
  const cms = await signDetached(p12, 'ezal-demo', content);
  const outcome = await verifyDetachedCms({ file: 'motion', p7s: Buffer.from(cms), content: { bytes: content }, roots: [ca.cert], now: new Date() });
  assert.deepEqual(outcome.findings, []);
  assert.equal(outcome.result?.signerIin, '820919300341');
  const other = await verifyDetachedCms({ file: 'motion', p7s: Buffer.from(cms), content: { bytes: Buffer.from('{"kind":"other"}') }, roots: [ca.cert], now: new Date() });
  assert.deepEqual(
    other.findings.map((f) => f.code),
    ['signature_invalid'],
  );
});

test('a wrong password, a file that is not PKCS#12 and an expired certificate are refused with their codes', async () => {
  const ca = await makeCa('Test CA');
  const p12 = await makeKeyFile(await issuePerson(ca, { fullName: 'A', iin: '820919300341' }), 'right');
  await assert.rejects(signDetached(p12, 'wrong', new Uint8Array([1])), (e) => e instanceof SigningError && e.code === 'wrong_password');
  await assert.rejects(signDetached(new Uint8Array([1, 2, 3]), 'right', new Uint8Array([1])), (e) => e instanceof SigningError && e.code === 'not_pkcs12');
  const expired = await makeKeyFile(await issuePerson(ca, { fullName: 'B', iin: '820919300341', notBefore: new Date(Date.now() - 400 * DAY), notAfter: new Date(Date.now() - DAY) }), 'right');
  await assert.rejects(signDetached(expired, 'right', new Uint8Array([1])), (e) => e instanceof SigningError && e.code === 'certificate_expired');
});

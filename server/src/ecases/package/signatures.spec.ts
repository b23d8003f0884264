/**
 * SPEC section 4: the manifest's signature by the sender's officer, and documents' signatures.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { EcaseBuilder, makeCertificate, type BuildOptions, makeTestPki, newKeys, sequentialIin, signDetached, type TestPki, type TestSigner } from '../../../../tests/helpers/ecase-builder.ts';
import { problemsOf, validateBuilt } from './spec-helpers.ts';

const DAY = 86_400_000;
let pki: TestPki;
let roots: string[];

before(async () => {
  pki = await makeTestPki();
  roots = [pki.root.pem];
});

async function problemsAfter(mutate: (b: EcaseBuilder) => void | Promise<void>, options: { now?: Date; build?: BuildOptions } = {}) {
  const builder = await EcaseBuilder.create(pki, options.build);
  await mutate(builder);
  return problemsOf(await validateBuilt(builder, roots, options));
}

/** Re-signs document d1 (a signed one by default) with another signer or options. */
async function resignD1(b: EcaseBuilder, signer: TestSigner, options: Parameters<typeof signDetached>[2] = {}) {
  b.files.set('signatures/d1.p7s', await signDetached(b.files.get('documents/v1-001.pdf') as Buffer, signer, options));
}

const D1_SIGNATURE = '/volumes/0/documents/0/signatures/0';

test('the signatures of an accepted package are reported with their signers', async () => {
  const builder = await EcaseBuilder.create(pki, { signedDocuments: 'all' });
  const result = await validateBuilt(builder, roots);
  assert.ok(result.ok);
  assert.equal(result.pkg.manifestSignature.signerIin, pki.signer.iin);
  assert.equal(result.pkg.manifestSignature.trustRoot, 'Test Court Root');
  assert.ok(result.pkg.documents.filter((d) => d.kind !== 'media').every((d) => d.signatures.length === 1 && d.signatures[0].signerName === `SIGNER ${pki.signer.iin}`));
});

test('signature_missing: manifest.json.p7s is required', async () => {
  assert.deepEqual(await problemsAfter((b) => void (b.manifestSigner = null)), [['signature_missing', 'manifest.json.p7s']]);
});

test('signature_invalid: another content, garbage, an attached signature, a document signature over another file', async () => {
  assert.deepEqual(await problemsAfter(async (b) => void (b.manifestSignatureOverride = await signDetached(Buffer.from('{}'), pki.signer))), [['signature_invalid', 'manifest.json.p7s']]);
  assert.deepEqual(await problemsAfter((b) => void (b.manifestSignatureOverride = Buffer.from('not DER at all'))), [['signature_invalid', 'manifest.json.p7s']]);
  assert.deepEqual(await problemsAfter(async (b) => void (b.manifestSignatureOverride = await signDetached(b.manifestBytes(), pki.signer, { attached: true }))), [
    ['signature_invalid', 'manifest.json.p7s'],
  ]);
  assert.deepEqual(await problemsAfter(async (b) => void b.files.set('signatures/d1.p7s', await signDetached(b.files.get('documents/v1-002.pdf') as Buffer, pki.signer))), [
    ['signature_invalid', D1_SIGNATURE],
  ]);
});

test('signature_untrusted: a root the court does not trust, even when the package brings it along', async () => {
  assert.deepEqual(await problemsAfter((b) => void (b.manifestSigner = pki.untrusted)), [['signature_untrusted', 'manifest.json.p7s']]);
  const carryingItsRoot: TestSigner = { ...pki.untrusted, chain: [pki.rogueRoot.cert] };
  assert.deepEqual(await problemsAfter((b) => resignD1(b, carryingItsRoot)), [['signature_untrusted', D1_SIGNATURE]]);
});

test('a chain through an intermediate carried in the signature is trusted', async () => {
  assert.equal(await problemsAfter((b) => void (b.manifestSigner = pki.viaIntermediate)), 'ok');
});

test('signature_expired and signature_not_yet_valid, judged at the signing time', async () => {
  assert.deepEqual(await problemsAfter((b) => void (b.manifestSigner = pki.expired)), [['signature_expired', 'manifest.json.p7s']]);
  assert.deepEqual(await problemsAfter((b) => resignD1(b, pki.notYetValid)), [['signature_not_yet_valid', D1_SIGNATURE]]);
  // Signed while the certificate was valid: still a valid signature after it expired.
  assert.equal(
    await problemsAfter((b) => {
      b.manifestSigner = pki.expired;
      b.manifestSignOptions = { signingTime: new Date(Date.now() - 100 * DAY) };
    }),
    'ok',
  );
});

test('without a signingTime, validity is judged at the time of ingestion', async () => {
  const unsigned = (b: EcaseBuilder) => {
    b.manifestSigner = pki.expired;
    b.manifestSignOptions = { signingTime: null };
  };
  const build: BuildOptions = { signedDocuments: 'none' };
  assert.deepEqual(await problemsAfter(unsigned, { build }), [['signature_expired', 'manifest.json.p7s']]);
  assert.equal(await problemsAfter(unsigned, { build, now: new Date(Date.now() - 100 * DAY) }), 'ok');
});

test('signature_time_future: a signing time after the ingestion', async () => {
  assert.deepEqual(await problemsAfter((b) => void (b.manifestSignOptions = { signingTime: new Date(Date.now() + DAY) })), [['signature_time_future', 'manifest.json.p7s']]);
});

test('signature_key_usage: the signer certificate must allow digitalSignature', async () => {
  assert.deepEqual(await problemsAfter((b) => void (b.manifestSigner = pki.noDigitalSignature)), [['signature_key_usage', 'manifest.json.p7s']]);
  const noKeyUsage = await signerWith({ keyUsage: null });
  assert.deepEqual(await problemsAfter((b) => resignD1(b, noKeyUsage)), [['signature_key_usage', D1_SIGNATURE]]);
});

test('signature_algorithm_unsupported: GOST, SHA-1, and curves other than P-256', async () => {
  const gost = '1.2.398.3.10.1.1.1.2'; // a Kazakh GOST 34.310 signature algorithm
  assert.deepEqual(await problemsAfter((b) => void (b.manifestSignOptions = { signatureAlgorithm: gost })), [['signature_algorithm_unsupported', 'manifest.json.p7s']]);
  assert.deepEqual(await problemsAfter((b) => resignD1(b, pki.signer, { hash: 'SHA-1' })), [['signature_algorithm_unsupported', D1_SIGNATURE]]);
  const p384 = await signerWith({}, { name: 'ECDSA', namedCurve: 'P-384' });
  assert.deepEqual(await problemsAfter((b) => resignD1(b, p384)), [['signature_algorithm_unsupported', D1_SIGNATURE]]);
});

test('RSA signatures, PKCS#1 v1.5 and PSS, with SHA-256 and SHA-384, are accepted', async () => {
  const rsa = { modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
  const pkcs1 = await signerWith({}, { name: 'RSASSA-PKCS1-v1_5', ...rsa });
  const pss = await signerWith({}, { name: 'RSA-PSS', ...rsa });
  assert.equal(
    await problemsAfter(async (b) => {
      b.manifestSigner = pkcs1;
      await resignD1(b, pss, { hash: 'SHA-384' });
    }),
    'ok',
  );
});

test('signer_iin_mismatch: the manifest must be signed by the sender officer', async () => {
  assert.deepEqual(await problemsAfter((b) => void (b.manifestSigner = pki.otherSigner)), [['signer_iin_mismatch', '/sender/officer/iin']]);
  // Documents may be signed by anyone the court trusts: investigators, experts.
  assert.equal(await problemsAfter((b) => resignD1(b, pki.otherSigner)), 'ok');
});

test('several faults of one signature are reported together', async () => {
  const everythingWrong = await signerWith({ keyUsage: 0x40, notBefore: new Date(Date.now() - 400 * DAY), notAfter: new Date(Date.now() - 30 * DAY) }, undefined, sequentialIin(77));
  assert.deepEqual(await problemsAfter((b) => void (b.manifestSigner = everythingWrong)), [
    ['signature_expired', 'manifest.json.p7s'],
    ['signature_key_usage', 'manifest.json.p7s'],
    ['signer_iin_mismatch', '/sender/officer/iin'],
  ]);
});

/** A signer issued by the trusted root with the sender officer's IIN, as `extra` changes it. */
async function signerWith(extra: Partial<Parameters<typeof makeCertificate>[0]>, algorithm?: Parameters<typeof newKeys>[0], iin = pki.signer.iin): Promise<TestSigner> {
  const keys = await newKeys(algorithm);
  const cert = await makeCertificate({ subject: { C: 'KZ', CN: 'SIGNER', SERIALNUMBER: `IIN${iin}` }, publicKey: keys.publicKey, issuer: pki.root, ...extra });
  return { cert, key: keys.privateKey, iin, chain: [] };
}

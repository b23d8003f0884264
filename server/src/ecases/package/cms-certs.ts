/**
 * Certificate facts the signature rules need (SPEC section 4): names, the IIN in the subject,
 * keyUsage, accepted algorithms, and the chain to one of the court's roots at a given time.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

export const engine = new pkijs.CryptoEngine({ name: 'node-webcrypto', crypto: globalThis.crypto });

const OID = {
  commonName: '2.5.4.3',
  serialNumber: '2.5.4.5',
  keyUsage: '2.5.29.15',
  rsaEncryption: '1.2.840.113549.1.1.1',
  rsaPss: '1.2.840.113549.1.1.10',
  ecPublicKey: '1.2.840.10045.2.1',
  p256: '1.2.840.10045.3.1.7',
};

const DIGESTS: Record<string, string> = {
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512',
};

/** Signature algorithms by OID and the key they need. `rsaEncryption` takes its hash from the digest algorithm. */
const SIGNATURES: Record<string, 'rsa' | 'ec'> = {
  [OID.rsaEncryption]: 'rsa',
  '1.2.840.113549.1.1.11': 'rsa', // sha256WithRSAEncryption
  '1.2.840.113549.1.1.12': 'rsa',
  '1.2.840.113549.1.1.13': 'rsa',
  [OID.rsaPss]: 'rsa',
  '1.2.840.10045.4.3.2': 'ec', // ecdsa-with-SHA256
  '1.2.840.10045.4.3.3': 'ec',
  '1.2.840.10045.4.3.4': 'ec',
};

const SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.4': 'SN',
  '2.5.4.42': 'G',
};

/** The WebCrypto name of an accepted digest algorithm, or null. */
export function digestName(oid: string): string | null {
  return DIGESTS[oid] ?? null;
}

/** Why the key or signature algorithm is outside format 1.0, or null when both are accepted. */
export function unsupportedAlgorithm(cert: pkijs.Certificate, signatureAlgorithm: pkijs.AlgorithmIdentifier): string | null {
  const key = keyKind(cert);
  if (key === null) return `the signer's key algorithm ${describeOid(cert.subjectPublicKeyInfo.algorithm.algorithmId)} is not accepted (RSA or ECDSA P-256 only)`;
  const oid = signatureAlgorithm.algorithmId;
  if (SIGNATURES[oid] === undefined) return `the signature algorithm ${describeOid(oid)} is not accepted`;
  if (SIGNATURES[oid] !== key) return `the signature algorithm ${oid} does not match the signer's ${key.toUpperCase()} key`;
  if (oid === OID.rsaPss) {
    const params = new pkijs.RSASSAPSSParams({ schema: signatureAlgorithm.algorithmParams });
    if (digestName(params.hashAlgorithm.algorithmId) === null) return `RSA-PSS with hash ${params.hashAlgorithm.algorithmId} is not accepted (SHA-256 or stronger)`;
  }
  return null;
}

function keyKind(cert: pkijs.Certificate): 'rsa' | 'ec' | null {
  const spki = cert.subjectPublicKeyInfo.algorithm;
  if (spki.algorithmId === OID.rsaEncryption || spki.algorithmId === OID.rsaPss) return 'rsa';
  if (spki.algorithmId === OID.ecPublicKey && spki.algorithmParams instanceof asn1js.ObjectIdentifier) {
    return spki.algorithmParams.valueBlock.toString() === OID.p256 ? 'ec' : null;
  }
  return null;
}

function describeOid(oid: string): string {
  // 1.2.398 is Kazakhstan's arc (the national GOST 34.310 algorithms), 1.2.643 Russia's GOST.
  return oid.startsWith('1.2.398.') || oid.startsWith('1.2.643.') ? `${oid} (GOST, out of scope of format 1.0)` : oid;
}

export function attribute(name: pkijs.RelativeDistinguishedNames, oid: string): string | null {
  const found = name.typesAndValues.find((tv) => tv.type === oid);
  return found ? String(found.value.valueBlock.value) : null;
}

export function distinguishedName(name: pkijs.RelativeDistinguishedNames): string {
  return name.typesAndValues.map((tv) => `${SHORT_NAMES[tv.type] ?? tv.type}=${tv.value.valueBlock.value}`).join(', ');
}

export function commonName(name: pkijs.RelativeDistinguishedNames): string {
  return attribute(name, OID.commonName) ?? distinguishedName(name);
}

/** The IIN from a subject serialNumber of the form "IIN" + 12 digits (the NCA's convention). */
export function subjectIin(cert: pkijs.Certificate): string | null {
  const match = /^IIN(\d{12})$/.exec(attribute(cert.subject, OID.serialNumber) ?? '');
  return match ? match[1] : null;
}

export function serialHex(cert: pkijs.Certificate): string {
  return Buffer.from(cert.serialNumber.valueBlock.valueHexView).toString('hex');
}

/**
 * digitalSignature is bit 0 of keyUsage. A certificate without the extension is refused too: an
 * NCA signing certificate always states its usage, and "allows" should not rest on an omission.
 */
export function allowsDigitalSignature(cert: pkijs.Certificate): boolean {
  const ext = cert.extensions?.find((e) => e.extnID === OID.keyUsage);
  if (!ext || !(ext.parsedValue instanceof asn1js.BitString)) return false;
  const bits = ext.parsedValue.valueBlock.valueHexView;
  return bits.length > 0 && (bits[0] & 0x80) !== 0;
}

export type ChainFailure = { code: 'signature_untrusted' | 'signature_expired' | 'signature_not_yet_valid'; reason: string };

/** The root the chain ends in, or every reason it fails. */
export type ChainOutcome = { ok: true; root: pkijs.Certificate } | ChainFailure[];

/**
 * Validates the chain at `at` with pkijs. The engine says only "not yet valid or expired" when a
 * date fails, so the path is also walked by issuer name to tell which certificate, and how.
 */
export async function checkChain(signer: pkijs.Certificate, others: pkijs.Certificate[], roots: pkijs.Certificate[], at: Date): Promise<ChainOutcome> {
  // The engine takes the last of `certs` as the end entity.
  const chain = new pkijs.CertificateChainValidationEngine({ trustedCerts: roots, certs: [...others, signer], checkDate: at });
  let result: { result: boolean; resultCode?: number; resultMessage?: string; certificatePath?: pkijs.Certificate[] };
  try {
    result = await chain.verify({}, engine);
  } catch (error) {
    const e = error as { resultCode?: number; resultMessage?: string; message?: string };
    result = { result: false, resultCode: e.resultCode, resultMessage: e.resultMessage ?? e.message };
  }
  if (result.result && result.certificatePath) return { ok: true, root: result.certificatePath.at(-1)! };
  const dated = datesOnPath(signer, [...others, ...roots], at);
  if (result.resultCode === 8 && dated.length > 0) return dated;
  return [{ code: 'signature_untrusted', reason: `the certificate does not chain to a trusted root: ${result.resultMessage ?? 'no path'}` }, ...dated];
}

function datesOnPath(signer: pkijs.Certificate, pool: pkijs.Certificate[], at: Date) {
  const outcomes: ChainFailure[] = [];
  const seen = new Set<pkijs.Certificate>();
  for (let cert: pkijs.Certificate | undefined = signer; cert && !seen.has(cert);) {
    seen.add(cert);
    const who = commonName(cert.subject);
    if (cert.notAfter.value < at) outcomes.push({ code: 'signature_expired', reason: `certificate "${who}" expired on ${cert.notAfter.value.toISOString()}, before ${at.toISOString()}` });
    if (cert.notBefore.value > at)
      outcomes.push({ code: 'signature_not_yet_valid', reason: `certificate "${who}" is valid only from ${cert.notBefore.value.toISOString()}, after ${at.toISOString()}` });
    if (cert.issuer.isEqual(cert.subject)) break;
    const current: pkijs.Certificate = cert;
    cert = pool.find((c) => c.subject.isEqual(current.issuer));
  }
  return outcomes;
}

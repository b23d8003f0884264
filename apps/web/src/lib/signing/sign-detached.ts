/**
 * Signing with a key file, in the browser: the signer picks their PKCS#12 file (.p12/.pfx) and
 * types its password; the private key is decrypted here with WebCrypto and used here, and only
 * the detached CMS SignedData (the signature and the signer's certificate) leaves the page. The
 * key never goes to the server.
 *
 * Pure pkijs + WebCrypto (`globalThis.crypto`): the same code runs in Node, so the server's tests
 * sign with exactly what the browser runs. Generic on purpose: motions sign their canonical bytes
 * with it, the protocol will sign its PDF the same way.
 *
 * Key files: PKCS#12 with password integrity (HMAC) and password-encrypted bags — PBES2 (PBKDF2 +
 * AES-CBC), as the demo keys and current tools make them; ECDSA P-256/P-384 or RSA keys. The
 * Kazakh national GOST keys are outside what WebCrypto can do.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/** Why a key file could not sign; the UI translates the code. */
export type SigningErrorCode = 'not_pkcs12' | 'wrong_password' | 'no_key' | 'unsupported_key' | 'certificate_expired' | 'certificate_not_yet_valid';

export class SigningError extends Error {
  readonly code: SigningErrorCode;
  constructor(code: SigningErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export type KeyFile = { privateKey: CryptoKey; certificate: pkijs.Certificate; chain: pkijs.Certificate[] };

const OID = {
  keyBag: '1.2.840.113549.1.12.10.1.1',
  shroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  ecPublicKey: '1.2.840.10045.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  data: '1.2.840.113549.1.7.1',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
};
const CURVES: Record<string, string> = { '1.2.840.10045.3.1.7': 'P-256', '1.3.132.0.34': 'P-384' };

let engine: pkijs.CryptoEngine | undefined;
function cryptoEngine(): pkijs.CryptoEngine {
  engine ??= new pkijs.CryptoEngine({ name: 'webcrypto', crypto: globalThis.crypto });
  return engine;
}

/** A copy in its own ArrayBuffer (a Node Buffer is a view into a shared pool). */
const buffer = (bytes: Uint8Array): ArrayBuffer => Uint8Array.from(bytes).buffer as ArrayBuffer;
const utf8 = (text: string): ArrayBuffer => buffer(new TextEncoder().encode(text));

/** Opens a PKCS#12 key file: its private key (non-extractable, sign only) and its certificate. */
export async function readKeyFile(p12: Uint8Array, password: string): Promise<KeyFile> {
  const crypto = cryptoEngine();
  let pfx: pkijs.PFX;
  try {
    pfx = pkijs.PFX.fromBER(buffer(p12));
  } catch {
    throw new SigningError('not_pkcs12', 'not a PKCS#12 key file');
  }
  const pass = utf8(password);
  try {
    await pfx.parseInternalValues({ password: pass, checkIntegrity: true }, crypto);
  } catch (error) {
    // The MAC is the first thing a wrong password breaks.
    throw new SigningError('wrong_password', `the key file does not open with this password (${(error as Error).message})`);
  }
  const safe = pfx.parsedValue?.authenticatedSafe;
  if (!safe) throw new SigningError('not_pkcs12', 'the key file holds no authenticated safe');
  try {
    await safe.parseInternalValues({ safeContents: safe.safeContents.map(() => ({ password: pass })) }, crypto);
  } catch (error) {
    throw new SigningError('wrong_password', `the key file's contents do not decrypt (${(error as Error).message})`);
  }
  let keyInfo: pkijs.PrivateKeyInfo | undefined;
  const certificates: pkijs.Certificate[] = [];
  for (const content of safe.parsedValue?.safeContents ?? []) {
    for (const bag of (content.value as pkijs.SafeContents).safeBags) {
      if (bag.bagId === OID.shroudedKeyBag) {
        const shrouded = bag.bagValue as pkijs.PKCS8ShroudedKeyBag;
        try {
          // Protected in pkijs's types, public at run time: it decrypts the bag with the password.
          await (shrouded as unknown as { parseInternalValues(p: { password: ArrayBuffer }, c: pkijs.CryptoEngine): Promise<void> }).parseInternalValues({ password: pass }, crypto);
        } catch (error) {
          throw new SigningError('wrong_password', `the private key does not decrypt (${(error as Error).message})`);
        }
        keyInfo = shrouded.parsedValue;
      } else if (bag.bagId === OID.keyBag) {
        keyInfo = bag.bagValue as pkijs.PrivateKeyInfo;
      } else if (bag.bagId === OID.certBag) {
        const parsed = (bag.bagValue as pkijs.CertBag).parsedValue;
        if (parsed instanceof pkijs.Certificate) certificates.push(parsed);
      }
    }
  }
  if (!keyInfo || certificates.length === 0) throw new SigningError('no_key', 'the key file holds no private key with its certificate');
  const privateKey = await importKey(keyInfo);
  const certificate = (await matchingCertificate(keyInfo, certificates)) ?? certificates[0];
  return { privateKey, certificate, chain: certificates.filter((c) => c !== certificate) };
}

/** The signing algorithm of a private key, as WebCrypto imports it. */
function algorithmOf(keyInfo: pkijs.PrivateKeyInfo): EcKeyImportParams | RsaHashedImportParams {
  const { algorithmId, algorithmParams } = keyInfo.privateKeyAlgorithm;
  if (algorithmId === OID.ecPublicKey && algorithmParams instanceof asn1js.ObjectIdentifier) {
    const namedCurve = CURVES[algorithmParams.valueBlock.toString()];
    if (namedCurve) return { name: 'ECDSA', namedCurve };
  }
  if (algorithmId === OID.rsaEncryption) return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  throw new SigningError('unsupported_key', `keys of algorithm ${algorithmId} cannot sign in the browser`);
}

async function importKey(keyInfo: pkijs.PrivateKeyInfo): Promise<CryptoKey> {
  const der = keyInfo.toSchema().toBER(false);
  try {
    return await globalThis.crypto.subtle.importKey('pkcs8', der, algorithmOf(keyInfo), false, ['sign']);
  } catch (error) {
    if (error instanceof SigningError) throw error;
    throw new SigningError('unsupported_key', `the private key cannot be used: ${(error as Error).message}`);
  }
}

/** The certificate whose public key belongs to the private key (a file may also carry its CA). */
async function matchingCertificate(keyInfo: pkijs.PrivateKeyInfo, certificates: pkijs.Certificate[]): Promise<pkijs.Certificate | undefined> {
  const leaves = certificates.filter((c) => !isCa(c));
  if (leaves.length === 1) return leaves[0];
  const probe = new Uint8Array([1, 2, 3]);
  const algorithm = algorithmOf(keyInfo);
  const signer = await globalThis.crypto.subtle.importKey('pkcs8', keyInfo.toSchema().toBER(false), algorithm, false, ['sign']);
  const sign = algorithm.name === 'ECDSA' ? { name: 'ECDSA', hash: 'SHA-256' } : algorithm;
  const signature = await globalThis.crypto.subtle.sign(sign, signer, probe);
  for (const cert of certificates) {
    try {
      const publicKey = await cert.getPublicKey({ algorithm: { algorithm, usages: ['verify'] } }, cryptoEngine());
      if (await globalThis.crypto.subtle.verify(sign, publicKey, signature, probe)) return cert;
    } catch {
      // another algorithm: not this one
    }
  }
  return undefined;
}

function isCa(cert: pkijs.Certificate): boolean {
  const ext = cert.extensions?.find((e) => e.extnID === '2.5.29.19');
  return ext?.parsedValue instanceof pkijs.BasicConstraints && ext.parsedValue.cA === true;
}

/** Refuses to sign with a certificate outside its validity: the server would refuse it anyway, with less help. */
export function checkValidity(cert: pkijs.Certificate, now: Date): void {
  if (cert.notAfter.value < now) throw new SigningError('certificate_expired', `the certificate expired on ${cert.notAfter.value.toISOString()}`);
  if (cert.notBefore.value > now) throw new SigningError('certificate_not_yet_valid', `the certificate is valid from ${cert.notBefore.value.toISOString()}`);
}

/**
 * A detached CMS SignedData (DER) over `content`, made with the key file: SHA-256, signed
 * attributes content-type, message-digest and signing-time, the signer's certificate (and any CA
 * certificates of the file) included. Throws SigningError.
 */
export async function signDetached(p12: Uint8Array, password: string, content: Uint8Array, options: { now?: Date } = {}): Promise<Uint8Array> {
  const now = options.now ?? new Date();
  const { privateKey, certificate, chain } = await readKeyFile(p12, password);
  checkValidity(certificate, now);
  return signWithKey({ privateKey, certificate, chain }, content, now);
}

/** The same, with a key already opened (readKeyFile). */
export async function signWithKey(key: KeyFile, content: Uint8Array, now: Date = new Date()): Promise<Uint8Array> {
  const crypto = cryptoEngine();
  const digest = await globalThis.crypto.subtle.digest('SHA-256', buffer(content));
  const signed = new pkijs.SignedData({
    version: 1,
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    signerInfos: [
      new pkijs.SignerInfo({
        version: 1,
        sid: new pkijs.IssuerAndSerialNumber({ issuer: key.certificate.issuer, serialNumber: key.certificate.serialNumber }),
        signedAttrs: new pkijs.SignedAndUnsignedAttributes({
          type: 0,
          attributes: [
            new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
            new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: digest })] }),
            new pkijs.Attribute({ type: OID.signingTime, values: [new asn1js.UTCTime({ valueDate: now })] }),
          ],
        }),
      }),
    ],
    certificates: [key.certificate, ...key.chain],
  });
  await signed.sign(key.privateKey, 0, 'SHA-256', undefined, crypto);
  const info = new pkijs.ContentInfo({ contentType: pkijs.ContentInfo.SIGNED_DATA, content: signed.toSchema(true) });
  return new Uint8Array(info.toSchema().toBER(false));
}

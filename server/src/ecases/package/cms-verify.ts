/**
 * Verifies a detached CMS SignedData (RFC 5652, DER) over a file, by SPEC section 4: the signature
 * verifies, the signer chains to a court root, every certificate on the chain is valid at the
 * signing time (or at ingestion when the signature carries none), the signer may sign, and the
 * algorithms are RSA or ECDSA P-256 with SHA-256 or stronger.
 *
 * The content's digest is compared here rather than by pkijs's SignedData.verify, because that
 * wants the whole content in memory and a signed video can be gigabytes; the digest comes from
 * the hash taken while staging (or a streamed re-read for SHA-384/512), and pkijs's crypto engine
 * checks the signature over the signed attributes.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { allowsDigitalSignature, checkChain, commonName, digestName, engine, serialHex, subjectIin, unsupportedAlgorithm } from './cms-certs.ts';
import type { SignatureResult } from './types.ts';

const OID_SIGNING_TIME = '1.2.840.113549.1.9.5';
const OID_CONTENT_TYPE = '1.2.840.113549.1.9.3';
const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
/** A signature over a file without signed attributes needs the file in memory; only this much. */
const MAX_UNATTRIBUTED_CONTENT = 64 * 1024 * 1024;
/** A signing time this far past the time of ingestion is a wrong clock or a lie. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

/** The signed content: in memory (the manifest) or staged on disk with its SHA-256 already known. */
export type SignedContent = { bytes: Buffer } | { path: string; sha256: string };

export type CmsFinding = { code: string; reason: string };
export type CmsOutcome = { result: SignatureResult | null; findings: CmsFinding[] };

export async function verifyDetachedCms(input: { file: string; p7s: Buffer; content: SignedContent; roots: pkijs.Certificate[]; now: Date }): Promise<CmsOutcome> {
  const invalid = (reason: string): CmsOutcome => ({ result: null, findings: [{ code: 'signature_invalid', reason }] });
  let signed: pkijs.SignedData;
  try {
    const info = pkijs.ContentInfo.fromBER(input.p7s as Uint8Array<ArrayBuffer>);
    if (info.contentType !== pkijs.ContentInfo.SIGNED_DATA) return invalid(`not a CMS SignedData (content type ${info.contentType})`);
    signed = new pkijs.SignedData({ schema: info.content });
  } catch (error) {
    return invalid(`not a DER-encoded CMS SignedData: ${(error as Error).message}`);
  }
  if (signed.signerInfos.length !== 1) return invalid(`expected exactly one signer, found ${signed.signerInfos.length}`);
  if (signed.encapContentInfo.eContent) return invalid('the signature is not detached: it carries its own content');
  const signerInfo = signed.signerInfos[0];
  const certs = (signed.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  const signer = await findSigner(signerInfo, certs);
  if (!signer) return invalid('the signer certificate is not in the SignedData');

  const unsupported =
    digestName(signerInfo.digestAlgorithm.algorithmId) === null
      ? `the digest algorithm ${signerInfo.digestAlgorithm.algorithmId} is not accepted (SHA-256 or stronger)`
      : unsupportedAlgorithm(signer, signerInfo.signatureAlgorithm);
  if (unsupported) return { result: null, findings: [{ code: 'signature_algorithm_unsupported', reason: unsupported }] };

  const signingTime = readSigningTime(signerInfo);
  const at = signingTime ?? input.now;
  const findings: CmsFinding[] = [];
  const verified = await verifySignature(signerInfo, signer, input.content);
  if (verified !== true) findings.push({ code: 'signature_invalid', reason: verified });
  if (signingTime && signingTime.getTime() > input.now.getTime() + FUTURE_TOLERANCE_MS) {
    findings.push({ code: 'signature_time_future', reason: `the signing time ${signingTime.toISOString()} is after the time of ingestion` });
  }
  const chain = await checkChain(
    signer,
    certs.filter((c) => c !== signer),
    input.roots,
    at,
  );
  if (Array.isArray(chain)) findings.push(...chain.map((c) => ({ code: c.code, reason: c.reason })));
  if (!allowsDigitalSignature(signer)) findings.push({ code: 'signature_key_usage', reason: 'the signer certificate does not allow digitalSignature' });
  return {
    findings,
    result: {
      file: input.file,
      signerName: commonName(signer.subject),
      signerIin: subjectIin(signer),
      issuer: commonName(signer.issuer),
      serialNumber: serialHex(signer),
      signingTime: signingTime?.toISOString() ?? null,
      validFrom: signer.notBefore.value.toISOString(),
      validTo: signer.notAfter.value.toISOString(),
      trustRoot: Array.isArray(chain) ? '' : commonName(chain.root.subject),
    },
  };
}

async function findSigner(signerInfo: pkijs.SignerInfo, certs: pkijs.Certificate[]): Promise<pkijs.Certificate | undefined> {
  const sid = signerInfo.sid;
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    return certs.find((c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber));
  }
  // subjectKeyIdentifier: [0] IMPLICIT OCTET STRING, the SHA-1 of the public key bits by convention.
  const keyId = Buffer.from(sid.idBlock.isConstructed ? sid.valueBlock.value[0].valueBlock.valueHexView : sid.valueBlock.valueHexView);
  for (const cert of certs) {
    const digest = createHash('sha1').update(cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView).digest();
    if (digest.equals(keyId)) return cert;
  }
  return undefined;
}

function readSigningTime(signerInfo: pkijs.SignerInfo): Date | null {
  const attr = signerInfo.signedAttrs?.attributes.find((a) => a.type === OID_SIGNING_TIME);
  const value = attr?.values[0];
  if (value instanceof asn1js.UTCTime || value instanceof asn1js.GeneralizedTime) return value.toDate();
  return null;
}

/** true, or why the signature does not verify over this content. */
async function verifySignature(signerInfo: pkijs.SignerInfo, signer: pkijs.Certificate, content: SignedContent): Promise<true | string> {
  const hash = digestName(signerInfo.digestAlgorithm.algorithmId)!;
  let data: BufferSource;
  if (signerInfo.signedAttrs) {
    const attrs = signerInfo.signedAttrs.attributes;
    const messageDigest = attrs.find((a) => a.type === OID_MESSAGE_DIGEST)?.values[0];
    if (!attrs.some((a) => a.type === OID_CONTENT_TYPE) || !(messageDigest instanceof asn1js.OctetString)) {
      return 'the signed attributes lack content-type or message-digest';
    }
    const digest = await digestOf(content, hash);
    if (!digest.equals(Buffer.from(messageDigest.valueBlock.valueHexView))) return 'the signature is not over this content (message digest mismatch)';
    data = signerInfo.signedAttrs.encodedValue;
  } else {
    const bytes = await contentBytes(content);
    if (!bytes) return `a signature without signed attributes is accepted only over files up to ${MAX_UNATTRIBUTED_CONTENT} bytes`;
    data = bytes as Uint8Array<ArrayBuffer>;
  }
  try {
    // As pkijs's own SignedData.verify: plain rsaEncryption takes the digest algorithm's hash,
    // the other algorithms name their hash themselves.
    const rsaPlain = signerInfo.signatureAlgorithm.algorithmId === '1.2.840.113549.1.1.1';
    const ok = await engine.verifyWithPublicKey(data, signerInfo.signature, signer.subjectPublicKeyInfo, signerInfo.signatureAlgorithm, rsaPlain ? hash : undefined);
    return ok ? true : 'the signature value does not verify with the signer certificate';
  } catch (error) {
    return `the signature could not be verified: ${(error as Error).message}`;
  }
}

async function digestOf(content: SignedContent, hash: string): Promise<Buffer> {
  const algorithm = hash.replace('-', '').toLowerCase(); // SHA-256 -> sha256
  if ('bytes' in content) return createHash(algorithm).update(content.bytes).digest();
  if (algorithm === 'sha256') return Buffer.from(content.sha256, 'hex');
  const hasher = createHash(algorithm);
  for await (const chunk of createReadStream(content.path)) hasher.update(chunk);
  return hasher.digest();
}

async function contentBytes(content: SignedContent): Promise<Buffer | null> {
  if ('bytes' in content) return content.bytes;
  const { size } = await fs.stat(content.path);
  return size > MAX_UNATTRIBUTED_CONTENT ? null : fs.readFile(content.path);
}

/**
 * Checks the filer's signature over a motion's canonical bytes by the e-case intake's rules
 * (ecases/package/cms-verify.ts: the signature verifies, the chain reaches one of the court's
 * roots, every certificate is valid at the signing time, the key may sign), then that the
 * certificate is the filer's: its subject serialNumber carries the filer's IIN. Each failure is
 * one whitelisted error code.
 */
import type * as pkijs from 'pkijs';
import { AppError } from '../shared/errors.ts';
import type { ErrorCode } from '../shared/errors.ts';
import { verifyDetachedCms } from '../ecases/package/cms-verify.ts';

/** A CMS signature with its certificates is a few kilobytes. */
const MAX_SIGNATURE_BYTES = 64 * 1024;

export type SignatureCheck = { signerName: string; signerIin: string; issuer: string; serialNumber: string; signingTime: string | null; validFrom: string; validTo: string; trustRoot: string };

const CODES: Record<string, ErrorCode> = {
  signature_untrusted: 'signature_untrusted',
  signature_expired: 'signature_expired',
  signature_not_yet_valid: 'signature_expired',
};

export async function checkMotionSignature(input: { signature: Buffer; content: Buffer; roots: pkijs.Certificate[]; now: Date; filerIin: string | null }): Promise<SignatureCheck> {
  if (input.signature.length > MAX_SIGNATURE_BYTES) throw new AppError('signature_invalid', 'That is too large for a signature');
  const outcome = await verifyDetachedCms({ file: 'motion', p7s: input.signature, content: { bytes: input.content }, roots: input.roots, now: input.now });
  // The most telling finding first: a broken signature, then trust, then dates.
  const order = ['signature_invalid', 'signature_algorithm_unsupported', 'signature_untrusted', 'signature_expired', 'signature_not_yet_valid', 'signature_time_future', 'signature_key_usage'];
  const finding = [...outcome.findings].sort((a, b) => order.indexOf(a.code) - order.indexOf(b.code))[0];
  if (finding || !outcome.result) throw new AppError(CODES[finding?.code ?? ''] ?? 'signature_invalid', finding?.reason ?? 'The signature does not verify');
  const result = outcome.result;
  // A motion is signed moments before it is filed: its certificate must be valid when the court
  // receives it, whatever signing time the signature claims.
  if (new Date(result.validTo) < input.now) throw new AppError('signature_expired', `The certificate expired on ${result.validTo}`);
  if (new Date(result.validFrom) > input.now) throw new AppError('signature_expired', `The certificate is valid only from ${result.validFrom}`);
  if (!input.filerIin || result.signerIin !== input.filerIin) {
    throw new AppError('signer_mismatch', `The certificate is of IIN ${result.signerIin ?? '(none)'}, not of the filer`);
  }
  return {
    signerName: result.signerName,
    signerIin: result.signerIin,
    issuer: result.issuer,
    serialNumber: result.serialNumber,
    signingTime: result.signingTime,
    validFrom: result.validFrom,
    validTo: result.validTo,
    trustRoot: result.trustRoot,
  };
}

/**
 * The signatures of a package (SPEC section 4): manifest.json.p7s, required, by the sender's
 * officer; and each document's optional signatures over its file. Runs after staging, on the
 * staged copies (their own files, or slices of the spool).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type * as pkijs from 'pkijs';
import { verifyDetachedCms, type CmsOutcome, type SignedContent } from './cms-verify.ts';
import { MANIFEST_SIGNATURE } from './file-checks.ts';
import { asObject, asString, type ManifestView } from './manifest-view.ts';
import { problem } from './problems.ts';
import { readStaged } from './spool.ts';
import type { Problem, SignatureResult, StagedFile } from './types.ts';

/** A CMS signature with its certificates is a few kilobytes; anything this big is not one. */
const MAX_SIGNATURE_BYTES = 1024 * 1024;

export type SignatureCheck = {
  problems: Problem[];
  manifest: SignatureResult | null;
  /** By document pointer ("/volumes/0/documents/2"), in the order of its `signatures`. */
  documents: Map<string, SignatureResult[]>;
};

export async function checkSignatures(input: {
  raw: unknown;
  view: ManifestView;
  listed: Set<string>;
  staged: Map<string, StagedFile>;
  manifestBytes: Buffer;
  roots: pkijs.Certificate[];
  now: Date;
}): Promise<SignatureCheck> {
  const { raw, view, listed, staged, manifestBytes, roots, now } = input;
  const problems: Problem[] = [];
  const documents = new Map<string, SignatureResult[]>();
  const verify = async (at: string, p7s: StagedFile, content: SignedContent): Promise<SignatureResult | null> => {
    const outcome = await verifyStaged(p7s, content, roots, now);
    problems.push(...outcome.findings.map((f) => problem(f.code, at, `${p7s.entry}: ${f.reason}`)));
    return outcome.result;
  };

  let manifest: SignatureResult | null = null;
  const manifestP7s = staged.get(MANIFEST_SIGNATURE);
  if (!listed.has(MANIFEST_SIGNATURE)) {
    problems.push(problem('signature_missing', MANIFEST_SIGNATURE, "manifest.json.p7s, the signature of the manifest by the sender's officer, is missing"));
  } else if (manifestP7s) {
    manifest = await verify(MANIFEST_SIGNATURE, manifestP7s, { bytes: manifestBytes });
    const officerIin = asString(asObject(asObject(asObject(raw).sender).officer).iin);
    if (manifest && manifest.signerIin !== officerIin) {
      problems.push(
        problem('signer_iin_mismatch', '/sender/officer/iin', `the manifest is signed by IIN ${manifest.signerIin ?? '(none in the certificate)'}, not by the sender's officer ${officerIin}`),
      );
    }
  }

  for (const doc of view.documents) {
    const file = doc.file === undefined ? undefined : staged.get(doc.file);
    const results: SignatureResult[] = [];
    for (const sig of doc.signatures) {
      const p7s = sig.file === undefined ? undefined : staged.get(sig.file);
      if (!p7s || !file) continue; // missing or unreadable files are reported by the file checks
      const content: SignedContent = file.spoolOffset === null ? { path: file.stagedPath, sha256: file.sha256 } : { bytes: readStaged(file) };
      const result = await verify(sig.pointer, p7s, content);
      if (result) results.push(result);
    }
    documents.set(doc.pointer, results);
  }
  return { problems, manifest, documents };
}

async function verifyStaged(p7s: StagedFile, content: SignedContent, roots: pkijs.Certificate[], now: Date): Promise<CmsOutcome> {
  if (p7s.size > MAX_SIGNATURE_BYTES) return tooLarge(p7s.size);
  return verifyDetachedCms({ file: p7s.entry, p7s: readStaged(p7s), content, roots, now });
}

function tooLarge(size: number): CmsOutcome {
  return { result: null, findings: [{ code: 'signature_invalid', reason: `${size} bytes is too large for a signature` }] };
}

/**
 * Verifies one stored signature over one stored content (its bytes, or the path of its file), by
 * the same rules as at intake, e.g. to prove later that a stored case file is still what was signed.
 */
export async function verifyStoredSignature(input: { name: string; signature: Buffer; content: Buffer | string; roots: pkijs.Certificate[]; now: Date }): Promise<CmsOutcome> {
  if (input.signature.length > MAX_SIGNATURE_BYTES) return tooLarge(input.signature.length);
  let content: SignedContent;
  if (typeof input.content === 'string') {
    const hash = createHash('sha256');
    await pipeline(createReadStream(input.content), hash);
    content = { path: input.content, sha256: hash.digest('hex') };
  } else {
    content = { bytes: input.content };
  }
  return verifyDetachedCms({ file: input.name, p7s: input.signature, content, roots: input.roots, now: input.now });
}

/**
 * Proof that the case file in court is still the one the prosecutor signed: every stored file
 * (in the file store, or inline in the database) is hashed again and compared with the hash the manifest gave, and every signature is verified
 * again over the stored bytes, against the court's trust roots as they are today.
 */
import crypto from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { StoredFileMissing } from '../storage/file-store.ts';
import type { StoredContent, StoredFiles } from '../storage/stored-files.ts';
import type { Intake } from './intake.setup.ts';
import { verifyDetachedSignature } from './package/validate-package.ts';
import type { FileCheck, Verification } from '../shared/api/ecases.ts';

export async function verifyCaseFiles(intake: Intake, caseId: string, now: Date): Promise<Verification> {
  const { repository, files } = intake;
  const signatures = await repository.signaturesOf(caseId);
  const documents: Verification['documents'] = [];
  for (const { document: d, volumeNumber } of await repository.documentsOf(caseId)) {
    const content = await files.open(d.fileSha256);
    const check = await checkFile(files, content, d.fileSha256);
    const own = signatures.filter((s) => s.documentId === d.id);
    const results = [];
    for (const s of own) {
      const problem = check.hashOk ? await signatureProblem(intake, s.fileName, await files.open(s.fileSha256), content!, now) : 'content_changed';
      results.push({ signerName: s.signer.signerName, ok: problem === null, problem });
    }
    documents.push({ id: d.id, sourceId: d.sourceId, title: d.title, volume: volumeNumber, ...check, signatures: results });
  }
  const pkg = await repository.packageOf(caseId);
  let manifest: Verification['manifest'] = null;
  if (pkg) {
    const content = await files.open(pkg.manifestSha256);
    const check = await checkFile(files, content, pkg.manifestSha256);
    const problem = check.hashOk ? await signatureProblem(intake, 'manifest.json.p7s', await files.open(pkg.signatureSha256), content!, now) : 'content_changed';
    manifest = { ...check, signatureOk: problem === null, problem };
  }
  const ok = (manifest === null || (manifest.hashOk && manifest.signatureOk)) && documents.every((d) => d.hashOk && d.signatures.every((s) => s.ok));
  return { caseId, checkedAt: now.toISOString(), ok, manifest, documents };
}

async function checkFile(files: StoredFiles, content: StoredContent | null, expected: string): Promise<FileCheck> {
  if (content === null) return { hashOk: false, actualSha256: null };
  const hash = crypto.createHash('sha256');
  try {
    await pipeline(await files.stream(content), hash);
  } catch (error) {
    if (error instanceof StoredFileMissing) return { hashOk: false, actualSha256: null };
    throw error;
  }
  const actual = hash.digest('hex');
  return { hashOk: actual === expected, actualSha256: actual };
}

/** null when the signature verifies now, else the first problem's code. */
async function signatureProblem(intake: Intake, name: string, signature: StoredContent | null, content: StoredContent, now: Date): Promise<string | null> {
  const { files } = intake;
  const signatureBytes = signature && (await readOrNull(files, signature));
  if (signatureBytes === null) return 'signature_missing';
  const result = await verifyDetachedSignature({
    name,
    signature: signatureBytes,
    // A file on this machine is read by path; one in the object store is fetched whole (checkFile has just read it too).
    content: content.bytes ?? files.localPathOf(content) ?? (await buffer(await files.stream(content))),
    trustRoots: intake.trustRoots,
    now,
  });
  return result.ok ? null : (result.problems[0]?.code ?? 'signature_invalid');
}

async function readOrNull(files: StoredFiles, content: StoredContent): Promise<Buffer | null> {
  try {
    return content.bytes ?? (await buffer(await files.stream(content)));
  } catch (error) {
    if (error instanceof StoredFileMissing) return null;
    throw error;
  }
}

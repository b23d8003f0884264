/**
 * Proof that the case file in court is still the one the prosecutor signed: every stored file
 * (on disk, or inline in the database) is hashed again and compared with the hash the manifest gave, and every signature is verified
 * again over the stored bytes, against the court's trust roots as they are today.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { StoredContent } from '../storage/stored-files.ts';
import type { Intake } from './intake.setup.ts';
import { verifyDetachedSignature } from './package/validate-package.ts';
import type { FileCheck, Verification } from '../shared/api/ecases.ts';

export async function verifyCaseFiles(intake: Intake, caseId: string, now: Date): Promise<Verification> {
  const { repository, files } = intake;
  const signatures = repository.signaturesOf(caseId);
  const documents: Verification['documents'] = [];
  for (const { document: d, volumeNumber } of repository.documentsOf(caseId)) {
    const content = files.open(d.fileSha256);
    const check = await checkFile(content, d.fileSha256);
    const own = signatures.filter((s) => s.documentId === d.id);
    const results = [];
    for (const s of own) {
      const problem = check.hashOk ? await signatureProblem(intake, s.fileName, files.open(s.fileSha256), content!, now) : 'content_changed';
      results.push({ signerName: s.signer.signerName, ok: problem === null, problem });
    }
    documents.push({ id: d.id, sourceId: d.sourceId, title: d.title, volume: volumeNumber, ...check, signatures: results });
  }
  const pkg = repository.packageOf(caseId);
  let manifest: Verification['manifest'] = null;
  if (pkg) {
    const content = files.open(pkg.manifestSha256);
    const check = await checkFile(content, pkg.manifestSha256);
    const problem = check.hashOk ? await signatureProblem(intake, 'manifest.json.p7s', files.open(pkg.signatureSha256), content!, now) : 'content_changed';
    manifest = { ...check, signatureOk: problem === null, problem };
  }
  const ok = (manifest === null || (manifest.hashOk && manifest.signatureOk)) && documents.every((d) => d.hashOk && d.signatures.every((s) => s.ok));
  return { caseId, checkedAt: now.toISOString(), ok, manifest, documents };
}

async function checkFile(content: StoredContent | null, expected: string): Promise<FileCheck> {
  if (content === null || (content.path !== null && !fs.existsSync(content.path))) return { hashOk: false, actualSha256: null };
  const hash = crypto.createHash('sha256');
  if (content.bytes) hash.update(content.bytes);
  else await pipeline(fs.createReadStream(content.path), hash);
  const actual = hash.digest('hex');
  return { hashOk: actual === expected, actualSha256: actual };
}

/** null when the signature verifies now, else the first problem's code. */
async function signatureProblem(intake: Intake, name: string, signature: StoredContent | null, content: StoredContent, now: Date): Promise<string | null> {
  if (signature === null || (signature.path !== null && !fs.existsSync(signature.path))) return 'signature_missing';
  const result = await verifyDetachedSignature({
    name,
    signature: signature.bytes ?? (await fsp.readFile(signature.path)),
    content: content.bytes ?? content.path,
    trustRoots: intake.trustRoots,
    now,
  });
  return result.ok ? null : (result.problems[0]?.code ?? 'signature_invalid');
}

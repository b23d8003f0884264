/**
 * The result of a package that passed every check, in the shape the import needs: documents
 * flattened in inventory order with their staged files and verified signatures.
 */
import { pointer } from './problems.ts';
import type { Manifest } from './manifest-schema.ts';
import type { SignatureResult, StagedFile, ValidDocument, ValidPackage } from './types.ts';

export function buildPackage(input: {
  manifest: Manifest;
  manifestBytes: Buffer;
  manifestSha256: string;
  manifestSignature: SignatureResult;
  staged: Map<string, StagedFile>;
  signatures: Map<string, SignatureResult[]>;
  stagingDir: string;
}): ValidPackage {
  const { manifest, staged, signatures } = input;
  // Only called without problems, so every file named below is staged and every value checked.
  const stagedFile = (name: string) => staged.get(name)!;
  const documents: ValidDocument[] = manifest.volumes.flatMap((volume, v) =>
    volume.documents.map((doc, d): ValidDocument => ({
      id: doc.id,
      volume: volume.number,
      position: d + 1,
      kind: doc.kind as ValidDocument['kind'],
      type: doc.type,
      title: doc.title,
      date: doc.date ?? null,
      author: doc.author ?? null,
      file: stagedFile(doc.file!),
      pages: doc.pages ?? null,
      sheetFrom: doc.sheetFrom ?? null,
      sheetTo: doc.sheetTo ?? null,
      mimeType: doc.mimeType ?? null,
      durationSec: doc.durationSec ?? null,
      attachedTo: doc.attachedTo ?? null,
      signatures: signatures.get(pointer('volumes', v, 'documents', d)) ?? [],
      signatureFiles: (doc.signatures ?? []).map((s) => stagedFile(s.file)),
    })),
  );
  return {
    packageId: manifest.packageId,
    erdrNumber: manifest.case.erdrNumber,
    manifest,
    manifestBytes: input.manifestBytes,
    manifestSha256: input.manifestSha256,
    manifestSignature: input.manifestSignature,
    manifestSignatureFile: stagedFile('manifest.json.p7s'),
    volumes: manifest.volumes.map((v) => ({ number: v.number, title: v.title, sheets: v.sheets })),
    documents,
    participants: manifest.participants,
    materialEvidence: manifest.materialEvidence ?? [],
    stagingDir: input.stagingDir,
  };
}

/**
 * The inventory (опись) of a case file: per volume, its documents in order with their sheet
 * ranges, types, dates, authors and signature status; media documents with their duration;
 * material evidence (objects kept outside the file).
 */
import type { EcasesRepository } from './ecases.repository.ts';
import type { InventoryDocument, Inventory } from '../shared/api/ecases.ts';

export async function inventoryOf(repository: EcasesRepository, caseId: string): Promise<Inventory> {
  const signatures = new Map<string, InventoryDocument['signatures']>();
  for (const s of await repository.signaturesOf(caseId)) {
    const list = signatures.get(s.documentId) ?? [];
    list.push({ ...s.signer, verifiedAt: s.verifiedAt.toISOString() });
    signatures.set(s.documentId, list);
  }
  const byVolume = new Map<number, InventoryDocument[]>();
  for (const { document: d, volumeNumber } of await repository.documentsOf(caseId)) {
    const list = byVolume.get(volumeNumber) ?? [];
    list.push({
      id: d.id,
      sourceId: d.sourceId,
      position: d.position,
      kind: d.kind,
      type: d.type,
      title: d.title,
      date: d.date,
      author: d.author,
      sheetFrom: d.sheetFrom,
      sheetTo: d.sheetTo,
      pages: d.pages,
      mimeType: d.mimeType,
      size: d.size,
      sha256: d.fileSha256,
      durationSec: d.durationSec,
      attachedTo: d.attachedToSourceId,
      signatures: signatures.get(d.id) ?? [],
    });
    byVolume.set(volumeNumber, list);
  }
  const pkg = await repository.packageOf(caseId);
  return {
    caseId,
    package: pkg ? { packageId: pkg.packageId, manifestSha256: pkg.manifestSha256, signer: pkg.signer, acceptedAt: pkg.createdAt.toISOString() } : null,
    volumes: (await repository.volumesOf(caseId)).map((v) => ({ number: v.number, title: v.title, sheets: v.sheets, documents: byVolume.get(v.number) ?? [] })),
    materialEvidence: (await repository.evidenceOf(caseId)).map((e) => ({ id: e.sourceId, description: e.description, storage: e.storage })),
  };
}

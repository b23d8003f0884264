/**
 * A tolerant view of the parsed manifest for the rules. The rules run even when the schema found
 * problems (the sender should get every problem at once), so nothing here trusts a type: a field
 * of the wrong type reads as absent, and the schema has already reported it.
 */
import { pointer } from './problems.ts';

export type SignatureView = { pointer: string; file?: string };

export type DocumentView = {
  pointer: string; // "/volumes/0/documents/2"
  volumeIndex: number;
  index: number;
  id?: string;
  kind?: string;
  type?: string;
  file?: string;
  sha256?: string;
  pages?: number;
  sheetFrom?: number;
  sheetTo?: number;
  mimeType?: string;
  attachedTo?: string;
  present: Set<string>; // every property the document has, whatever its type
  signatures: SignatureView[];
};

export type VolumeView = { pointer: string; index: number; number?: number; sheets?: number; documents: DocumentView[] };

export type ManifestView = { volumes: VolumeView[]; documents: DocumentView[] };

export type Json = Record<string, unknown>;

export function asObject(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asInteger(value: unknown): number | undefined {
  return Number.isSafeInteger(value) ? (value as number) : undefined;
}

export function viewManifest(raw: unknown): ManifestView {
  const volumes = asArray(asObject(raw).volumes).map((v, volumeIndex): VolumeView => {
    const volume = asObject(v);
    const documents = asArray(volume.documents).map((d, index): DocumentView => {
      const doc = asObject(d);
      const at = pointer('volumes', volumeIndex, 'documents', index);
      return {
        pointer: at,
        volumeIndex,
        index,
        id: asString(doc.id),
        kind: asString(doc.kind),
        type: asString(doc.type),
        file: asString(doc.file),
        sha256: asString(doc.sha256)?.toLowerCase(),
        pages: asInteger(doc.pages),
        sheetFrom: asInteger(doc.sheetFrom),
        sheetTo: asInteger(doc.sheetTo),
        mimeType: asString(doc.mimeType),
        attachedTo: asString(doc.attachedTo),
        present: new Set(Object.keys(doc)),
        signatures: asArray(doc.signatures).map((s, k) => ({
          pointer: `${at}/signatures/${k}`,
          file: asString(asObject(s).file),
        })),
      };
    });
    return { pointer: pointer('volumes', volumeIndex), index: volumeIndex, number: asInteger(volume.number), sheets: asInteger(volume.sheets), documents };
  });
  return { volumes, documents: volumes.flatMap((v) => v.documents) };
}

/** pdf and electronic documents are paged and occupy sheets; media documents do not. */
export function isPaged(doc: DocumentView): boolean {
  return doc.kind === 'pdf' || doc.kind === 'electronic';
}

/**
 * The e-case intake and the case file as the API answers them: the ingestion log, an intake's
 * outcome, the case file's inventory and a verification of its files (server/src/ecases/).
 */
import type { IngestionOutcome, SignatureInfo } from '../domain.ts';

/** The document types of the package format (SPEC §2), in the order the inventory legend lists them. */
export const DOCUMENT_TYPES = [
  'indictment',
  'report',
  'resolution',
  'protocol',
  'expert_opinion',
  'motion',
  'complaint',
  'letter',
  'notice',
  'certificate',
  'video_record',
  'audio_record',
  'photo',
  'other',
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export type Problem = { code: string; path: string; message: string };

export type IngestionRecord = {
  via: string;
  courtCode: string | null;
  packageId: string | null;
  erdrNumber: string | null;
  senderOrgan: string | null;
  senderOfficer: string | null;
  manifestSha256: string | null;
  archiveBytes: number | null;
  outcome: IngestionOutcome;
  caseId: string | null;
  problems: Problem[] | null;
};

export type IntakeCounts = { caseId: string; caseNumber: string; erdrNumber: string; volumes: number; documents: number; sheets: number };

export type AcceptedBody = { status: 'accepted' } & IntakeCounts;

export type RejectedBody = { status: 'rejected'; problems: Problem[]; existingCaseId?: string };

export type InventoryDocument = {
  id: string;
  sourceId: string;
  position: number;
  kind: 'pdf' | 'electronic' | 'media';
  type: string;
  title: string;
  date: string | null;
  author: string | null;
  sheetFrom: number | null;
  sheetTo: number | null;
  pages: number | null;
  mimeType: string;
  size: number;
  sha256: string;
  durationSec: number | null;
  attachedTo: string | null;
  signatures: (SignatureInfo & { verifiedAt: string })[];
};

export type Inventory = {
  caseId: string;
  package: { packageId: string; manifestSha256: string; signer: SignatureInfo; acceptedAt: string } | null;
  volumes: { number: number; title: string; sheets: number; documents: InventoryDocument[] }[];
  materialEvidence: { id: string; description: string; storage: string | null }[];
};

export type FileCheck = { hashOk: boolean; actualSha256: string | null };

export type Verification = {
  caseId: string;
  checkedAt: string;
  ok: boolean;
  manifest: (FileCheck & { signatureOk: boolean; problem: string | null }) | null;
  documents: { id: string; sourceId: string; title: string; volume: number; hashOk: boolean; actualSha256: string | null; signatures: { signerName: string; ok: boolean; problem: string | null }[] }[];
};

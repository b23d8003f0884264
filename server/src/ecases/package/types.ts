/**
 * The public shapes of package validation. `validate-package.ts` re-exports them; the database
 * import, the HTTP route and the CLI build on these and on nothing else in this folder.
 */
import type { Manifest } from './manifest-schema.ts';

export type PackageLimits = {
  maxArchiveBytes: number; // size of the zip file
  maxEntries: number;
  maxEntryBytes: number; // uncompressed size of one entry
  maxTotalBytes: number; // uncompressed size of all entries
  maxCompressionRatio: number; // uncompressed / compressed per entry (zip bombs)
  /**
   * Entries smaller than this are not held to `maxCompressionRatio`: a few kilobytes of text or a
   * blank page legitimately compress far beyond 100:1, and inflating them costs nothing.
   * Default (when absent) 1 MiB; 0 holds every entry to the ratio.
   */
  ratioCheckMinBytes?: number;
};

const GiB = 1024 ** 3;
export const DEFAULT_RATIO_CHECK_MIN_BYTES = 1024 * 1024;

export const DEFAULT_LIMITS: PackageLimits = {
  maxArchiveBytes: 4 * GiB,
  maxEntries: 100_000,
  maxEntryBytes: 2 * GiB,
  maxTotalBytes: 8 * GiB,
  maxCompressionRatio: 100,
  ratioCheckMinBytes: DEFAULT_RATIO_CHECK_MIN_BYTES,
};

/** `path` is a JSON pointer into the manifest (`/volumes/0/documents/2/sheetFrom`) or an archive entry name. */
export type Problem = { code: string; path: string; message: string };

export type SignatureResult = {
  file: string; // the .p7s entry
  signerName: string; // subject CN
  signerIin: string | null; // from subject serialNumber "IIN<12 digits>"
  issuer: string; // issuer CN, or the whole DN when it has no CN
  serialNumber: string; // certificate serial, hex
  signingTime: string | null; // ISO, from the CMS signingTime attribute
  validFrom: string;
  validTo: string;
  /** The DN of the trust root the signer's chain ends in. */
  trustRoot: string;
};

/**
 * A file of the package as staged: its own file at `stagedPath`, or, when `spoolOffset` is set,
 * `size` bytes at that offset of the staging spool at `stagedPath` (small files, stored inline).
 */
export type StagedFile = { entry: string; sha256: string; size: number; stagedPath: string; spoolOffset: number | null };

export type ValidDocument = {
  id: string;
  volume: number;
  position: number; // 1-based order within its volume, as in the manifest
  kind: 'pdf' | 'electronic' | 'media';
  type: string;
  title: string;
  date: string | null;
  author: string | null;
  file: StagedFile;
  pages: number | null;
  sheetFrom: number | null;
  sheetTo: number | null;
  mimeType: string | null;
  durationSec: number | null;
  attachedTo: string | null;
  signatures: SignatureResult[];
  /** The staged .p7s files, in the order of `signatures`, for storing next to the document. */
  signatureFiles: StagedFile[];
};

export type ValidPackage = {
  packageId: string;
  erdrNumber: string;
  manifest: Manifest;
  manifestBytes: Buffer;
  manifestSha256: string;
  manifestSignature: SignatureResult;
  /** manifest.json.p7s as staged, for storing with the ingestion record. */
  manifestSignatureFile: StagedFile;
  volumes: { number: number; title: string; sheets: number }[];
  documents: ValidDocument[]; // in inventory order: volume 1 first, then position
  participants: Manifest['participants'];
  materialEvidence: NonNullable<Manifest['materialEvidence']>;
  stagingDir: string;
};

/** What could be read of a refused package's manifest, for the ingestion log; every field best effort. */
export type PackageAbout = { packageId: string | null; erdrNumber: string | null; courtCode: string | null; senderOrgan: string | null; senderOfficer: string | null; manifestSha256: string | null };

export type ValidationResult = { ok: true; pkg: ValidPackage } | { ok: false; problems: Problem[]; about: PackageAbout | null };

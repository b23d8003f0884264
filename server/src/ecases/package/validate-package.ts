/**
 * Validates an ERDR e-case handover package (SPEC: shared/ecase-package/SPEC.md) and stages its
 * files. Every rule is checked and every problem collected, so ERDR gets the whole list at once.
 *
 * Order of work: the listing (names, links, limits) before any content is read; nothing is
 * inflated once a limit is broken. Then the manifest, its schema and rules; then each referenced
 * entry is streamed once into the staging folder while hashed (and parsed, for PDFs); then the
 * signatures are verified over the staged copies. On { ok: false } the caller deletes stagingDir;
 * on success it moves the staged files into storage.
 */
import path from 'node:path';
import type { Manifest } from './manifest-schema.ts';
import { buildPackage } from './build-package.ts';
import { checkFiles, MANIFEST } from './file-checks.ts';
import { checkListing } from './listing-rules.ts';
import { checkManifestSchema } from './manifest-schema.ts';
import { checkFormat, checkManifestRules } from './manifest-rules.ts';
import { viewManifest } from './manifest-view.ts';
import { openPackageSource, type PackageSource } from './package-source.ts';
import { LIMIT_CODES, problem } from './problems.ts';
import { checkSheets } from './sheet-rules.ts';
import { checkSignatures, verifyStoredSignature } from './signature-checks.ts';
import { Spool } from './spool.ts';
import { readEntry } from './staging.ts';
import { parseTrustRoots } from './trust-roots.ts';
import { DEFAULT_LIMITS, type PackageAbout, type PackageLimits, type Problem, type SignatureResult, type ValidationResult } from './types.ts';

export { DEFAULT_LIMITS } from './types.ts';
export type { PackageAbout, PackageLimits, Problem, SignatureResult, StagedFile, ValidDocument, ValidPackage, ValidationResult } from './types.ts';
export type { Manifest, ManifestDocument, ManifestMaterialEvidence, ManifestParticipant, ManifestQualification, ManifestVolume } from './manifest-schema.ts';
export { isValidIin } from './iin.ts';
export { loadTrustRoots } from './trust-roots.ts';
export { readStaged } from './spool.ts';

/** A manifest of 10,000 documents is a few megabytes; this bounds what is held in memory. */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

export async function validatePackage(input: {
  source: string; // path of a .zip file, or of a directory with the package layout
  trustRoots: string[]; // PEM texts of the court's trusted root certificates (never from the package)
  limits?: PackageLimits;
  stagingDir: string; // an empty folder the caller made
  /** Files up to this size are staged in one spool file (to be stored inline); 0: each in its own file. */
  inlineMaxBytes?: number;
  now?: Date; // "time of ingestion" for signature validity when signingTime is absent
}): Promise<ValidationResult> {
  const roots = parseTrustRoots(input.trustRoots); // a configuration error throws, it is no package problem
  const source = await openPackageSource(input.source, input.limits ?? DEFAULT_LIMITS);
  try {
    return await validateSource(source, { ...input, roots, limits: input.limits ?? DEFAULT_LIMITS, now: input.now ?? new Date() });
  } finally {
    await source.close();
  }
}

async function validateSource(
  source: PackageSource,
  ctx: { roots: ReturnType<typeof parseTrustRoots>; limits: PackageLimits; stagingDir: string; inlineMaxBytes?: number; now: Date },
): Promise<ValidationResult> {
  const problems: Problem[] = [...source.problems];
  let about: PackageAbout | null = null;
  const rejected = (): ValidationResult => ({ ok: false, problems, about });
  if (problems.length > 0) return rejected();

  const listing = checkListing(source.entries, ctx.limits);
  problems.push(...listing.problems);
  if (problems.some((p) => LIMIT_CODES.has(p.code))) return rejected();

  const listed = new Set(source.entries.filter((e) => e.type === 'file').map((e) => e.name));
  const manifestEntry = source.entries.find((e) => e.name === MANIFEST && e.type === 'file' && !listing.unusable.has(e.index));
  if (!manifestEntry) {
    problems.push(problem('manifest_missing', MANIFEST, 'the package has no manifest.json at its root'));
    return rejected();
  }
  if (manifestEntry.size > MAX_MANIFEST_BYTES) {
    problems.push(problem('manifest_too_large', MANIFEST, `manifest.json has ${manifestEntry.size} bytes; at most ${MAX_MANIFEST_BYTES} are read`));
    return rejected();
  }
  const read = await readEntry(source, manifestEntry, MAX_MANIFEST_BYTES);
  if (!read.ok) {
    problems.push(problem('archive_entry_corrupt', MANIFEST, `manifest.json cannot be read: ${read.reason}`));
    return rejected();
  }
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(read.bytes));
  } catch (error) {
    problems.push(problem('manifest_invalid_json', MANIFEST, `manifest.json is not UTF-8 JSON: ${(error as Error).message}`));
    return rejected();
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    problems.push(problem('manifest_schema', '', 'the manifest must be a JSON object'));
    return rejected();
  }
  about = aboutOf(raw, read.sha256);
  const format = checkFormat(raw);
  if (format.length > 0) {
    problems.push(...format);
    return rejected();
  }

  const view = viewManifest(raw);
  problems.push(...checkManifestSchema(raw), ...checkManifestRules(raw, view), ...checkSheets(view));
  const spool = ctx.inlineMaxBytes ? new Spool({ path: path.join(ctx.stagingDir, 'inline.spool'), maxEntryBytes: ctx.inlineMaxBytes }) : null;
  let files: Awaited<ReturnType<typeof checkFiles>>;
  try {
    files = await checkFiles({ source, unusable: listing.unusable, view, stagingDir: ctx.stagingDir, spool });
  } finally {
    spool?.close();
  }
  problems.push(...files.problems);
  const signatures = await checkSignatures({ raw, view, listed, staged: files.staged, manifestBytes: read.bytes, roots: ctx.roots, now: ctx.now });
  problems.push(...signatures.problems);
  if (problems.length > 0 || !signatures.manifest) return rejected();

  return {
    ok: true,
    pkg: buildPackage({
      manifest: raw as Manifest,
      manifestBytes: read.bytes,
      manifestSha256: read.sha256,
      manifestSignature: signatures.manifest,
      staged: files.staged,
      signatures: signatures.documents,
      stagingDir: ctx.stagingDir,
    }),
  };
}

/**
 * Verifies one detached signature over one content (bytes, or the path of a file) by the rules of
 * SPEC section 4 (without the manifest's IIN match). For re-verifying stored case files after intake.
 */
export async function verifyDetachedSignature(input: {
  name: string;
  signature: Buffer;
  content: Buffer | string;
  trustRoots: string[];
  now?: Date;
}): Promise<{ ok: boolean; signature: SignatureResult | null; problems: Problem[] }> {
  const outcome = await verifyStoredSignature({ name: input.name, signature: input.signature, content: input.content, roots: parseTrustRoots(input.trustRoots), now: input.now ?? new Date() });
  const problems = outcome.findings.map((f) => problem(f.code, input.name, f.reason));
  return { ok: outcome.result !== null && problems.length === 0, signature: outcome.result, problems };
}

/** The few facts of a manifest the ingestion log keeps, read without trusting its shape. */
function aboutOf(raw: object, manifestSha256: string): PackageAbout {
  const at = (...keys: string[]): string | null => {
    let value: unknown = raw;
    for (const key of keys) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    return typeof value === 'string' ? value.slice(0, 500) : null;
  };
  const officer = at('sender', 'officer', 'fullName');
  const officerIin = at('sender', 'officer', 'iin');
  return {
    packageId: at('packageId'),
    erdrNumber: at('case', 'erdrNumber'),
    courtCode: at('recipientCourt', 'code'),
    senderOrgan: at('sender', 'organ'),
    senderOfficer: officer && officerIin ? `${officer} (${officerIin})` : officer,
    manifestSha256,
  };
}

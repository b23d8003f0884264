/**
 * Receiving an e-case from ERDR: validate the package completely, then import it atomically.
 * The same service answers the intake API, the court office's upload screen and the command
 * line, so all three give the same answer for the same package.
 *
 * Order of work, and why:
 *   1. Validation extracts every file into a staging folder while hashing (the archive is read
 *      once) and collects every problem. Any problem: the staging folder is deleted, only the
 *      ingestion log remembers the package.
 *   2. Collisions: the same package again is answered with the case it made; another package
 *      for an ERDR number the court already has is refused, naming that case.
 *   3. The staged files are adopted into content-addressed storage, then every row is written in
 *      one transaction, with the bytes of the small files (kept inline in their rows). A crash
 *      before the commit leaves files no row refers to, which the start-up sweep removes (a failed
 *      commit, a full disk say, removes them itself): the court has the whole case or nothing.
 */
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Problem, IngestionRecord, AcceptedBody, RejectedBody } from '../shared/api/ecases.ts';
import type { CaseImport, EcasesRepository } from './ecases.repository.ts';
import { caseSummary } from './case-summary.ts';
import { mayRemoveUnreferenced } from './unreferenced.ts';
import type { FileStore } from '../storage/file-store.ts';
import type { Staging } from '../storage/staging.ts';
import { readStaged, validatePackage, type PackageLimits, type ValidPackage } from './package/validate-package.ts';
import type { ParticipantRole } from '../../../db/schema.ts';

export type IntakeAnswer = { httpStatus: 201 | 200; body: AcceptedBody } | { httpStatus: 409 | 422; body: RejectedBody };

type Deps = {
  repository: EcasesRepository;
  store: FileStore;
  staging: Staging;
  trustRoots: string[];
  limits: PackageLimits;
  now?: () => Date;
  /** Called with the id of each new case once it is committed (the text index starts on it). */
  onAccepted?: (caseId: string) => void;
};

/** ERDR's participant roles mapped to the court's procedural statuses. */
const ROLE_IN_COURT: Record<string, ParticipantRole> = {
  accused: 'defendant',
  defender: 'defender',
  victim: 'victim',
  victim_representative: 'victim_representative',
  civil_plaintiff: 'civil_plaintiff',
  civil_defendant: 'civil_defendant',
  legal_representative: 'legal_representative',
  witness: 'witness',
  expert: 'expert',
  specialist: 'specialist',
  interpreter: 'interpreter',
  prosecutor: 'prosecutor',
};

export class IntakeService {
  #deps: Deps;
  /** One import at a time in this process: intake is rare, and this bounds memory and disk use. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(deps: Deps) {
    this.#deps = deps;
  }

  get limits(): PackageLimits {
    return this.#deps.limits;
  }

  /** `source`: a .zip file or a package directory. `via`: who handed it over, for the log. */
  ingest(input: { source: string; via: string; archiveBytes: number | null }): Promise<IntakeAnswer> {
    const run = this.#queue.then(() => this.#ingest(input));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Logs a package refused before it could be read (too large, wrong content type). */
  async logRefused(input: { via: string; archiveBytes: number | null; problems: Problem[] }): Promise<void> {
    await this.#deps.repository.logIngestion({ ...emptyRecord(input.via, input.archiveBytes), outcome: 'rejected', problems: input.problems });
  }

  async #ingest(input: { source: string; via: string; archiveBytes: number | null }): Promise<IntakeAnswer> {
    const { repository, store, staging, trustRoots, limits } = this.#deps;
    const now = this.#deps.now?.() ?? new Date();
    const stagingDir = await staging.create();
    try {
      const result = await validatePackage({ source: input.source, trustRoots, limits, stagingDir, inlineMaxBytes: store.inlineMaxBytes, now });
      if (!result.ok) {
        const record = result.about ? { ...emptyRecord(input.via, input.archiveBytes), ...result.about } : null;
        return await this.#reject(input, record, result.problems, 422);
      }
      const pkg = result.pkg;
      const record = recordOf(pkg, input);

      const court = await repository.courtByCode(pkg.manifest.recipientCourt.code);
      if (!court) {
        const problem = { code: 'court_unknown', path: '/recipientCourt/code', message: `This court is not ${pkg.manifest.recipientCourt.code}` };
        return await this.#reject(input, record, [problem], 422);
      }

      const collision = await this.#collision(pkg);
      if (collision) return await this.#answerCollision(input, record, collision);

      // The manifest is kept too, byte for byte: it is what the signature covers.
      const manifestFile = await this.#manifestToStore(pkg, stagingDir);
      // Identical files (the same scan twice) are stored once.
      const files = [...new Map([manifestFile, ...filesToStore(pkg)].map((f) => [f.sha256, f])).values()];
      const adopted = files.flatMap((f) => (f.stagedPath === null ? [] : [{ stagedPath: f.stagedPath, sha256: f.sha256 }]));
      const imported = await this.#commit(adopted, () => repository.importCase(toImport(pkg, files, court, record, now)));
      if ('collision' in imported)
        return await this.#answerCollision(input, record, {
          kind: imported.collision,
          caseId: imported.caseId,
          samePackage: imported.collision === 'already_accepted' && (await repository.packageById(pkg.packageId))?.manifestSha256 === pkg.manifestSha256,
        });
      this.#deps.onAccepted?.(imported.caseId);
      return { httpStatus: 201, body: { status: 'accepted', ...(await repository.counts(imported.caseId)) } };
    } finally {
      await staging.remove(stagingDir);
    }
  }

  /**
   * Adopts the staged files, then writes the rows. When either fails (a full disk, say), the files
   * it adopted that no row refers to go at once: the court has the whole case or nothing, and
   * nothing of a failed import waits for the next start's sweep.
   */
  async #commit<T>(adopted: { stagedPath: string; sha256: string }[], writeRows: () => Promise<T>): Promise<T> {
    const { repository, store, staging } = this.#deps;
    try {
      await store.adoptAll(adopted);
      return await writeRows();
    } catch (error) {
      await store.removeUnreferenced(
        adopted.map((f) => f.sha256),
        mayRemoveUnreferenced(repository, () => staging.othersAreWorking()),
      );
      throw error;
    }
  }

  /** The manifest, still in memory: stored inline when small, else staged to be adopted like the other files. */
  async #manifestToStore(pkg: ValidPackage, stagingDir: string): Promise<FileToStore> {
    const file = { sha256: pkg.manifestSha256, size: pkg.manifestBytes.length };
    if (file.size <= this.#deps.store.inlineMaxBytes) return { ...file, stagedPath: null, inline: () => pkg.manifestBytes };
    const stagedPath = path.join(stagingDir, 'manifest.json.kept');
    await fsp.writeFile(stagedPath, pkg.manifestBytes);
    return { ...file, stagedPath, inline: null };
  }

  async #collision(pkg: ValidPackage): Promise<{ kind: 'already_accepted' | 'duplicate_erdr'; caseId: string; samePackage: boolean } | undefined> {
    const { repository } = this.#deps;
    const known = await repository.packageById(pkg.packageId);
    if (known) return { kind: 'already_accepted', caseId: known.caseId, samePackage: known.manifestSha256 === pkg.manifestSha256 };
    const existing = await repository.caseByErdr(pkg.erdrNumber);
    if (existing) return { kind: 'duplicate_erdr', caseId: existing.id, samePackage: false };
    return undefined;
  }

  async #answerCollision(
    input: { via: string; archiveBytes: number | null },
    record: ReturnType<typeof recordOf>,
    collision: { kind: 'already_accepted' | 'duplicate_erdr'; caseId: string; samePackage: boolean },
  ): Promise<IntakeAnswer> {
    const { repository } = this.#deps;
    if (collision.kind === 'already_accepted' && collision.samePackage) {
      await repository.logIngestion({ ...record, outcome: 'already_accepted', caseId: collision.caseId, problems: null });
      return { httpStatus: 200, body: { status: 'accepted', ...(await repository.counts(collision.caseId)) } };
    }
    const problem =
      collision.kind === 'already_accepted'
        ? { code: 'package_id_reused', path: '/packageId', message: `Another package with this packageId made case ${collision.caseId}` }
        : { code: 'erdr_number_exists', path: '/case/erdrNumber', message: `The court already has this ERDR number: case ${collision.caseId}` };
    await repository.logIngestion({ ...record, outcome: 'duplicate_erdr', caseId: collision.caseId, problems: [problem] });
    return { httpStatus: 409, body: { status: 'rejected', problems: [problem], existingCaseId: collision.caseId } };
  }

  async #reject(
    input: { via: string; archiveBytes: number | null },
    record: Omit<IngestionRecord, 'outcome' | 'caseId' | 'problems'> | null,
    problems: Problem[],
    httpStatus: 422,
  ): Promise<IntakeAnswer> {
    await this.#deps.repository.logIngestion({ ...(record ?? emptyRecord(input.via, input.archiveBytes)), outcome: 'rejected', caseId: null, problems });
    return { httpStatus, body: { status: 'rejected', problems } };
  }
}

function emptyRecord(via: string, archiveBytes: number | null) {
  return { via, courtCode: null, packageId: null, erdrNumber: null, senderOrgan: null, senderOfficer: null, manifestSha256: null, archiveBytes, caseId: null };
}

function recordOf(pkg: ValidPackage, input: { via: string; archiveBytes: number | null }) {
  const { sender, recipientCourt } = pkg.manifest;
  return {
    via: input.via,
    courtCode: recipientCourt.code,
    packageId: pkg.packageId,
    erdrNumber: pkg.erdrNumber,
    senderOrgan: sender.organ,
    senderOfficer: `${sender.officer.fullName} (${sender.officer.iin})`,
    manifestSha256: pkg.manifestSha256,
    archiveBytes: input.archiveBytes,
  };
}

/**
 * A file the import stores: staged in its own file (adopted into the store), or small and stored
 * inline in its row, its bytes read from the staging spool only when that row is written.
 */
type FileToStore = { sha256: string; size: number; stagedPath: string | null; inline: (() => Buffer) | null };

/** Every staged file the case keeps: documents, their signatures, and the manifest's signature. */
function filesToStore(pkg: ValidPackage): FileToStore[] {
  const staged = [pkg.manifestSignatureFile];
  for (const d of pkg.documents) staged.push(d.file, ...d.signatureFiles);
  return staged.map((f) =>
    f.spoolOffset === null ? { sha256: f.sha256, size: f.size, stagedPath: f.stagedPath, inline: null } : { sha256: f.sha256, size: f.size, stagedPath: null, inline: () => readStaged(f) },
  );
}

function toImport(pkg: ValidPackage, files: FileToStore[], court: { id: string; code: string; timezone: string }, record: ReturnType<typeof recordOf>, now: Date): CaseImport {
  const { manifest } = pkg;
  const accused = manifest.participants.filter((p) => p.role === 'accused').map((p) => p.fullName);
  return {
    courtId: court.id,
    courtCode: court.code,
    courtTimeZone: court.timezone,
    erdrNumber: pkg.erdrNumber,
    language: manifest.case.language,
    category: manifest.case.category,
    qualification: manifest.case.qualification,
    summary: caseSummary(accused, manifest.case.qualification),
    description: manifest.case.summary ?? null,
    receivedAt: now,
    files: files.map((f) => ({ sha256: f.sha256, size: f.size, content: f.inline })),
    participants: manifest.participants.map((p) => ({
      sourceId: p.id,
      role: ROLE_IN_COURT[p.role],
      fullName: p.fullName,
      iin: p.iin ?? null,
      birthDate: p.birthDate ?? null,
      language: p.language ?? null,
      inCustody: p.inCustody ?? null,
      email: p.contacts?.email ?? null,
      phone: p.contacts?.phone ?? null,
      address: p.contacts?.address ?? null,
      representedBy: p.representedBy ?? null,
    })),
    volumes: pkg.volumes,
    documents: pkg.documents.map((d) => ({
      sourceId: d.id,
      volume: d.volume,
      position: d.position,
      kind: d.kind,
      type: d.type,
      title: d.title,
      date: d.date,
      author: d.author,
      fileSha256: d.file.sha256,
      fileName: d.file.entry,
      size: d.file.size,
      mimeType: d.mimeType ?? 'application/pdf',
      pages: d.pages,
      sheetFrom: d.sheetFrom,
      sheetTo: d.sheetTo,
      durationSec: d.durationSec,
      attachedTo: d.attachedTo,
      signatures: d.signatures.map((signer, i) => ({ fileSha256: d.signatureFiles[i].sha256, fileName: d.signatureFiles[i].entry, signer })),
    })),
    materialEvidence: (manifest.materialEvidence ?? []).map((e) => ({ sourceId: e.id, description: e.description, storage: e.storage ?? null })),
    package: { packageId: pkg.packageId, manifestSha256: pkg.manifestSha256, signatureSha256: pkg.manifestSignatureFile.sha256, signer: pkg.manifestSignature },
    ingestion: record,
  };
}

/**
 * The database side of e-case intake: looking up what a package collides with, writing an
 * accepted case in one transaction, the ingestion log, and reading the inventory back.
 */
import crypto from 'node:crypto';
import { and, asc, desc, eq, isNull, like, lt, or, sql } from 'drizzle-orm';
import type { DbHandle } from '../../../db/client.ts';
import {
  caseParticipants,
  casePackages,
  cases,
  courts,
  documents,
  documentSignatures,
  ingestions,
  materialEvidence,
  storedFiles,
  users,
  userRoles,
  volumes,
  type ParticipantRole,
  type Qualification,
  type SignatureInfo,
} from '../../../db/schema.ts';
import { toZonedTime } from '../shared/court-time.ts';
import type { IngestionRecord, IntakeCounts } from '../shared/api/ecases.ts';

/** Rows per multi-row INSERT; well under SQLite's 32,766 bound parameters for tables of ~20 columns. */
const ROWS_PER_INSERT = 200;

function* chunks<T>(rows: T[], size: number): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

/** Everything an accepted package turns into, ready to be written. Files not stored inline are already in the store. */
export type CaseImport = {
  courtId: string;
  courtCode: string;
  courtTimeZone: string;
  erdrNumber: string;
  language: 'kk' | 'ru';
  category: 'crime' | 'misdemeanor';
  qualification: Qualification[];
  summary: { kk: string; ru: string; en: string };
  description: string | null;
  receivedAt: Date;
  /** `content`: the bytes of a file stored inline, read only when its row is written (one at a time, never all at once); null for a file in the store. */
  files: { sha256: string; size: number; content: (() => Buffer) | null }[];
  participants: {
    sourceId: string;
    role: ParticipantRole;
    fullName: string;
    iin: string | null;
    birthDate: string | null;
    language: string | null;
    inCustody: boolean | null;
    email: string | null;
    phone: string | null;
    address: string | null;
    representedBy: string[] | null;
  }[];
  volumes: { number: number; title: string; sheets: number }[];
  documents: {
    sourceId: string;
    volume: number;
    position: number;
    kind: 'pdf' | 'electronic' | 'media';
    type: string;
    title: string;
    date: string | null;
    author: string | null;
    fileSha256: string;
    fileName: string;
    size: number;
    mimeType: string;
    pages: number | null;
    sheetFrom: number | null;
    sheetTo: number | null;
    durationSec: number | null;
    attachedTo: string | null;
    signatures: { fileSha256: string; fileName: string; signer: SignatureInfo }[];
  }[];
  materialEvidence: { sourceId: string; description: string; storage: string | null }[];
  package: { packageId: string; manifestSha256: string; signatureSha256: string; signer: SignatureInfo };
  ingestion: Omit<IngestionRecord, 'outcome' | 'caseId' | 'problems'>;
};

/** Participants whose procedural role a court user account can hold: they are linked by IIN. */
const LINKABLE_ROLES: Partial<Record<ParticipantRole, 'prosecutor' | 'defender'>> = { prosecutor: 'prosecutor', defender: 'defender' };

export class EcasesRepository {
  #handle: DbHandle;

  constructor(handle: DbHandle) {
    this.#handle = handle;
  }

  get #db() {
    return this.#handle.db;
  }

  courtByCode(code: string): { id: string; code: string; timezone: string } | undefined {
    return this.#db.select({ id: courts.id, code: courts.code, timezone: courts.timezone }).from(courts).where(eq(courts.code, code)).get();
  }

  packageById(packageId: string): { caseId: string; manifestSha256: string } | undefined {
    return this.#db.select({ caseId: casePackages.caseId, manifestSha256: casePackages.manifestSha256 }).from(casePackages).where(eq(casePackages.packageId, packageId)).get();
  }

  caseByErdr(erdrNumber: string): { id: string; caseNumber: string } | undefined {
    return this.#db.select({ id: cases.id, caseNumber: cases.caseNumber }).from(cases).where(eq(cases.erdrNumber, erdrNumber)).get();
  }

  isStored(sha256: string): boolean {
    return this.#db.select({ sha256: storedFiles.sha256 }).from(storedFiles).where(eq(storedFiles.sha256, sha256)).get() !== undefined;
  }

  counts(caseId: string): IntakeCounts {
    const kase = this.#db.select({ caseNumber: cases.caseNumber, erdrNumber: cases.erdrNumber }).from(cases).where(eq(cases.id, caseId)).get();
    const v = this.#db
      .select({ n: sql<number>`count(*)`, sheets: sql<number>`coalesce(sum(${volumes.sheets}), 0)` })
      .from(volumes)
      .where(eq(volumes.caseId, caseId))
      .get();
    const d = this.#db
      .select({ n: sql<number>`count(*)` })
      .from(documents)
      .where(eq(documents.caseId, caseId))
      .get();
    return { caseId, caseNumber: kase?.caseNumber ?? '', erdrNumber: kase?.erdrNumber ?? '', volumes: v?.n ?? 0, documents: d?.n ?? 0, sheets: v?.sheets ?? 0 };
  }

  logIngestion(record: IngestionRecord): string {
    const id = crypto.randomUUID();
    this.#db
      .insert(ingestions)
      .values({ id, receivedAt: new Date(), ...record })
      .run();
    return id;
  }

  /**
   * Writes the whole case in one transaction, or throws and writes nothing. The collisions are
   * checked again inside it, so two intakes racing (the API and the command line, say) cannot
   * both create the case: the loser gets `{ collision }` instead.
   */
  importCase(input: CaseImport): { caseId: string } | { collision: 'already_accepted' | 'duplicate_erdr'; caseId: string } {
    const db = this.#db;
    return this.#handle.atomically(() => {
      const existingPackage = this.packageById(input.package.packageId);
      if (existingPackage) return { collision: 'already_accepted' as const, caseId: existingPackage.caseId };
      const existingCase = this.caseByErdr(input.erdrNumber);
      if (existingCase) return { collision: 'duplicate_erdr' as const, caseId: existingCase.id };

      // One prepared statement for every file: the inline bytes are read one file at a time.
      const storeFile = db
        .insert(storedFiles)
        .values({ sha256: sql.placeholder('sha256'), size: sql.placeholder('size'), content: sql.placeholder('content'), storedAt: sql.placeholder('storedAt') })
        .onConflictDoNothing()
        .prepare();
      const storedAt = new Date();
      for (const file of input.files) storeFile.run({ sha256: file.sha256, size: file.size, content: file.content?.() ?? null, storedAt });
      const caseId = crypto.randomUUID();
      db.insert(cases)
        .values({
          id: caseId,
          courtId: input.courtId,
          caseNumber: this.#nextCaseNumber(input.courtCode, input.courtTimeZone, input.receivedAt),
          erdrNumber: input.erdrNumber,
          category: input.category,
          language: input.language,
          summaryKk: input.summary.kk,
          summaryRu: input.summary.ru,
          summaryEn: input.summary.en,
          qualification: input.qualification,
          description: input.description,
          status: 'received',
          receivedAt: input.receivedAt,
        })
        .run();

      for (const p of input.participants) {
        db.insert(caseParticipants)
          .values({ id: crypto.randomUUID(), caseId, ...p, userId: this.#linkedUser(p.role, p.iin) })
          .run();
      }
      const volumeIds = new Map<number, string>();
      for (const v of input.volumes) {
        const id = crypto.randomUUID();
        volumeIds.set(v.number, id);
        db.insert(volumes)
          .values({ id, caseId, ...v })
          .run();
      }
      const verifiedAt = input.receivedAt;
      const documentRows: (typeof documents.$inferInsert)[] = [];
      const signatureRows: (typeof documentSignatures.$inferInsert)[] = [];
      for (const d of input.documents) {
        const { signatures, volume, attachedTo, ...fields } = d;
        const documentId = crypto.randomUUID();
        documentRows.push({ id: documentId, caseId, volumeId: volumeIds.get(volume)!, attachedToSourceId: attachedTo, ...fields });
        for (const s of signatures) signatureRows.push({ id: crypto.randomUUID(), documentId, ...s, verifiedAt });
      }
      // Many rows per statement: building a statement costs more than running it.
      for (const chunk of chunks(documentRows, ROWS_PER_INSERT)) db.insert(documents).values(chunk).run();
      for (const chunk of chunks(signatureRows, ROWS_PER_INSERT)) db.insert(documentSignatures).values(chunk).run();
      for (const e of input.materialEvidence) {
        db.insert(materialEvidence)
          .values({ id: crypto.randomUUID(), caseId, ...e })
          .run();
      }
      const ingestionId = this.logIngestion({ ...input.ingestion, outcome: 'accepted', caseId, problems: null });
      db.insert(casePackages)
        .values({ caseId, ...input.package, ingestionId })
        .run();
      return { caseId };
    });
  }

  /** Court case numbers run per court and year (the court's calendar year): <court code>-<yy>-00-1/<n>. */
  #nextCaseNumber(courtCode: string, timeZone: string, at: Date): string {
    const year = String(toZonedTime(timeZone, at).year).slice(-2);
    const prefix = `${courtCode}-${year}-00-1/`;
    const taken = this.#db
      .select({ caseNumber: cases.caseNumber })
      .from(cases)
      .where(like(cases.caseNumber, `${prefix}%`))
      .all();
    const highest = taken.reduce((max, row) => Math.max(max, Number(row.caseNumber.slice(prefix.length)) || 0), 0);
    return `${prefix}${highest + 1}`;
  }

  /** The active user holding the role who has this IIN, if there is exactly one. */
  #linkedUser(role: ParticipantRole, iin: string | null): string | null {
    const staffRole = LINKABLE_ROLES[role];
    if (!staffRole || !iin) return null;
    const matches = this.#db
      .select({ id: users.id })
      .from(users)
      .innerJoin(userRoles, and(eq(userRoles.userId, users.id), eq(userRoles.role, staffRole)))
      .where(and(eq(users.iin, iin), eq(users.active, true)))
      .all();
    return matches.length === 1 ? matches[0].id : null;
  }

  /**
   * Packages addressed to the court, and those whose addressee could not be read, newest first:
   * a page of `limit`, older than `before` (the `receivedAt` and id of the last entry already shown).
   */
  ingestionLog(courtCode: string, page: { limit: number; before?: { receivedAt: Date; id: string } }): (typeof ingestions.$inferSelect)[] {
    const { before } = page;
    return this.#db
      .select()
      .from(ingestions)
      .where(
        and(
          or(eq(ingestions.courtCode, courtCode), isNull(ingestions.courtCode)),
          before ? or(lt(ingestions.receivedAt, before.receivedAt), and(eq(ingestions.receivedAt, before.receivedAt), lt(ingestions.id, before.id))) : undefined,
        ),
      )
      .orderBy(desc(ingestions.receivedAt), desc(ingestions.id))
      .limit(page.limit)
      .all();
  }

  volumesOf(caseId: string) {
    return this.#db.select().from(volumes).where(eq(volumes.caseId, caseId)).orderBy(asc(volumes.number)).all();
  }

  documentsOf(caseId: string) {
    return this.#db
      .select({ document: documents, volumeNumber: volumes.number })
      .from(documents)
      .innerJoin(volumes, eq(volumes.id, documents.volumeId))
      .where(eq(documents.caseId, caseId))
      .orderBy(asc(volumes.number), asc(documents.position))
      .all();
  }

  signaturesOf(caseId: string) {
    return this.#db
      .select({ signature: documentSignatures })
      .from(documentSignatures)
      .innerJoin(documents, eq(documents.id, documentSignatures.documentId))
      .where(eq(documents.caseId, caseId))
      .all()
      .map((r) => r.signature);
  }

  evidenceOf(caseId: string) {
    return this.#db.select().from(materialEvidence).where(eq(materialEvidence.caseId, caseId)).all();
  }

  packageOf(caseId: string) {
    return this.#db.select().from(casePackages).where(eq(casePackages.caseId, caseId)).get();
  }

  document(caseId: string, documentId: string) {
    return this.#db
      .select()
      .from(documents)
      .where(and(eq(documents.caseId, caseId), eq(documents.id, documentId)))
      .get();
  }
}

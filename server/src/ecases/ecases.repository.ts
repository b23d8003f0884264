/**
 * The database side of e-case intake, on either dialect (db/database.ts): looking up what a
 * package collides with, writing an accepted case in one transaction, the ingestion log, and
 * reading the inventory and the stored files' rows back.
 */
import crypto from 'node:crypto';
import { and, asc, desc, eq, getTableColumns, isNull, like, lt, or, sql, type SQL } from 'drizzle-orm';
import type { SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Tables } from '../../../db/database.ts';
import { Repository } from '../../../db/repository.ts';
import type { ParticipantRole, Qualification, SignatureInfo } from '../../../db/schema.ts';
import { toZonedTime } from '../shared/court-time.ts';
import type { IngestionRecord, IntakeCounts } from '../shared/api/ecases.ts';

/**
 * Bound parameters one statement may carry: SQLite's limit (32,766; PostgreSQL allows 65,535), so
 * the same chunks suit both. A multi-row INSERT takes at most this many divided by its table's
 * columns rows, and never more than ROWS_PER_INSERT: building a statement costs more than running
 * it, but past a few hundred rows a longer one gains nothing.
 */
const MAX_PARAMETERS = 32_766;
const ROWS_PER_INSERT = 500;
/** Inline file bytes per INSERT of `stored_files`: the bytes are read from the staging spool only for the chunk being written. */
const INLINE_BYTES_PER_INSERT = 8 * 2 ** 20;

/**
 * The advisory lock key of intake on PostgreSQL: the ASCII bytes of "ezal-eci" read as one
 * big-endian 64-bit integer (0x657a616c2d656369), as db/postgres.ts does for its migration lock.
 * Taken for the import's transaction, so two nodes importing at once check collisions and number
 * cases one after the other.
 */
export const INTAKE_LOCK_KEY = '7312264062235403113';

function* chunks<T>(rows: T[], size: number): Generator<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

/** Rows of `table` per multi-row INSERT, within the parameter limit. */
function rowsPerInsert(table: SQLiteTable): number {
  return Math.max(1, Math.min(ROWS_PER_INSERT, Math.floor(MAX_PARAMETERS / Object.keys(getTableColumns(table)).length)));
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
  /** `content`: the bytes of a file stored inline, read only when its rows are written (a few MiB at a time, never all at once); null for a file in the store. */
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

type Collision = { collision: 'already_accepted' | 'duplicate_erdr'; caseId: string };

export class EcasesRepository extends Repository {
  async courtByCode(code: string): Promise<{ id: string; code: string; timezone: string } | undefined> {
    const { courts } = this.tables;
    const [row] = await this.db.select({ id: courts.id, code: courts.code, timezone: courts.timezone }).from(courts).where(eq(courts.code, code));
    return row;
  }

  async packageById(packageId: string): Promise<{ caseId: string; manifestSha256: string } | undefined> {
    const { casePackages } = this.tables;
    const [row] = await this.db.select({ caseId: casePackages.caseId, manifestSha256: casePackages.manifestSha256 }).from(casePackages).where(eq(casePackages.packageId, packageId));
    return row;
  }

  async caseByErdr(erdrNumber: string): Promise<{ id: string; caseNumber: string } | undefined> {
    const { cases } = this.tables;
    const [row] = await this.db.select({ id: cases.id, caseNumber: cases.caseNumber }).from(cases).where(eq(cases.erdrNumber, erdrNumber));
    return row;
  }

  /** Whether a `stored_files` row claims the file: a file in the store without one is an orphan. */
  async isStored(sha256: string): Promise<boolean> {
    const { storedFiles } = this.tables;
    const [row] = await this.db.select({ sha256: storedFiles.sha256 }).from(storedFiles).where(eq(storedFiles.sha256, sha256));
    return row !== undefined;
  }

  async counts(caseId: string): Promise<IntakeCounts> {
    const { cases, documents, volumes } = this.tables;
    const [kase] = await this.db.select({ caseNumber: cases.caseNumber, erdrNumber: cases.erdrNumber }).from(cases).where(eq(cases.id, caseId));
    // Counts and sums come back as numbers from SQLite and as strings (bigint, numeric) from PostgreSQL.
    const [v] = await this.db
      .select({ n: sql<number>`count(*)`.mapWith(Number), sheets: sql<number>`coalesce(sum(${volumes.sheets}), 0)`.mapWith(Number) })
      .from(volumes)
      .where(eq(volumes.caseId, caseId));
    const [d] = await this.db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(documents)
      .where(eq(documents.caseId, caseId));
    return { caseId, caseNumber: kase?.caseNumber ?? '', erdrNumber: kase?.erdrNumber ?? '', volumes: v?.n ?? 0, documents: d?.n ?? 0, sheets: v?.sheets ?? 0 };
  }

  /** In the caller's transaction (the import's), else in one of its own. */
  async logIngestion(record: IngestionRecord): Promise<string> {
    const { ingestions } = this.tables;
    const id = crypto.randomUUID();
    await this.database.transaction(async () => {
      await this.db.insert(ingestions).values({ id, receivedAt: new Date(), ...record });
    });
    return id;
  }

  /**
   * Writes the whole case in one transaction, or throws and writes nothing. The collisions are
   * checked again inside it, so two intakes racing (the API and the command line, or two nodes)
   * cannot both create the case: the loser gets `{ collision }` instead.
   */
  importCase(input: CaseImport): Promise<{ caseId: string } | Collision> {
    return this.database.transaction(async () => {
      // On PostgreSQL other nodes import too: one import at a time checks and numbers (SQLite's one writer already is that).
      if (this.database.dialect === 'postgres') await this.database.rows(sql`select pg_advisory_xact_lock(${INTAKE_LOCK_KEY}::bigint)`);
      const existingPackage = await this.packageById(input.package.packageId);
      if (existingPackage) return { collision: 'already_accepted' as const, caseId: existingPackage.caseId };
      const existingCase = await this.caseByErdr(input.erdrNumber);
      if (existingCase) return { collision: 'duplicate_erdr' as const, caseId: existingCase.id };

      const { caseParticipants, casePackages, cases, documents, documentSignatures, materialEvidence, volumes } = this.tables;
      await this.#storeFiles(input.files);
      const caseId = crypto.randomUUID();
      await this.db.insert(cases).values({
        id: caseId,
        courtId: input.courtId,
        caseNumber: await this.#nextCaseNumber(input.courtCode, input.courtTimeZone, input.receivedAt),
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
      });

      const participantRows: Tables['caseParticipants']['$inferInsert'][] = [];
      for (const p of input.participants) participantRows.push({ id: crypto.randomUUID(), caseId, ...p, userId: await this.#linkedUser(p.role, p.iin) });
      await this.#insertMany(caseParticipants, participantRows);
      const volumeIds = new Map<number, string>();
      const volumeRows = input.volumes.map((v) => {
        const id = crypto.randomUUID();
        volumeIds.set(v.number, id);
        return { id, caseId, ...v };
      });
      await this.#insertMany(volumes, volumeRows);
      const verifiedAt = input.receivedAt;
      const documentRows: Tables['documents']['$inferInsert'][] = [];
      const signatureRows: Tables['documentSignatures']['$inferInsert'][] = [];
      for (const d of input.documents) {
        const { signatures, volume, attachedTo, ...fields } = d;
        const documentId = crypto.randomUUID();
        documentRows.push({ id: documentId, caseId, volumeId: volumeIds.get(volume)!, attachedToSourceId: attachedTo, ...fields });
        for (const s of signatures) signatureRows.push({ id: crypto.randomUUID(), documentId, ...s, verifiedAt });
      }
      await this.#insertMany(documents, documentRows);
      await this.#insertMany(documentSignatures, signatureRows);
      await this.#insertMany(
        materialEvidence,
        input.materialEvidence.map((e) => ({ id: crypto.randomUUID(), caseId, ...e })),
      );
      const ingestionId = await this.logIngestion({ ...input.ingestion, outcome: 'accepted', caseId, problems: null });
      await this.db.insert(casePackages).values({ caseId, ...input.package, ingestionId });
      return { caseId };
    });
  }

  /** Many rows per statement (building a statement costs more than running it), within the parameter limit. */
  async #insertMany<T extends SQLiteTable>(table: T, rows: T['$inferInsert'][]): Promise<void> {
    for (const chunk of chunks(rows, rowsPerInsert(table))) await this.db.insert(table).values(chunk);
  }

  /**
   * The `stored_files` rows, many per statement; a file already stored (the same scan in another
   * case) keeps its row. Inline bytes are read for one chunk at a time, and a chunk ends at
   * INLINE_BYTES_PER_INSERT, so memory stays bounded however large the case.
   */
  async #storeFiles(files: CaseImport['files']): Promise<void> {
    const { storedFiles } = this.tables;
    const limit = rowsPerInsert(storedFiles);
    const storedAt = new Date();
    let chunk: Tables['storedFiles']['$inferInsert'][] = [];
    let bytes = 0;
    const flush = async () => {
      if (chunk.length > 0) await this.db.insert(storedFiles).values(chunk).onConflictDoNothing();
      chunk = [];
      bytes = 0;
    };
    for (const file of files) {
      const content = file.content?.() ?? null;
      chunk.push({ sha256: file.sha256, size: file.size, content, storedAt });
      bytes += content?.length ?? 0;
      if (chunk.length >= limit || bytes >= INLINE_BYTES_PER_INSERT) await flush();
    }
    await flush();
  }

  /** Court case numbers run per court and year (the court's calendar year): <court code>-<yy>-00-1/<n>. */
  async #nextCaseNumber(courtCode: string, timeZone: string, at: Date): Promise<string> {
    const { cases } = this.tables;
    const year = String(toZonedTime(timeZone, at).year).slice(-2);
    const prefix = `${courtCode}-${year}-00-1/`;
    const taken = await this.db
      .select({ caseNumber: cases.caseNumber })
      .from(cases)
      .where(like(cases.caseNumber, `${prefix}%`));
    const highest = taken.reduce((max, row) => Math.max(max, Number(row.caseNumber.slice(prefix.length)) || 0), 0);
    return `${prefix}${highest + 1}`;
  }

  /** The active user holding the role who has this IIN, if there is exactly one. */
  async #linkedUser(role: ParticipantRole, iin: string | null): Promise<string | null> {
    const staffRole = LINKABLE_ROLES[role];
    if (!staffRole || !iin) return null;
    const { userRoles, users } = this.tables;
    const matches = await this.db
      .select({ id: users.id })
      .from(users)
      .innerJoin(userRoles, and(eq(userRoles.userId, users.id), eq(userRoles.role, staffRole)))
      .where(and(eq(users.iin, iin), eq(users.active, true)));
    return matches.length === 1 ? matches[0].id : null;
  }

  /**
   * Packages addressed to the court, and those whose addressee could not be read, newest first:
   * a page of `limit`, older than `before` (the `receivedAt` and id of the last entry already shown).
   */
  async ingestionLog(courtCode: string, page: { limit: number; before?: { receivedAt: Date; id: string } }): Promise<Tables['ingestions']['$inferSelect'][]> {
    const { ingestions } = this.tables;
    const { before } = page;
    return this.db
      .select()
      .from(ingestions)
      .where(
        and(
          or(eq(ingestions.courtCode, courtCode), isNull(ingestions.courtCode)),
          before ? or(lt(ingestions.receivedAt, before.receivedAt), and(eq(ingestions.receivedAt, before.receivedAt), lt(ingestions.id, before.id))) : undefined,
        ),
      )
      .orderBy(desc(ingestions.receivedAt), desc(ingestions.id))
      .limit(page.limit);
  }

  async volumesOf(caseId: string) {
    const { volumes } = this.tables;
    return this.db.select().from(volumes).where(eq(volumes.caseId, caseId)).orderBy(asc(volumes.number));
  }

  /** The case file's documents in inventory order: volume, then position. */
  async documentsOf(caseId: string) {
    const { documents, volumes } = this.tables;
    return this.db
      .select({ document: documents, volumeNumber: volumes.number })
      .from(documents)
      .innerJoin(volumes, eq(volumes.id, documents.volumeId))
      .where(eq(documents.caseId, caseId))
      .orderBy(asc(volumes.number), asc(documents.position));
  }

  async signaturesOf(caseId: string) {
    const { documents, documentSignatures } = this.tables;
    const rows = await this.db
      .select({ signature: documentSignatures })
      .from(documentSignatures)
      .innerJoin(documents, eq(documents.id, documentSignatures.documentId))
      .where(eq(documents.caseId, caseId))
      // A document's signatures as the manifest listed them (without an order each dialect returns its own).
      .orderBy(asc(documentSignatures.documentId), this.#insertionOrder(documentSignatures));
    return rows.map((r) => r.signature);
  }

  async evidenceOf(caseId: string) {
    const { materialEvidence } = this.tables;
    return this.db.select().from(materialEvidence).where(eq(materialEvidence.caseId, caseId)).orderBy(this.#insertionOrder(materialEvidence));
  }

  async packageOf(caseId: string) {
    const { casePackages } = this.tables;
    const [row] = await this.db.select().from(casePackages).where(eq(casePackages.caseId, caseId));
    return row;
  }

  /**
   * The order rows were written in, for tables without a column to say it (signatures and
   * evidence, written once in the manifest's order and never updated): SQLite's rowid, and on
   * PostgreSQL the row's place in the table, which for rows never updated is the order of insertion.
   */
  #insertionOrder(table: SQLiteTable): SQL {
    return this.database.dialect === 'sqlite' ? sql`${table}.rowid` : sql`${table}.ctid`;
  }

  async document(caseId: string, documentId: string) {
    const { documents } = this.tables;
    const [row] = await this.db
      .select()
      .from(documents)
      .where(and(eq(documents.caseId, caseId), eq(documents.id, documentId)));
    return row;
  }
}

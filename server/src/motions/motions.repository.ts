/**
 * The motions' rows: the motion as filed, its attachments, its history, and the facts filing
 * needs (who the filer is in the case, which documents exist). Writes run inside the caller's
 * transaction (`atomically`); nothing here awaits.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { caseParticipants, cases, courts, documents, hearings, motionAttachments, motionHistory, motions, storedFiles, users, volumes, type MotionStatus } from '../../../db/schema.ts';
import type { HearingMotion } from '../shared/hearing/motions/motions.ts';
import { DEFAULT_COURT_TIME_ZONE } from '../shared/court-time.ts';
import { noticeLocale } from '../hearings/scheduling.rules.ts';
import type { MotionNoticeRecipient } from './motion-notices.ts';
import type { MotionStep, RegisterEntry } from '../shared/api/motions.ts';

export type MotionRow = typeof motions.$inferSelect;
export type NewMotion = typeof motions.$inferInsert;
/** A step to append to a motion's history: what it records and who took it, where. */
export type HistoryEntry = Omit<MotionStep, 'motionId' | 'version'>;
/** A case document a motion refers to: its volume, sheet range and title. */
export type RefDocument = { volume: number; sheetFrom: number | null; sheetTo: number | null; title: string };
export class MotionsRepository {
  #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** The user's IIN as the court has it (null for accounts without one). */
  userIin(userId: string): string | null {
    return this.#db.select({ iin: users.iin }).from(users).where(eq(users.id, userId)).get()?.iin ?? null;
  }

  participant(caseId: string, participantId: string) {
    return this.#db
      .select()
      .from(caseParticipants)
      .where(and(eq(caseParticipants.caseId, caseId), eq(caseParticipants.id, participantId)))
      .get();
  }

  /** Accounts to tell of a filing outside the hall: the case's judge and the parties that log in. */
  caseAudience(caseId: string): string[] {
    const rows = this.#db.all<{ user_id: string }>(
      sql`select user_id from case_staff where case_id = ${caseId} and role = 'judge' union select user_id from case_participants where case_id = ${caseId} and user_id is not null`,
    );
    return rows.map((r) => r.user_id);
  }

  /**
   * Who is told by e-mail/SMS of a motion filed outside the hall: the case's judge and every
   * other party, with their contacts (a participant's own, else their account's) and language.
   */
  noticeRecipients(caseId: string, filerParticipantId: string, partyRoles: readonly string[]): MotionNoticeRecipient[] {
    const kase = this.#db.select({ language: cases.language }).from(cases).where(eq(cases.id, caseId)).get();
    const caseLanguage = kase?.language === 'kk' ? 'kk' : 'ru';
    const judges = this.#db.all<{ full_name: string; email: string | null; phone: string | null; locale: string }>(
      sql`select u.full_name, u.email, u.phone, u.locale from case_staff s join users u on u.id = s.user_id where s.case_id = ${caseId} and s.role = 'judge'`,
    );
    const parties = this.#db.all<{
      id: string;
      role: string;
      full_name: string;
      email: string | null;
      phone: string | null;
      language: string | null;
      u_email: string | null;
      u_phone: string | null;
      u_locale: string | null;
    }>(
      sql`select p.id, p.role, p.full_name, p.email, p.phone, p.language, u.email as u_email, u.phone as u_phone, u.locale as u_locale
          from case_participants p left join users u on u.id = p.user_id where p.case_id = ${caseId}`,
    );
    return [
      ...judges.map((j) => ({ fullName: j.full_name, email: j.email, phone: j.phone, locale: noticeLocale(null, j.locale, caseLanguage) })),
      ...parties
        .filter((p) => p.id !== filerParticipantId && partyRoles.includes(p.role))
        .map((p) => ({ fullName: p.full_name, email: p.email ?? p.u_email, phone: p.phone ?? p.u_phone, locale: noticeLocale(p.language, p.u_locale, caseLanguage) })),
    ];
  }

  /** Which of `ids` are documents of the case. */
  /** The case's documents among `ids`, with where they sit in the file (to check and to show a motion's references). */
  caseDocuments(caseId: string, ids: string[]): Map<string, RefDocument> {
    if (ids.length === 0) return new Map();
    const rows = this.#db
      .select({ id: documents.id, volume: volumes.number, sheetFrom: documents.sheetFrom, sheetTo: documents.sheetTo, title: documents.title })
      .from(documents)
      .innerJoin(volumes, eq(volumes.id, documents.volumeId))
      .where(and(eq(documents.caseId, caseId), inArray(documents.id, [...new Set(ids)])))
      .all();
    return new Map(rows.map(({ id, ...doc }) => [id, doc]));
  }

  caseNumber(caseId: string): string {
    return this.#db.select({ n: cases.caseNumber }).from(cases).where(eq(cases.id, caseId)).get()?.n ?? '';
  }

  /** The time zone of the case's court (`courts.timezone`): the register's times are its wall clock. */
  courtTimeZone(caseId: string): string {
    return this.#db.select({ timeZone: courts.timezone }).from(cases).innerJoin(courts, eq(courts.id, cases.courtId)).where(eq(cases.id, caseId)).get()?.timeZone ?? DEFAULT_COURT_TIME_ZONE;
  }

  hearingCase(hearingId: string): string | undefined {
    return this.#db.select({ caseId: hearings.caseId }).from(hearings).where(eq(hearings.id, hearingId)).get()?.caseId;
  }

  nextNumber(caseId: string): number {
    const row = this.#db
      .select({ n: sql<number>`coalesce(max(${motions.number}), 0)` })
      .from(motions)
      .where(eq(motions.caseId, caseId))
      .get();
    return (row?.n ?? 0) + 1;
  }

  /** A stored file's row; `content` for files small enough to live in the database. */
  storeFile(file: { sha256: string; size: number; content: Buffer | null }, at: Date): void {
    this.#db.insert(storedFiles).values({ sha256: file.sha256, size: file.size, content: file.content, storedAt: at }).onConflictDoNothing().run();
  }

  insert(motion: NewMotion, attachments: HearingMotion['attachments'], filed: HistoryEntry): void {
    this.#db.insert(motions).values(motion).run();
    for (const a of attachments)
      this.#db
        .insert(motionAttachments)
        .values({ motionId: motion.id, ...a })
        .run();
    this.#db
      .insert(motionHistory)
      .values({ motionId: motion.id, version: 1, ...filed })
      .run();
  }

  /** Appends a step to the motion's history and moves its row on (status and ruling when given). */
  recordStep(motionId: string, entry: HistoryEntry, change: { status?: MotionStatus; ruling?: string; ruledAt?: Date; ruledInHearingId?: string | null } = {}): void {
    const row = this.#db.select({ version: motions.version }).from(motions).where(eq(motions.id, motionId)).get();
    if (!row) throw new Error(`no motion ${motionId}`);
    const version = row.version + 1;
    this.#db
      .insert(motionHistory)
      .values({ motionId, version, ...entry })
      .run();
    this.#db
      .update(motions)
      .set({ version, ...change })
      .where(eq(motions.id, motionId))
      .run();
  }

  find(motionId: string): MotionRow | undefined {
    return this.#db.select().from(motions).where(eq(motions.id, motionId)).get();
  }

  attachment(motionId: string, position: number) {
    return this.#db
      .select()
      .from(motionAttachments)
      .where(and(eq(motionAttachments.motionId, motionId), eq(motionAttachments.position, position)))
      .get();
  }

  /** A stored motion as the hall shows it (for one filed outside the hall and taken up in a hearing). */
  asHearingMotion(row: MotionRow): HearingMotion {
    const attachments = this.#db.select().from(motionAttachments).where(eq(motionAttachments.motionId, row.id)).orderBy(asc(motionAttachments.position)).all();
    const positions = this.#db
      .select()
      .from(motionHistory)
      .where(and(eq(motionHistory.motionId, row.id), eq(motionHistory.action, 'position')))
      .orderBy(asc(motionHistory.version))
      .all()
      .map(asStep)
      .flatMap((h) => (h.action === 'position' ? [{ ...h.payload, at: h.at.getTime() }] : []));
    const sig = row.signatureCheck;
    return {
      id: row.id,
      number: row.number,
      kind: row.kind,
      subtype: row.subtype,
      text: row.text,
      refs: row.refs,
      attachments: attachments.map(({ motionId: _m, ...a }) => a),
      filer: { userId: row.filerUserId ?? '', fullName: row.filerName, role: row.filerRole as HearingMotion['filer']['role'], participantId: row.filerParticipantId },
      filedAt: row.filedAt.getTime(),
      receipt: { number: row.receiptNumber, sha256: row.contentSha256 },
      signature: { signerName: sig.signerName ?? '', signerIin: sig.signerIin ?? '', issuer: sig.issuer ?? '', serialNumber: sig.serialNumber ?? '', validTo: sig.validTo ?? '' },
      status: row.status,
      positions,
      ruling: row.status === 'filed' || !row.ruling || !row.ruledAt ? null : { status: row.status, reasons: row.ruling, at: row.ruledAt.getTime() },
    };
  }

  /** Every motion of the case in number order, with attachments and history: the register. */
  register(caseId: string): RegisterEntry[] {
    const rows = this.#db.select().from(motions).where(eq(motions.caseId, caseId)).orderBy(asc(motions.number)).all();
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const files = this.#db.select().from(motionAttachments).where(inArray(motionAttachments.motionId, ids)).orderBy(asc(motionAttachments.position)).all();
    const steps = this.#db.select().from(motionHistory).where(inArray(motionHistory.motionId, ids)).orderBy(asc(motionHistory.version)).all();
    return rows.map(({ signature: _signature, canonical: _canonical, ...motion }) => ({
      motion,
      attachments: files.filter((f) => f.motionId === motion.id).map(({ motionId: _m, ...a }) => a),
      history: steps.filter((s) => s.motionId === motion.id).map(asStep),
    }));
  }
}

/** A row of `motion_history` as the step it records (written only from `HistoryEntry`, so its payload matches its action). */
function asStep(row: typeof motionHistory.$inferSelect): MotionStep {
  return row as MotionStep;
}

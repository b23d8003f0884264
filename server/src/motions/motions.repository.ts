/**
 * The motions' rows: the motion as filed, its attachments, its history, and the facts filing
 * needs (who the filer is in the case, which documents exist), on either dialect
 * (db/database.ts). Writes run inside the caller's transaction.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Tables } from '../../../db/database.ts';
import { Repository } from '../../../db/repository.ts';
import type { MotionStatus } from '../../../db/schema.ts';
import type { HearingMotion } from '../shared/hearing/motions/motions.ts';
import { DEFAULT_COURT_TIME_ZONE } from '../shared/court-time.ts';
import { noticeLocale } from '../hearings/scheduling.rules.ts';
import type { MotionNoticeRecipient } from './motion-notices.ts';
import type { MotionStep, RegisterEntry } from '../shared/api/motions.ts';

export type MotionRow = Tables['motions']['$inferSelect'];
export type NewMotion = Tables['motions']['$inferInsert'];
/** A step to append to a motion's history: what it records and who took it, where. */
export type HistoryEntry = Omit<MotionStep, 'motionId' | 'version'>;
/** A case document a motion refers to: its volume, sheet range and title. */
export type RefDocument = { volume: number; sheetFrom: number | null; sheetTo: number | null; title: string };
export class MotionsRepository extends Repository {
  /** The user's IIN as the court has it (null for accounts without one). */
  async userIin(userId: string): Promise<string | null> {
    const { users } = this.tables;
    const [row] = await this.db.select({ iin: users.iin }).from(users).where(eq(users.id, userId));
    return row?.iin ?? null;
  }

  async participant(caseId: string, participantId: string): Promise<Tables['caseParticipants']['$inferSelect'] | undefined> {
    const { caseParticipants } = this.tables;
    const [row] = await this.db
      .select()
      .from(caseParticipants)
      .where(and(eq(caseParticipants.caseId, caseId), eq(caseParticipants.id, participantId)));
    return row;
  }

  /** Accounts to tell of a filing outside the hall: the case's judge and the parties that log in. */
  async caseAudience(caseId: string): Promise<string[]> {
    const rows = await this.database.rows<{ user_id: string }>(
      sql`select user_id from case_staff where case_id = ${caseId} and role = 'judge' union select user_id from case_participants where case_id = ${caseId} and user_id is not null`,
    );
    return rows.map((r) => r.user_id);
  }

  /**
   * Who is told by e-mail/SMS of a motion filed outside the hall: the case's judge and every
   * other party, with their contacts (a participant's own, else their account's) and language.
   */
  async noticeRecipients(caseId: string, filerParticipantId: string, partyRoles: readonly string[]): Promise<MotionNoticeRecipient[]> {
    const { cases } = this.tables;
    const [kase] = await this.db.select({ language: cases.language }).from(cases).where(eq(cases.id, caseId));
    const caseLanguage = kase?.language === 'kk' ? 'kk' : 'ru';
    const judges = await this.database.rows<{ full_name: string; email: string | null; phone: string | null; locale: string }>(
      sql`select u.full_name, u.email, u.phone, u.locale from case_staff s join users u on u.id = s.user_id where s.case_id = ${caseId} and s.role = 'judge'`,
    );
    const parties = await this.database.rows<{
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

  /** The case's documents among `ids`, with where they sit in the file (to check and to show a motion's references). */
  async caseDocuments(caseId: string, ids: string[]): Promise<Map<string, RefDocument>> {
    if (ids.length === 0) return new Map();
    const { documents, volumes } = this.tables;
    const rows = await this.db
      .select({ id: documents.id, volume: volumes.number, sheetFrom: documents.sheetFrom, sheetTo: documents.sheetTo, title: documents.title })
      .from(documents)
      .innerJoin(volumes, eq(volumes.id, documents.volumeId))
      .where(and(eq(documents.caseId, caseId), inArray(documents.id, [...new Set(ids)])));
    return new Map(rows.map(({ id, ...doc }) => [id, doc]));
  }

  async caseNumber(caseId: string): Promise<string> {
    const { cases } = this.tables;
    const [row] = await this.db.select({ n: cases.caseNumber }).from(cases).where(eq(cases.id, caseId));
    return row?.n ?? '';
  }

  /** The time zone of the case's court (`courts.timezone`): the register's times are its wall clock. */
  async courtTimeZone(caseId: string): Promise<string> {
    const { cases, courts } = this.tables;
    const [row] = await this.db.select({ timeZone: courts.timezone }).from(cases).innerJoin(courts, eq(courts.id, cases.courtId)).where(eq(cases.id, caseId));
    return row?.timeZone ?? DEFAULT_COURT_TIME_ZONE;
  }

  async hearingCase(hearingId: string): Promise<string | undefined> {
    const { hearings } = this.tables;
    const [row] = await this.db.select({ caseId: hearings.caseId }).from(hearings).where(eq(hearings.id, hearingId));
    return row?.caseId;
  }

  /** The next number in the case (inside the filing's transaction, which numbers one motion at a time). */
  async nextNumber(caseId: string): Promise<number> {
    const { motions } = this.tables;
    const [row] = await this.db
      .select({ n: sql<number>`coalesce(max(${motions.number}), 0)` })
      .from(motions)
      .where(eq(motions.caseId, caseId));
    return Number(row?.n ?? 0) + 1;
  }

  /** A stored file's row; `content` for files small enough to live in the database. */
  async storeFile(file: { sha256: string; size: number; content: Buffer | null }, at: Date): Promise<void> {
    const { storedFiles } = this.tables;
    await this.db.insert(storedFiles).values({ sha256: file.sha256, size: file.size, content: file.content, storedAt: at }).onConflictDoNothing();
  }

  async insert(motion: NewMotion, attachments: HearingMotion['attachments'], filed: HistoryEntry): Promise<void> {
    const { motionAttachments, motionHistory, motions } = this.tables;
    await this.db.insert(motions).values(motion);
    for (const a of attachments) await this.db.insert(motionAttachments).values({ motionId: motion.id, ...a });
    await this.db.insert(motionHistory).values({ motionId: motion.id, version: 1, ...filed });
  }

  /** Appends a step to the motion's history and moves its row on (status and ruling when given). */
  async recordStep(motionId: string, entry: HistoryEntry, change: { status?: MotionStatus; ruling?: string; ruledAt?: Date; ruledInHearingId?: string | null } = {}): Promise<void> {
    const { motionHistory, motions } = this.tables;
    const [row] = await this.db.select({ version: motions.version }).from(motions).where(eq(motions.id, motionId));
    if (!row) throw new Error(`no motion ${motionId}`);
    const version = row.version + 1;
    await this.db.insert(motionHistory).values({ motionId, version, ...entry });
    await this.db
      .update(motions)
      .set({ version, ...change })
      .where(eq(motions.id, motionId));
  }

  async find(motionId: string): Promise<MotionRow | undefined> {
    const { motions } = this.tables;
    const [row] = await this.db.select().from(motions).where(eq(motions.id, motionId));
    return row;
  }

  async attachment(motionId: string, position: number): Promise<Tables['motionAttachments']['$inferSelect'] | undefined> {
    const { motionAttachments } = this.tables;
    const [row] = await this.db
      .select()
      .from(motionAttachments)
      .where(and(eq(motionAttachments.motionId, motionId), eq(motionAttachments.position, position)));
    return row;
  }

  /** A stored motion as the hall shows it (for one filed outside the hall and taken up in a hearing). */
  async asHearingMotion(row: MotionRow): Promise<HearingMotion> {
    const { motionAttachments, motionHistory } = this.tables;
    const attachments = await this.db.select().from(motionAttachments).where(eq(motionAttachments.motionId, row.id)).orderBy(asc(motionAttachments.position));
    const history = await this.db
      .select()
      .from(motionHistory)
      .where(and(eq(motionHistory.motionId, row.id), eq(motionHistory.action, 'position')))
      .orderBy(asc(motionHistory.version));
    const positions = history.map(asStep).flatMap((h) => (h.action === 'position' ? [{ ...h.payload, at: h.at.getTime() }] : []));
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
  async register(caseId: string): Promise<RegisterEntry[]> {
    const { motionAttachments, motionHistory, motions } = this.tables;
    const rows = await this.db.select().from(motions).where(eq(motions.caseId, caseId)).orderBy(asc(motions.number));
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const files = await this.db.select().from(motionAttachments).where(inArray(motionAttachments.motionId, ids)).orderBy(asc(motionAttachments.position));
    const steps = await this.db.select().from(motionHistory).where(inArray(motionHistory.motionId, ids)).orderBy(asc(motionHistory.version));
    return rows.map(({ signature: _signature, canonical: _canonical, ...motion }) => ({
      motion,
      attachments: files.filter((f) => f.motionId === motion.id).map(({ motionId: _m, ...a }) => a),
      history: steps.filter((s) => s.motionId === motion.id).map(asStep),
    }));
  }
}

/** A row of `motion_history` as the step it records (written only from `HistoryEntry`, so its payload matches its action). */
function asStep(row: Tables['motionHistory']['$inferSelect']): MotionStep {
  return row as MotionStep;
}

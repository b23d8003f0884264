/**
 * The protocol's reads and writes: what the protocol says about its hearing (court, hall, case,
 * charge, composition, participants, document titles), the whole log up to a version, the
 * signatures kept while the protocol waits for the judge, and the signed protocol added to the
 * case file as a new document with both signatures, its recording (the hall mix) beside it.
 */
import crypto from 'node:crypto';
import { and, asc, eq, lte, max } from 'drizzle-orm';
import type { Tables } from '../../../db/database.ts';
import { Repository } from '../../../db/repository.ts';
import type { SignatureInfo } from '../../../db/schema.ts';
import { formatArticle } from '../shared/qualification.ts';
import type { ProtocolInput } from './protocol-build.ts';
import { upcastEvent, type HearingEvent } from '../shared/hearing/state.ts';
import type { HearingRole } from '../shared/hearing/core.ts';
import type { ProtocolLocale } from '../shared/api/protocol.ts';

/** The volume protocols go to, by the case's language; created after the case's last volume when first needed. */
const PROTOCOL_VOLUME_TITLE: Record<ProtocolLocale, string> = { ru: 'Материалы судебного разбирательства', kk: 'Сот талқылауының материалдары' };

export type ProtocolContext = Omit<ProtocolInput, 'events'> & { caseId: string };

/** What every document the protocol adds to the case file says of itself. */
type CaseFileEntry = { caseId: string; locale: ProtocolLocale; sourceId: string; title: string; date: string | null; author: string; at: Date };

export class ProtocolRepository extends Repository {
  /** The facts the protocol states about its hearing, in the case's language; undefined: no such hearing. */
  async context(hearingId: string): Promise<ProtocolContext | undefined> {
    const { caseParticipants, cases, courts, documents, halls, hearings, users } = this.tables;
    const [row] = await this.db
      .select({ hearing: hearings, case: cases, court: courts, hall: halls, judge: users.fullName })
      .from(hearings)
      .innerJoin(cases, eq(cases.id, hearings.caseId))
      .innerJoin(courts, eq(courts.id, cases.courtId))
      .innerJoin(halls, eq(halls.id, hearings.hallId))
      .innerJoin(users, eq(users.id, hearings.presidingJudgeId))
      .where(eq(hearings.id, hearingId));
    if (!row) return undefined;
    const locale = row.case.language;
    const [secretary] = row.hearing.secretaryId ? await this.db.select({ fullName: users.fullName }).from(users).where(eq(users.id, row.hearing.secretaryId)) : [];
    const participants = await this.db
      .select({ id: caseParticipants.id, role: caseParticipants.role, fullName: caseParticipants.fullName })
      .from(caseParticipants)
      .where(eq(caseParticipants.caseId, row.case.id))
      .orderBy(asc(caseParticipants.createdAt), asc(caseParticipants.id));
    const titles = await this.db.select({ id: documents.id, title: documents.title }).from(documents).where(eq(documents.caseId, row.case.id));
    return {
      caseId: row.case.id,
      locale,
      hearingId,
      court: locale === 'kk' ? row.court.nameKk : row.court.nameRu,
      timeZone: row.court.timezone,
      hall: locale === 'kk' ? row.hall.nameKk : row.hall.nameRu,
      caseNumber: row.case.caseNumber,
      charge: row.case.qualification.map((q) => formatArticle(q, locale)).join('; '),
      presidingJudge: row.judge,
      secretary: secretary?.fullName ?? null,
      participants,
      documents: Object.fromEntries(titles.map((d) => [d.id, d.title])),
    };
  }

  /** Every event of the hearing up to `version`, oldest first, in the current shape (`upcastEvent`). */
  async events(hearingId: string, version: number): Promise<HearingEvent[]> {
    const { hearingEvents, users } = this.tables;
    const rows = await this.db
      .select({ event: hearingEvents, fullName: users.fullName })
      .from(hearingEvents)
      .leftJoin(users, eq(users.id, hearingEvents.actorUserId))
      .where(and(eq(hearingEvents.hearingId, hearingId), lte(hearingEvents.version, version)))
      .orderBy(asc(hearingEvents.version));
    return rows.map(({ event, fullName }) =>
      upcastEvent({
        hearingId,
        version: event.version,
        at: event.at.getTime(),
        type: event.type,
        payload: event.payload,
        actor: { userId: event.actorUserId ?? '', fullName: fullName ?? '', role: event.actorRole as HearingRole | 'system' },
      } as HearingEvent),
    );
  }

  async userIin(userId: string): Promise<string | null> {
    const { users } = this.tables;
    const [row] = await this.db.select({ iin: users.iin }).from(users).where(eq(users.id, userId));
    return row?.iin ?? null;
  }

  /** Stores a small file (a signature, a protocol PDF kept inline) once; the same content is stored once. */
  async storeFile(file: { sha256: string; size: number; content: Buffer | null }, at: Date): Promise<void> {
    const { storedFiles } = this.tables;
    await this.db.insert(storedFiles).values({ sha256: file.sha256, size: file.size, content: file.content, storedAt: at }).onConflictDoNothing();
  }

  /**
   * Adds the signed protocol to the case file: a new document (type `protocol`) at the end of the
   * volume of the trial's materials, its sheets following the volume's last, with the secretary's
   * and the judge's signatures. Returns the new document's id. Runs inside the signing transaction.
   */
  async addToCaseFile(
    input: CaseFileEntry & {
      pdf: { sha256: string; size: number; pages: number };
      /** An addendum names the protocol's `sourceId` here. */
      attachedTo?: string;
      signatures: { sha256: string; fileName: string; signer: SignatureInfo }[];
    },
  ): Promise<string> {
    const { documentSignatures, volumes } = this.tables;
    const { pdf } = input;
    const { documentId, volume } = await this.#addDocument(input, {
      kind: 'pdf',
      type: 'protocol',
      fileSha256: pdf.sha256,
      fileName: `${input.sourceId.replaceAll(':', '-')}.pdf`,
      size: pdf.size,
      mimeType: 'application/pdf',
      pages: pdf.pages,
      attachedToSourceId: input.attachedTo ?? null,
    });
    await this.db
      .update(volumes)
      .set({ sheets: volume.sheets + pdf.pages })
      .where(eq(volumes.id, volume.id));
    for (const s of input.signatures) {
      await this.db.insert(documentSignatures).values({ id: crypto.randomUUID(), documentId, fileSha256: s.sha256, fileName: s.fileName, signer: s.signer, verifiedAt: input.at });
    }
    return documentId;
  }

  /**
   * Adds the hearing's recording (its hall mix, a file already in the store) to the case file as a
   * media document attached to the protocol, right after it in the same volume: no sheets, a
   * duration. Runs inside the judge's signing transaction, after `addToCaseFile`.
   */
  async addRecordingToCaseFile(input: CaseFileEntry & { attachedTo: string; file: { sha256: string; size: number; durationSec: number; video: boolean } }): Promise<string> {
    const { file } = input;
    const { documentId } = await this.#addDocument(input, {
      kind: 'media',
      type: file.video ? 'video_record' : 'audio_record',
      fileSha256: file.sha256,
      fileName: `${input.sourceId.replaceAll(':', '-')}.webm`,
      size: file.size,
      mimeType: file.video ? 'video/webm' : 'audio/webm',
      durationSec: file.durationSec,
      attachedToSourceId: input.attachedTo,
    });
    return documentId;
  }

  /** A new document at the end of the trial materials' volume; a PDF's sheets follow the volume's last. */
  async #addDocument(
    entry: CaseFileEntry,
    file: Pick<Tables['documents']['$inferInsert'], 'kind' | 'type' | 'fileSha256' | 'fileName' | 'size' | 'mimeType' | 'attachedToSourceId'> & { pages?: number; durationSec?: number },
  ): Promise<{ documentId: string; volume: { id: string; sheets: number } }> {
    const { documents } = this.tables;
    const volume = await this.#protocolVolume(entry.caseId, entry.locale);
    const documentId = crypto.randomUUID();
    const sheets = file.pages === undefined ? {} : { pages: file.pages, sheetFrom: volume.sheets + 1, sheetTo: volume.sheets + file.pages };
    await this.db.insert(documents).values({
      id: documentId,
      caseId: entry.caseId,
      volumeId: volume.id,
      position: await this.#nextPosition(volume.id),
      sourceId: entry.sourceId,
      title: entry.title,
      date: entry.date,
      author: entry.author,
      createdAt: entry.at,
      ...file,
      ...sheets,
    });
    return { documentId, volume };
  }

  /** The addenda of a protocol in the case file (the PDFs attached to it), oldest first. */
  async addenda(caseId: string, protocolSourceId: string): Promise<{ id: string; sourceId: string; title: string }[]> {
    const { documents } = this.tables;
    return this.db
      .select({ id: documents.id, sourceId: documents.sourceId, title: documents.title })
      .from(documents)
      .where(and(eq(documents.caseId, caseId), eq(documents.attachedToSourceId, protocolSourceId), eq(documents.kind, 'pdf')))
      .orderBy(asc(documents.createdAt), asc(documents.sourceId));
  }

  /** The recording filed with a protocol, if any. */
  async recording(caseId: string, protocolSourceId: string): Promise<{ documentId: string; title: string; sha256: string; durationSec: number | null } | null> {
    const { documents } = this.tables;
    const [row] = await this.db
      .select({ documentId: documents.id, title: documents.title, sha256: documents.fileSha256, durationSec: documents.durationSec })
      .from(documents)
      .where(and(eq(documents.caseId, caseId), eq(documents.attachedToSourceId, protocolSourceId), eq(documents.kind, 'media')))
      .limit(1);
    return row ?? null;
  }

  async #nextPosition(volumeId: string): Promise<number> {
    const { documents } = this.tables;
    const [row] = await this.db
      .select({ n: max(documents.position) })
      .from(documents)
      .where(eq(documents.volumeId, volumeId));
    return (row?.n ?? 0) + 1;
  }

  async #protocolVolume(caseId: string, locale: ProtocolLocale): Promise<{ id: string; sheets: number }> {
    const { volumes } = this.tables;
    const all = await this.db.select().from(volumes).where(eq(volumes.caseId, caseId)).orderBy(asc(volumes.number));
    const existing = all.find((v) => v.title === PROTOCOL_VOLUME_TITLE.kk || v.title === PROTOCOL_VOLUME_TITLE.ru);
    if (existing) return existing;
    const id = crypto.randomUUID();
    const number = (all.at(-1)?.number ?? 0) + 1;
    await this.db.insert(volumes).values({ id, caseId, number, title: PROTOCOL_VOLUME_TITLE[locale], sheets: 0 });
    return { id, sheets: 0 };
  }
}

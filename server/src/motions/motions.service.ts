/**
 * Filing a motion (docs/motions.md). A party sends the motion with its attachments and a detached
 * CMS signature over the motion's canonical bytes, made in their browser with their own key file.
 * The server rebuilds the canonical bytes from what it received, verifies the signature and that
 * the certificate is the filer's, stores the attachments, and then — in one transaction — writes
 * the motion and, when it is filed in a hearing, the hearing event that puts it before the court
 * (broadcast to every workstation). Positions and rulings are hearing commands (hearing-rules.ts);
 * their events move the motion's row on through `projectEvents`, in the same transaction.
 *
 * Everything that can fail is checked before anything is written, and the rows commit together
 * or not at all.
 */
import crypto from 'node:crypto';
import type { Database } from '../../../db/database.ts';
import type * as pkijs from 'pkijs';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { SessionUser } from '../auth/auth.service.ts';
import type { CasesService } from '../cases/cases.service.ts';
import type { MotionKind, MotionSubtype, ParticipantRole, NotificationChannel } from '../../../db/schema.ts';
import { courtClock } from '../shared/court-time.ts';
import type { HearingAccess, HearingSeat } from '../hearings/hearing-access.ts';
import { PARTY_ROLES } from '../shared/hearing/motions/motions.ts';
import type { HearingMotion } from '../shared/hearing/motions/motions.ts';
import type { HearingEvent } from '../shared/hearing/state.ts';
import type { HearingsRepository } from '../hearings/hearings.repository.ts';
import type { HearingsService } from '../hearings/hearings.service.ts';
import { AppError } from '../shared/errors.ts';
import type { FileStore } from '../storage/file-store.ts';
import type { OutboxRepository } from '../notifications/outbox.repository.ts';
import { composeMotionNotices } from './motion-notices.ts';
import type { Staging } from '../storage/staging.ts';
import { canonicalMotion, type CanonicalMotion } from './motion-canonical.ts';
import { checkAttachments, storeAttachments } from './motion-files.ts';
import { checkMotionSignature } from './motion-signature.ts';
import { plainText } from '../shared/plain-text.ts';
import type { MotionsRepository, RefDocument } from './motions.repository.ts';
import type { RegisterEntry, MotionReceipt } from '../shared/api/motions.ts';

export type MotionDraft = {
  hearingId: string | null;
  kind: MotionKind;
  subtype: MotionSubtype | null;
  text: string;
  refs: { documentId: string; sheet: number | null }[];
};

export type FiledMotionInput = MotionDraft & { attachments: { fileName: string; content: Buffer }[]; signature: Buffer };

/** Told of a motion filed outside a hearing, after it committed: the judge and the parties are notified. */
export type FiledOutsideListener = (motion: { caseId: string; motionId: string; number: number; kind: MotionKind; filerName: string }, audience: string[]) => void;

type Deps = {
  motions: MotionsRepository;
  cases: CasesService;
  hearings: HearingsService;
  hearingsRepository: HearingsRepository;
  access: HearingAccess;
  audit: AuditRepository;
  store: FileStore;
  staging: Staging;
  trustRoots: () => pkijs.Certificate[];
  maxAttachmentBytes: number;
  /** The database's transactions (db/database.ts). */
  database: Pick<Database, 'transaction'>;
  onFiledOutside?: FiledOutsideListener;
  /** The notifications outbox, the channels this server sends through, and the dispatcher's wake-up. */
  notices?: { outbox: OutboxRepository; channels: () => ReadonlySet<NotificationChannel>; wake: () => void };
  now?: () => number;
};

/** `userId` null: a remote participant without an account, known by their participant session. */
type Filer = { userId: string | null; fullName: string; role: ParticipantRole; participantId: string; iin: string | null };

/** Who acts in the hearing when a motion is filed in one (a hall user, or a remote participant). */
type HearingActor = { user: SessionUser; seat: HearingSeat; ip: string | null };

/** A remote participant's session (server/src/remote/), as far as filing needs it. */
export type RemoteFiler = { hearingId: string; caseId: string; participantId: string };

/** Who files: the party, who acts in the hearing, and how the audit log names them. */
type Filing = { filer: Filer; actor: ((hearingId: string) => Promise<HearingActor>) | null; audit: { userId: string | null; actor: string } };

export class MotionsService {
  #deps: Deps;
  #now: () => number;

  constructor(deps: Deps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    deps.hearings.addProjection((events) => this.#project(events));
  }

  /**
   * The canonical text the filer is to sign for this draft (attachments by name, hash and size,
   * hashed in the browser). Checks what can be checked before signing: party, text, references.
   */
  async draft(user: SessionUser, caseId: string, draft: MotionDraft & { attachments: { fileName: string; sha256: string; size: number }[] }, ip: string | null): Promise<{ canonical: string }> {
    const filer = await this.#filer(user, caseId, ip);
    return { canonical: canonicalMotion(this.#canonicalInput(caseId, filer, await this.#checkDraft(caseId, draft), draft.attachments)) };
  }

  async file(user: SessionUser, caseId: string, input: FiledMotionInput, ip: string | null): Promise<MotionReceipt> {
    const filer = await this.#filer(user, caseId, ip);
    const actor = async (hearingId: string): Promise<HearingActor> => ({ user, seat: await this.#seat(user, caseId, hearingId, ip), ip });
    return this.#file({ filer, actor, audit: { userId: user.id, actor: user.username } }, caseId, input, ip);
  }

  /**
   * The canonical text a remote participant is to sign: only in the hearing of their session, only
   * a party (`not_a_party`), only once the court has admitted them (`not_admitted`). Refusals audited.
   */
  async draftRemote(
    session: RemoteFiler,
    actor: HearingActor,
    draft: Omit<MotionDraft, 'hearingId'> & { attachments: { fileName: string; sha256: string; size: number }[] },
  ): Promise<{ canonical: string }> {
    const filer = await this.#remoteFiler(session, actor);
    const checked = await this.#checkDraft(session.caseId, { ...draft, hearingId: session.hearingId });
    return { canonical: canonicalMotion(this.#canonicalInput(session.caseId, filer, checked, draft.attachments)) };
  }

  /**
   * Files a remote participant's signed motion in their hearing, as a motion filed in the hall: the
   * same checks (the certificate must carry the participant's IIN), the same hearing event.
   */
  async fileRemote(session: RemoteFiler, actor: HearingActor, input: Omit<FiledMotionInput, 'hearingId'>): Promise<MotionReceipt> {
    const filer = await this.#remoteFiler(session, actor);
    const audit = { userId: null, actor: actor.user.username };
    return this.#file({ filer, actor: async () => actor, audit }, session.caseId, { ...input, hearingId: session.hearingId }, actor.ip);
  }

  /** The remote participant as a filer, or a refusal (audited): not a party, or not admitted. */
  async #remoteFiler(session: RemoteFiler, actor: HearingActor): Promise<Filer> {
    const refuse = async (code: 'not_a_party' | 'not_admitted', message: string): Promise<never> => {
      await this.#deps.audit.record({
        userId: null,
        actor: actor.user.username,
        action: 'motion.file',
        outcome: 'denied',
        caseId: session.caseId,
        target: session.hearingId,
        ip: actor.ip,
        details: { reason: code },
      });
      throw new AppError(code, message);
    };
    const participant = await this.#deps.motions.participant(session.caseId, session.participantId);
    if (!participant || !PARTY_ROLES.includes(participant.role)) return refuse('not_a_party', 'Only a party of the case files motions');
    const status = (await this.#deps.hearingsRepository.liveState(session.hearingId))?.remote[session.participantId]?.status;
    if (status !== 'live') return refuse('not_admitted', 'Only a participant the court has admitted files a motion in the hearing');
    return { userId: null, fullName: participant.fullName, role: participant.role, participantId: participant.id, iin: participant.iin };
  }

  async #file(filing: Filing, caseId: string, input: FiledMotionInput, ip: string | null): Promise<MotionReceipt> {
    const { motions, database, hearings } = this.#deps;
    const { filer } = filing;
    const draft = await this.#checkDraft(caseId, input);
    const actor = draft.hearingId && filing.actor ? await filing.actor(draft.hearingId) : null;
    const files = await checkAttachments(input.attachments, this.#deps.maxAttachmentBytes);
    const canonical = canonicalMotion(this.#canonicalInput(caseId, filer, draft, files));
    const bytes = Buffer.from(canonical, 'utf8');
    const received = new Date(this.#now());
    const signature = await checkMotionSignature({ signature: input.signature, content: bytes, roots: this.#deps.trustRoots(), now: received, filerIin: filer.iin });
    const inline = await storeAttachments(files, this.#deps.store, this.#deps.staging);

    const id = crypto.randomUUID();
    const sha256 = crypto.createHash('sha256').update(bytes).digest('hex');
    const attachments = files.map((f, i) => ({ position: i + 1, fileName: f.fileName, sha256: f.sha256, size: f.size, pages: f.pages }));
    const timeZone = await motions.courtTimeZone(caseId);
    const number = await database.transaction(async () => {
      const n = await motions.nextNumber(caseId);
      const receiptNumber = receiptNumberOf(n, timeZone, received);
      for (const [i, f] of files.entries()) await motions.storeFile({ sha256: f.sha256, size: f.size, content: inline[i] ?? null }, received);
      await motions.insert(
        {
          id,
          caseId,
          number: n,
          hearingId: draft.hearingId,
          kind: draft.kind,
          subtype: draft.subtype,
          text: draft.text,
          refs: draft.refs,
          filerUserId: filer.userId,
          filerParticipantId: filer.participantId,
          filerRole: filer.role,
          filerName: filer.fullName,
          canonical,
          contentSha256: sha256,
          signature: input.signature,
          signatureCheck: signature,
          receiptNumber,
          filedAt: received,
          status: 'filed',
          version: 1,
        },
        attachments,
        { at: received, action: 'filed', actorUserId: filer.userId, actorName: filer.fullName, actorRole: filer.role, hearingId: draft.hearingId, payload: { receiptNumber, sha256 } },
      );
      if (draft.hearingId && actor) {
        const motion: HearingMotion = {
          id,
          number: n,
          kind: draft.kind,
          subtype: draft.subtype,
          text: draft.text,
          refs: draft.refs,
          attachments,
          // A remote participant without an account is '' here, as the actor of their hearing events.
          filer: { userId: filer.userId ?? '', fullName: filer.fullName, role: filer.role, participantId: filer.participantId },
          filedAt: received.getTime(),
          receipt: { number: receiptNumber, sha256 },
          signature: { signerName: signature.signerName, signerIin: signature.signerIin, issuer: signature.issuer, serialNumber: signature.serialNumber, validTo: signature.validTo },
          status: 'filed',
          positions: [],
          ruling: null,
        };
        // Part of this transaction: the motion's row and its event commit together, then the event is broadcast.
        await hearings.execute(actor, draft.hearingId, { type: 'file_motion', motion });
      } else if (this.#deps.notices) {
        const { outbox, channels } = this.#deps.notices;
        const notices = composeMotionNotices({
          caseNumber: await motions.caseNumber(caseId),
          motion: { number: n, kind: draft.kind, filerName: filer.fullName, receiptNumber, remote: draft.subtype === 'remote_participation' },
          recipients: await motions.noticeRecipients(caseId, filer.participantId, PARTY_ROLES),
        });
        await outbox.enqueue(notices, channels(), received);
      }
      return n;
    });
    await this.#deps.audit.record({ ...filing.audit, action: 'motion.file', outcome: 'allowed', caseId, target: id, ip, details: { number, kind: draft.kind, hearingId: draft.hearingId } });
    if (!draft.hearingId) {
      this.#deps.notices?.wake();
      this.#deps.onFiledOutside?.(
        { caseId, motionId: id, number, kind: draft.kind, filerName: filer.fullName },
        (await motions.caseAudience(caseId)).filter((u) => u !== filer.userId),
      );
    }
    return {
      motionId: id,
      number,
      receiptNumber: receiptNumberOf(number, timeZone, received),
      receivedAt: received.getTime(),
      sha256,
      attachments: files.map((f) => ({ fileName: f.fileName, sha256: f.sha256, size: f.size })),
      signer: { name: signature.signerName, iin: signature.signerIin, issuer: signature.issuer },
    };
  }

  /**
   * Brings a motion filed outside the hall before the court in a hearing of its case (the
   * presiding judge; the hearing rules decide). Positions and the ruling then happen in the hall.
   */
  async takeUp(user: SessionUser, hearingId: string, motionId: string, ip: string | null): Promise<{ version: number }> {
    const hearing = await this.#deps.hearingsRepository.find(hearingId);
    if (!hearing) throw new AppError('not_found', 'No such hearing');
    const seat = await this.#deps.access.seatOf(user, hearing, ip);
    const row = await this.#deps.motions.find(motionId);
    if (!row || row.caseId !== hearing.caseId || row.hearingId !== null) throw new AppError('not_found', 'No such motion filed outside a hearing of this case');
    const motion = await this.#deps.motions.asHearingMotion(row);
    return this.#deps.hearings.execute({ user, seat, ip }, hearingId, { type: 'take_up_motion', motion });
  }

  /** The register of the case's motions: anyone who may read the case may read it. */
  async register(user: SessionUser, caseId: string, ip: string | null): Promise<RegisterEntry[]> {
    return (await this.registerFor(user, caseId, ip)).motions;
  }

  /** The register, and whether this user may file in the case (a party with an account). */
  async registerFor(user: SessionUser, caseId: string, ip: string | null): Promise<{ motions: RegisterEntry[]; canFile: boolean }> {
    const relations = await this.#deps.cases.requireAccess(user, caseId, 'motion.register', ip);
    const canFile = relations.some((r) => r.kind === 'participant' && PARTY_ROLES.includes(r.role));
    return { motions: await this.#deps.motions.register(caseId), canFile };
  }

  /** The register with the case's number, for the PDF. */
  async registerWithCase(user: SessionUser, caseId: string, ip: string | null): Promise<{ caseNumber: string; timeZone: string; entries: RegisterEntry[]; documents: Map<string, RefDocument> }> {
    const entries = await this.register(user, caseId, ip);
    const documents = await this.#deps.motions.caseDocuments(
      caseId,
      entries.flatMap((e) => e.motion.refs.map((r) => r.documentId)),
    );
    return { caseNumber: await this.#deps.motions.caseNumber(caseId), timeZone: await this.#deps.motions.courtTimeZone(caseId), entries, documents };
  }

  /** An attachment's row, for whoever may read the case. */
  async attachment(user: SessionUser, caseId: string, motionId: string, position: number, ip: string | null): Promise<{ sha256: string; fileName: string }> {
    await this.#deps.cases.requireAccess(user, caseId, 'motion.attachment', ip);
    const motion = await this.#deps.motions.find(motionId);
    const attachment = motion?.caseId === caseId ? await this.#deps.motions.attachment(motionId, position) : undefined;
    if (!attachment) throw new AppError('not_found', 'No such attachment');
    return attachment;
  }

  /** The filer: the user's party seat in the case (`not_a_party`, audited, when they have none). */
  async #filer(user: SessionUser, caseId: string, ip: string | null): Promise<Filer> {
    const relations = await this.#deps.cases.requireAccess(user, caseId, 'motion.file', ip);
    for (const relation of relations) {
      if (relation.kind !== 'participant' || !PARTY_ROLES.includes(relation.role)) continue;
      const participant = (await this.#deps.motions.participant(caseId, relation.participantId))!;
      return { userId: user.id, fullName: participant.fullName, role: relation.role, participantId: participant.id, iin: (await this.#deps.motions.userIin(user.id)) ?? participant.iin };
    }
    await this.#deps.audit.record({ userId: user.id, actor: user.username, action: 'motion.file', outcome: 'denied', caseId, ip, details: { reason: 'not_a_party' } });
    throw new AppError('not_a_party', 'Only a party of the case files motions');
  }

  async #seat(user: SessionUser, caseId: string, hearingId: string, ip: string | null): Promise<HearingSeat> {
    const hearing = await this.#deps.hearingsRepository.find(hearingId);
    if (!hearing || hearing.caseId !== caseId) throw new AppError('not_found', 'No such hearing in this case');
    return this.#deps.access.seatOf(user, hearing, ip);
  }

  async #checkDraft<D extends MotionDraft>(caseId: string, draft: D): Promise<D> {
    const text = plainText(draft.text);
    if (text === '') throw new AppError('invalid_request', 'The motion has no text');
    if (draft.subtype === 'remote_participation' && draft.kind !== 'motion') throw new AppError('invalid_request', 'Taking part remotely is asked by a motion');
    const known = await this.#deps.motions.caseDocuments(
      caseId,
      draft.refs.map((r) => r.documentId),
    );
    for (const ref of draft.refs) {
      const doc = known.get(ref.documentId);
      if (!doc) throw new AppError('not_found', `No document ${ref.documentId} in this case`);
      // A sheet must be one of the document's own sheets (a document without sheets — media — has none to name).
      if (ref.sheet !== null && (doc.sheetFrom === null || doc.sheetTo === null || ref.sheet < doc.sheetFrom || ref.sheet > doc.sheetTo)) {
        const range = doc.sheetFrom === null ? 'no sheets' : `sheets ${doc.sheetFrom}–${doc.sheetTo}`;
        throw new AppError('invalid_request', `Sheet ${ref.sheet} is not a sheet of document ${ref.documentId} (${range})`);
      }
    }
    return { ...draft, text };
  }

  #canonicalInput(caseId: string, filer: Filer, draft: MotionDraft, attachments: { fileName: string; sha256: string; size: number }[]): CanonicalMotion {
    return {
      caseId,
      hearingId: draft.hearingId,
      kind: draft.kind,
      subtype: draft.subtype,
      text: draft.text,
      refs: draft.refs.map((r) => ({ documentId: r.documentId, sheet: r.sheet })),
      attachments: attachments.map((a) => ({ fileName: a.fileName, sha256: a.sha256, size: a.size })),
      filer: { userId: filer.userId, participantId: filer.participantId, iin: filer.iin },
    };
  }

  /** Positions and rulings taken in a hearing, onto the motion's row and history (inside the command's transaction). */
  async #project(events: HearingEvent[]): Promise<void> {
    for (const event of events) {
      const step = { at: new Date(event.at), actorUserId: event.actor.userId || null, actorName: event.actor.fullName, actorRole: event.actor.role, hearingId: event.hearingId };
      if (event.type === 'motion.taken_up') {
        await this.#deps.motions.recordStep(event.payload.motion.id, { ...step, action: 'taken_up', payload: {} });
      } else if (event.type === 'motion.position_stated') {
        const { motionId, ...payload } = event.payload;
        await this.#deps.motions.recordStep(motionId, { ...step, action: 'position', payload });
      } else if (event.type === 'motion.ruled') {
        const { motionId, ruling, reasons } = event.payload;
        await this.#deps.motions.recordStep(
          motionId,
          { ...step, action: 'ruled', payload: { ruling, reasons } },
          { status: ruling, ruling: reasons, ruledAt: step.at, ruledInHearingId: event.hearingId },
        );
      }
    }
  }
}

/** "М-<yyyymmdd>-<n>": the receipt's number, unique within the case; the date is the court's. */
function receiptNumberOf(number: number, timeZone: string, at: Date): string {
  return `M-${courtClock(timeZone, at).date.replaceAll('-', '')}-${number}`;
}

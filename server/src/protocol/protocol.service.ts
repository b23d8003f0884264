/**
 * The short protocol of a hearing (docs/protocol.md). Its entries are computed from the hearing's
 * event log whenever asked (protocol-build.ts); the secretary's notes and the signatures are
 * hearing events (hearing-rules.ts decides them), so every workstation — the judge's too — sees the
 * protocol change live through the hearing's broadcast.
 *
 * Signing: the bytes signed are the protocol's PDF, rendered deterministically from the log up to
 * a version. The secretary signs the PDF of the current version once the hearing has ended; that
 * freezes the protocol (no more notes or edits). The judge then signs the very same PDF; with the
 * second signature the protocol is added to the case file as a new document carrying both
 * signatures, in the same transaction as the event that records it — and with it the hearing's
 * recording (the hall mix of the whole recording, made again first if it is not up to date) as a
 * media document attached to the protocol: the short protocol is the index into that recording.
 * Each signature is verified like a motion's (chain to the court's roots, validity, the
 * certificate carries the signer's IIN).
 */
import { createHash } from 'node:crypto';
import type * as pkijs from 'pkijs';
import type { Database } from '../../../db/database.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { SessionUser } from '../auth/auth.service.ts';
import { isWallScreen, refuseWallScreen } from '../cases/wall-screen.ts';
import type { HearingAccess, HearingSeat } from '../hearings/hearing-access.ts';
import type { ProtocolLiveState, ProtocolSignature } from '../shared/hearing/protocol/protocol.ts';
import { isEnded } from '../shared/hearing/stages/stages.ts';
import { initialLiveState } from '../shared/hearing/state.ts';
import type { HearingRecord, HearingsRepository } from '../hearings/hearings.repository.ts';
import type { HearingsService } from '../hearings/hearings.service.ts';
import { courtClock, courtDate } from '../shared/court-time.ts';
import { AppError } from '../shared/errors.ts';
import { storeAttachments } from '../motions/motion-files.ts';
import { checkMotionSignature } from '../motions/motion-signature.ts';
import type { FileStore } from '../storage/file-store.ts';
import type { Staging } from '../storage/staging.ts';
import { storeFileFrom } from '../storage/store-file-from.ts';
import type { FinalMix } from '../recording/recording.service.ts';
import { buildProtocol, protocolChapters } from './protocol-build.ts';
import type { Protocol, ProtocolView } from '../shared/api/protocol.ts';
import { renderAddendumPdf, renderProtocolPdf } from './protocol-pdf.ts';
import type { ProtocolRepository } from './protocol.repository.ts';
import type { SignatureInfo } from '../shared/domain.ts';

type Deps = {
  repository: ProtocolRepository;
  hearings: HearingsService;
  hearingsRepository: HearingsRepository;
  access: HearingAccess;
  audit: AuditRepository;
  store: FileStore;
  staging: Staging;
  trustRoots: () => pkijs.Certificate[];
  /** The hall mix of the hearing's whole recording (recording.service.ts); null: nothing recorded. */
  recordings: { finalMix(hearingId: string): Promise<FinalMix | null> };
  /** The database's transactions (db/database.ts). */
  database: Pick<Database, 'transaction'>;
  publicUrl: string;
  now?: () => number;
};

const ADDENDUM_TITLES = { ru: (n: number) => `Дополнение № ${n} к протоколу судебного заседания`, kk: (n: number) => `Сот отырысы хаттамасына № ${n} толықтыру` };

/** The case-file `source_id` of a hearing's protocol; its addenda are `<this>:addendum:<n>`. */
const protocolSourceId = (hearingId: string) => `protocol:${hearingId}`;

const TITLES = { ru: (date: string) => `Протокол судебного заседания от ${date}`, kk: (date: string) => `${date} сот отырысының хаттамасы` };
const RECORDING_TITLES = { ru: (date: string) => `Аудио-, видеозапись судебного заседания от ${date}`, kk: (date: string) => `${date} сот отырысының аудио-, бейнежазбасы` };

export class ProtocolService {
  #deps: Deps;
  #now: () => number;

  constructor(deps: Deps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  /** The protocol as it stands (or as it was at `version`), for whoever may follow the hearing. */
  async view(user: SessionUser, hearingId: string, ip: string | null, version?: number): Promise<ProtocolView> {
    const { hearing, state } = await this.#open(user, hearingId, ip);
    const protocol = await this.#build(hearing.id, this.#versionToShow(state, version));
    const signAs = this.#signerRole(user, hearing);
    const next = state.protocol.status === 'draft' ? 'secretary' : state.protocol.status === 'signed_by_secretary' ? 'judge' : null;
    return {
      caseId: hearing.caseId,
      protocol,
      status: state.protocol.status,
      frozenVersion: state.protocol.frozenVersion,
      signatures: state.protocol.signatures,
      documentId: state.protocol.documentId,
      recording: await this.#deps.repository.recording(hearing.caseId, protocolSourceId(hearing.id)),
      addenda: (await this.#deps.repository.addenda(hearing.caseId, protocolSourceId(hearing.id))).map((d, i) => ({ number: i + 1, documentId: d.id, title: d.title })),
      you: {
        canEdit: user.id === hearing.secretaryId && state.protocol.status === 'draft',
        signAs: signAs === next && (next !== 'secretary' || state.ended) ? signAs : null,
        canAddAddendum: signAs !== null && state.protocol.status === 'signed',
      },
    };
  }

  /**
   * The PDF of an addendum to the signed protocol with this text — the bytes its author signs —
   * and its number. Only the secretary and the presiding judge, only once the protocol is signed.
   */
  async addendumDraft(user: SessionUser, hearingId: string, ip: string | null, text: string): Promise<{ bytes: Uint8Array; number: number }> {
    const { hearing, state } = await this.#open(user, hearingId, ip);
    const by = await this.#addendumAuthor(user, hearing, state.protocol, ip);
    const number = (await this.#deps.repository.addenda(hearing.caseId, protocolSourceId(hearing.id))).length + 1;
    return { bytes: (await this.#renderAddendum(hearing, state.protocol, by, user.fullName, number, text)).bytes, number };
  }

  /**
   * Adds a signed addendum (a correction after signing, never an edit): verified like the
   * protocol's signatures, stored, and added to the case file attached to the protocol.
   */
  async addAddendum(user: SessionUser, hearingId: string, ip: string | null, input: { text: string; number: number; signature: Buffer }): Promise<ProtocolView> {
    const { hearing, state } = await this.#open(user, hearingId, ip);
    const by = await this.#addendumAuthor(user, hearing, state.protocol, ip);
    const { repository, database } = this.#deps;
    const sourceId = protocolSourceId(hearing.id);
    const number = (await repository.addenda(hearing.caseId, sourceId)).length + 1;
    if (input.number !== number) throw new AppError('stale_version', `The next addendum is no. ${number}`);
    const rendered = await this.#renderAddendum(hearing, state.protocol, by, user.fullName, number, input.text);
    const pdf = Buffer.from(rendered.bytes);
    const pdfSha256 = sha256(pdf);
    const now = new Date(this.#now());
    const check = await checkMotionSignature({ signature: input.signature, content: pdf, roots: this.#deps.trustRoots(), now, filerIin: await repository.userIin(user.id) });
    const inline = (await storeAttachments([{ fileName: 'addendum.pdf', content: pdf, sha256: pdfSha256, size: pdf.length, pages: rendered.pages }], this.#deps.store, this.#deps.staging))[0];
    const context = (await repository.context(hearing.id))!;
    const signatureSha256 = sha256(input.signature);
    const documentId = await database.transaction(async () => {
      await repository.storeFile({ sha256: pdfSha256, size: pdf.length, content: inline }, now);
      await repository.storeFile({ sha256: signatureSha256, size: input.signature.length, content: input.signature }, now);
      return repository.addToCaseFile({
        caseId: hearing.caseId,
        locale: context.locale,
        sourceId: `${sourceId}:addendum:${number}`,
        title: ADDENDUM_TITLES[context.locale](number),
        date: courtClock(context.timeZone, now).date,
        author: user.fullName,
        pdf: { sha256: pdfSha256, size: pdf.length, pages: rendered.pages },
        attachedTo: sourceId,
        signatures: [
          {
            sha256: signatureSha256,
            fileName: `addendum-${number}.p7s`,
            signer: signerOf(check),
          },
        ],
        at: now,
      });
    });
    await this.#deps.audit.record({
      userId: user.id,
      actor: user.username,
      action: 'protocol.addendum',
      outcome: 'allowed',
      caseId: hearing.caseId,
      target: hearing.id,
      ip,
      details: { number, documentId, sha256: pdfSha256 },
    });
    return this.view(user, hearingId, ip);
  }

  async #addendumAuthor(user: SessionUser, hearing: HearingRecord, protocol: ProtocolLiveState, ip: string | null): Promise<'secretary' | 'judge'> {
    const by = this.#signerRole(user, hearing);
    if (!by) {
      await this.#deps.audit.record({
        userId: user.id,
        actor: user.username,
        action: 'protocol.addendum',
        outcome: 'denied',
        caseId: hearing.caseId,
        target: hearing.id,
        ip,
        details: { code: 'forbidden_action' },
      });
      throw new AppError('forbidden_action', 'Only the secretary and the presiding judge of the hearing correct its protocol');
    }
    if (protocol.status !== 'signed') throw new AppError('invalid_transition', 'Before the protocol is signed, notes are edited in it');
    return by;
  }

  async #renderAddendum(hearing: HearingRecord, protocol: ProtocolLiveState, by: 'secretary' | 'judge', author: string, number: number, text: string) {
    const context = (await this.#deps.repository.context(hearing.id))!;
    const openedAt = (await this.#deps.hearingsRepository.liveState(hearing.id))?.openedAt ?? null;
    return renderAddendumPdf({
      locale: context.locale,
      court: context.court,
      caseNumber: context.caseNumber,
      protocolDate: openedAt === null ? null : courtDate(context.timeZone, openedAt),
      protocolSha256: protocol.pdfSha256 ?? '',
      number,
      text,
      author,
      authorRole: by,
      at: protocol.signatures.at(-1)?.at ?? 0,
    });
  }

  /** The PDF: of the signed protocol once the secretary has signed, else of the log as it stands now. */
  async pdf(user: SessionUser, hearingId: string, ip: string | null, version?: number): Promise<{ bytes: Uint8Array; version: number; sha256: string }> {
    const { hearing, state } = await this.#open(user, hearingId, ip);
    const at = this.#versionToShow(state, version);
    const bytes = (await this.#render(hearing.id, at)).bytes;
    return { bytes, version: at, sha256: sha256(bytes) };
  }

  /** The machine-readable sidecar (the whole protocol as JSON) and the recording's chapters (WebVTT). */
  async sidecar(user: SessionUser, hearingId: string, ip: string | null, version?: number): Promise<{ protocol: Protocol; vtt: string }> {
    const { hearing, state } = await this.#open(user, hearingId, ip);
    const protocol = await this.#build(hearing.id, this.#versionToShow(state, version));
    return { protocol, vtt: protocolChapters(protocol) };
  }

  /**
   * Signs the protocol as its secretary (first, after the hearing ended, over the PDF of `version`,
   * the version they were shown) or its presiding judge (second, over the PDF the secretary signed).
   */
  async sign(user: SessionUser, hearingId: string, ip: string | null, input: { version: number; signature: Buffer }): Promise<ProtocolView> {
    const { hearing, seat, state } = await this.#open(user, hearingId, ip);
    const by = this.#signerRole(user, hearing);
    if (!by) {
      await this.#deps.audit.record({
        userId: user.id,
        actor: user.username,
        action: 'protocol.sign',
        outcome: 'denied',
        caseId: hearing.caseId,
        target: hearing.id,
        ip,
        details: { code: 'forbidden_action', role: seat.role },
      });
      throw new AppError('forbidden_action', 'Only the secretary and the presiding judge of the hearing sign its protocol');
    }
    const protocol = state.protocol;
    // The rules decide again when the event is committed; checked here too so that a refusal costs no signature check.
    if (by === 'secretary' && protocol.status !== 'draft') throw new AppError('protocol_already_signed', 'The secretary has already signed the protocol');
    if (by === 'judge' && protocol.status === 'signed') throw new AppError('protocol_already_signed', 'The judge has already signed the protocol');
    if (by === 'judge' && protocol.status === 'draft') throw new AppError('invalid_transition', 'The secretary signs the protocol first');
    if (by === 'secretary' && !state.ended) throw new AppError('invalid_transition', 'The protocol is signed after the hearing has ended');
    // The secretary signs the protocol as it stands; the judge, the one the secretary signed.
    const version = by === 'judge' ? protocol.frozenVersion! : state.version;
    if (input.version !== version) throw new AppError('stale_version', `The protocol to sign is that of version ${version}, not ${input.version}`);

    const rendered = await this.#render(hearing.id, version);
    const pdf = Buffer.from(rendered.bytes);
    const pdfSha256 = sha256(pdf);
    const now = new Date(this.#now());
    const check = await checkMotionSignature({ signature: input.signature, content: pdf, roots: this.#deps.trustRoots(), now, filerIin: await this.#deps.repository.userIin(user.id) });
    const signatureSha256 = sha256(input.signature);
    const signature: ProtocolSignature = {
      by,
      userId: user.id,
      fullName: user.fullName,
      sha256: pdfSha256,
      signatureSha256,
      at: now.getTime(),
      signer: signerOf(check),
    };
    // The PDF goes into the file store first when it is too big to keep inline (an orphan file is harmless; a missing one is not).
    const inline =
      by === 'judge'
        ? (await storeAttachments([{ fileName: 'protocol.pdf', content: pdf, sha256: pdfSha256, size: pdf.length, pages: rendered.pages }], this.#deps.store, this.#deps.staging))[0]
        : null;
    // And the recording the protocol indexes, into the file store too (it is big: never inline).
    const recording = by === 'judge' ? await this.#recordingToFile(hearing.id) : null;

    const { repository, database, hearings } = this.#deps;
    const context = (await repository.context(hearing.id))!;
    await database.transaction(async () => {
      await repository.storeFile({ sha256: signatureSha256, size: input.signature.length, content: input.signature }, now);
      let documentId: string | null = null;
      if (by === 'judge') {
        await repository.storeFile({ sha256: pdfSha256, size: pdf.length, content: inline }, now);
        const secretarySignature = protocol.signatures.find((x) => x.by === 'secretary')!;
        const openedAt = state.openedAt;
        const date = courtDate(context.timeZone, openedAt ?? now);
        documentId = await repository.addToCaseFile({
          caseId: hearing.caseId,
          locale: context.locale,
          sourceId: protocolSourceId(hearing.id),
          title: TITLES[context.locale](date),
          date: date.split('.').reverse().join('-'),
          author: context.secretary ?? context.presidingJudge,
          pdf: { sha256: pdfSha256, size: pdf.length, pages: rendered.pages },
          signatures: [
            { sha256: secretarySignature.signatureSha256, fileName: 'protocol.secretary.p7s', signer: secretarySignature.signer },
            { sha256: signatureSha256, fileName: 'protocol.judge.p7s', signer: signature.signer },
          ],
          at: now,
        });
        if (recording) {
          await repository.storeFile({ sha256: recording.sha256, size: recording.size, content: null }, now);
          await repository.addRecordingToCaseFile({
            caseId: hearing.caseId,
            locale: context.locale,
            sourceId: `${protocolSourceId(hearing.id)}:recording`,
            title: RECORDING_TITLES[context.locale](date),
            date: date.split('.').reverse().join('-'),
            author: context.secretary ?? context.presidingJudge,
            attachedTo: protocolSourceId(hearing.id),
            file: recording,
            at: now,
          });
        }
      }
      await hearings.execute({ user, seat, ip }, hearing.id, { type: 'sign_protocol', signature, frozenVersion: version, documentId });
    });
    await this.#deps.audit.record({
      userId: user.id,
      actor: user.username,
      action: 'protocol.sign',
      outcome: 'allowed',
      caseId: hearing.caseId,
      target: hearing.id,
      ip,
      details: { by, version, sha256: pdfSha256 },
    });
    return this.view(user, hearingId, ip);
  }

  async #recordingToFile(hearingId: string): Promise<{ sha256: string; size: number; durationSec: number; video: boolean } | null> {
    const mix = await this.#deps.recordings.finalMix(hearingId);
    if (!mix) return null;
    return { ...(await storeFileFrom(mix.path, this.#deps.store, this.#deps.staging)), durationSec: mix.durationSec, video: mix.video };
  }

  async #open(
    user: SessionUser,
    hearingId: string,
    ip: string | null,
  ): Promise<{ hearing: HearingRecord; seat: HearingSeat; state: { version: number; openedAt: number | null; ended: boolean; protocol: ProtocolLiveState } }> {
    const hearing = await this.#deps.hearingsRepository.find(hearingId);
    if (!hearing) throw new AppError('not_found', 'No such hearing');
    const seat = await this.#deps.access.seatOf(user, hearing, ip);
    // The wall screen follows the hearing but reads none of its records (cases/wall-screen.ts).
    if (isWallScreen(user)) await refuseWallScreen(this.#deps.audit, user, { action: 'protocol.read', caseId: hearing.caseId, target: hearing.id, ip });
    const live = (await this.#deps.hearingsRepository.liveState(hearingId)) ?? initialLiveState(hearing);
    return { hearing, seat, state: { version: live.version, openedAt: live.openedAt, ended: isEnded(live.status), protocol: live.protocol } };
  }

  /** The frozen version once signed; a given version must be one the log has reached (and not past the frozen one). */
  #versionToShow(state: { version: number; protocol: ProtocolLiveState }, version: number | undefined): number {
    const last = state.protocol.frozenVersion ?? state.version;
    if (version === undefined) return last;
    if (version > last) throw new AppError('not_found', `The protocol has no version ${version}`);
    return version;
  }

  #signerRole(user: SessionUser, hearing: HearingRecord): 'secretary' | 'judge' | null {
    if (user.id === hearing.secretaryId) return 'secretary';
    if (user.id === hearing.presidingJudgeId) return 'judge';
    return null;
  }

  async #build(hearingId: string, version: number): Promise<Protocol> {
    const { caseId: _caseId, ...context } = (await this.#deps.repository.context(hearingId))!;
    return buildProtocol({ ...context, events: await this.#deps.repository.events(hearingId, version) });
  }

  async #render(hearingId: string, version: number): Promise<{ bytes: Uint8Array; pages: number }> {
    const { caseId: _caseId, ...context } = (await this.#deps.repository.context(hearingId))!;
    const events = await this.#deps.repository.events(hearingId, version);
    const protocol = buildProtocol({ ...context, events });
    return renderProtocolPdf(protocol, { publicUrl: this.#deps.publicUrl, lastEventAt: events.at(-1)?.at ?? 0 });
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** What a verified signature established about its signer, as the protocol keeps it. */
function signerOf(check: SignatureInfo): SignatureInfo {
  const { signerName, signerIin, issuer, serialNumber, signingTime, validFrom, validTo } = check;
  return { signerName, signerIin, issuer, serialNumber, signingTime, validFrom, validTo };
}

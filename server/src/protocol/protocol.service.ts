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
 * signatures, in the same transaction as the event that records it. Each signature is verified
 * like a motion's (chain to the court's roots, validity, the certificate carries the signer's IIN).
 */
import { createHash } from 'node:crypto';
import type * as pkijs from 'pkijs';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { SessionUser } from '../auth/auth.service.ts';
import type { HearingAccess, HearingSeat } from '../hearings/hearing-access.ts';
import { EMPTY_PROTOCOL, type ProtocolLiveState, type ProtocolSignature } from '../hearings/hearing-state.ts';
import type { HearingRecord, HearingsRepository } from '../hearings/hearings.repository.ts';
import type { HearingsService } from '../hearings/hearings.service.ts';
import { AppError } from '../http/errors.ts';
import { storeAttachments } from '../motions/motion-files.ts';
import { checkMotionSignature } from '../motions/motion-signature.ts';
import type { LocalFileStore } from '../storage/file-store.ts';
import type { Staging } from '../storage/staging.ts';
import { buildProtocol, protocolChapters, type Protocol } from './protocol-build.ts';
import { renderProtocolPdf } from './protocol-pdf.ts';
import { courtDate } from './protocol-texts.ts';
import type { ProtocolRepository } from './protocol.repository.ts';

export type ProtocolView = {
  caseId: string;
  protocol: Protocol;
  status: ProtocolLiveState['status'];
  frozenVersion: number | null;
  signatures: ProtocolSignature[];
  documentId: string | null;
  /** What this user may do with it now. */
  you: { canEdit: boolean; signAs: 'secretary' | 'judge' | null };
};

type Deps = {
  repository: ProtocolRepository;
  hearings: HearingsService;
  hearingsRepository: HearingsRepository;
  access: HearingAccess;
  audit: AuditRepository;
  store: LocalFileStore;
  staging: Staging;
  trustRoots: () => pkijs.Certificate[];
  atomically: <T>(fn: () => T) => T;
  publicUrl: string;
  now?: () => number;
};

const TITLES = { ru: (date: string) => `Протокол судебного заседания от ${date}`, kk: (date: string) => `${date} сот отырысының хаттамасы` };

export class ProtocolService {
  #deps: Deps;
  #now: () => number;

  constructor(deps: Deps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  /** The protocol as it stands (or as it was at `version`), for whoever may follow the hearing. */
  view(user: SessionUser, hearingId: string, ip: string | null, version?: number): ProtocolView {
    const { hearing, state } = this.#open(user, hearingId, ip);
    const protocol = this.#build(hearing.id, this.#versionToShow(state, version));
    const signAs = this.#signerRole(user, hearing);
    const next = state.protocol.status === 'draft' ? 'secretary' : state.protocol.status === 'signed_by_secretary' ? 'judge' : null;
    return {
      caseId: hearing.caseId,
      protocol,
      status: state.protocol.status,
      frozenVersion: state.protocol.frozenVersion,
      signatures: state.protocol.signatures,
      documentId: state.protocol.documentId,
      you: { canEdit: user.id === hearing.secretaryId && state.protocol.status === 'draft', signAs: signAs === next && (next !== 'secretary' || state.ended) ? signAs : null },
    };
  }

  /** The PDF: of the signed protocol once the secretary has signed, else of the log as it stands now. */
  async pdf(user: SessionUser, hearingId: string, ip: string | null, version?: number): Promise<{ bytes: Uint8Array; version: number; sha256: string }> {
    const { hearing, state } = this.#open(user, hearingId, ip);
    const at = this.#versionToShow(state, version);
    const bytes = (await this.#render(hearing.id, at)).bytes;
    return { bytes, version: at, sha256: sha256(bytes) };
  }

  /** The machine-readable sidecar (the whole protocol as JSON) and the recording's chapters (WebVTT). */
  sidecar(user: SessionUser, hearingId: string, ip: string | null, version?: number): { protocol: Protocol; vtt: string } {
    const { hearing, state } = this.#open(user, hearingId, ip);
    const protocol = this.#build(hearing.id, this.#versionToShow(state, version));
    return { protocol, vtt: protocolChapters(protocol) };
  }

  /**
   * Signs the protocol as its secretary (first, after the hearing ended, over the PDF of `version`,
   * the version they were shown) or its presiding judge (second, over the PDF the secretary signed).
   */
  async sign(user: SessionUser, hearingId: string, ip: string | null, input: { version: number; signature: Buffer }): Promise<ProtocolView> {
    const { hearing, seat, state } = this.#open(user, hearingId, ip);
    const by = this.#signerRole(user, hearing);
    if (!by) {
      this.#deps.audit.record({ userId: user.id, actor: user.username, action: 'protocol.sign', outcome: 'denied', caseId: hearing.caseId, target: hearing.id, ip, details: { code: 'forbidden_action', role: seat.role } });
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
    const check = await checkMotionSignature({ signature: input.signature, content: pdf, roots: this.#deps.trustRoots(), now, filerIin: this.#deps.repository.userIin(user.id) });
    const signatureSha256 = sha256(input.signature);
    const signature: ProtocolSignature = {
      by,
      userId: user.id,
      fullName: user.fullName,
      sha256: pdfSha256,
      signatureSha256,
      at: now.getTime(),
      signer: { signerName: check.signerName, signerIin: check.signerIin, issuer: check.issuer, serialNumber: check.serialNumber, signingTime: check.signingTime, validFrom: check.validFrom, validTo: check.validTo },
    };
    // The PDF goes into the file store first when it is too big to keep inline (an orphan file is harmless; a missing one is not).
    const inline = by === 'judge' ? (await storeAttachments([{ fileName: 'protocol.pdf', content: pdf, sha256: pdfSha256, size: pdf.length, pages: rendered.pages }], this.#deps.store, this.#deps.staging))[0] : null;

    const { repository, atomically, hearings } = this.#deps;
    const context = repository.context(hearing.id)!;
    atomically(() => {
      repository.storeFile({ sha256: signatureSha256, size: input.signature.length, content: input.signature }, now);
      let documentId: string | null = null;
      if (by === 'judge') {
        repository.storeFile({ sha256: pdfSha256, size: pdf.length, content: inline }, now);
        const secretarySignature = protocol.signatures.find((x) => x.by === 'secretary')!;
        const openedAt = state.openedAt;
        const date = openedAt === null ? courtDate(now.getTime()) : courtDate(openedAt);
        documentId = repository.addToCaseFile({
          caseId: hearing.caseId,
          locale: context.locale,
          sourceId: `protocol:${hearing.id}`,
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
      }
      hearings.execute({ user, seat, ip }, hearing.id, { type: 'sign_protocol', signature, frozenVersion: version, documentId });
    });
    this.#deps.audit.record({ userId: user.id, actor: user.username, action: 'protocol.sign', outcome: 'allowed', caseId: hearing.caseId, target: hearing.id, ip, details: { by, version, sha256: pdfSha256 } });
    return this.view(user, hearingId, ip);
  }

  #open(user: SessionUser, hearingId: string, ip: string | null): { hearing: HearingRecord; seat: HearingSeat; state: { version: number; openedAt: number | null; ended: boolean; protocol: ProtocolLiveState } } {
    const hearing = this.#deps.hearingsRepository.find(hearingId);
    if (!hearing) throw new AppError('not_found', 'No such hearing');
    const seat = this.#deps.access.seatOf(user, hearing, ip);
    const live = this.#deps.hearingsRepository.liveState(hearingId);
    const ended = ['adjourned', 'suspended', 'finished'].includes(live?.status ?? hearing.status);
    return { hearing, seat, state: { version: live?.version ?? hearing.version, openedAt: live?.openedAt ?? null, ended, protocol: live?.protocol ?? EMPTY_PROTOCOL } };
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

  #build(hearingId: string, version: number): Protocol {
    const { caseId: _caseId, ...context } = this.#deps.repository.context(hearingId)!;
    return buildProtocol({ ...context, events: this.#deps.repository.events(hearingId, version) });
  }

  async #render(hearingId: string, version: number): Promise<{ bytes: Uint8Array; pages: number }> {
    const { caseId: _caseId, ...context } = this.#deps.repository.context(hearingId)!;
    const events = this.#deps.repository.events(hearingId, version);
    const protocol = buildProtocol({ ...context, events });
    return renderProtocolPdf(protocol, { publicUrl: this.#deps.publicUrl, lastEventAt: events.at(-1)?.at ?? 0 });
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Electronic motions as the motions API answers: the filer's receipt and the case's register (server/src/motions/). */
import type { MotionKind, MotionStatus, MotionSubtype } from '../domain.ts';
import type { HearingMotion, MotionRuling, MotionsEvent } from '../hearing/motions/motions.ts';

type PositionStated = Extract<MotionsEvent, { type: 'motion.position_stated' }>;

/** A value as it crosses HTTP: JSON.stringify writes each Date as its ISO string. */
export type AsJson<T> = T extends Date ? string : T extends (infer U)[] ? AsJson<U>[] : T extends object ? { [K in keyof T]: AsJson<T[K]> } : T;

/** One motion as the register keeps it (the `motions` row without the signed bytes and the signature). */
export type RegisteredMotion = {
  id: string;
  caseId: string;
  /** 1, 2, … within the case: the register's numbering and the receipt's. */
  number: number;
  hearingId: string | null;
  kind: MotionKind;
  subtype: MotionSubtype | null;
  text: string;
  refs: { documentId: string; sheet: number | null }[];
  /** Null for a remote participant without an account. */
  filerUserId: string | null;
  filerParticipantId: string;
  filerRole: string;
  filerName: string;
  contentSha256: string;
  /** The signature check at filing: who the certificate names, by whom issued, until when. */
  signatureCheck: Record<string, string | null>;
  receiptNumber: string;
  filedAt: Date;
  status: MotionStatus;
  ruling: string | null;
  ruledAt: Date | null;
  ruledInHearingId: string | null;
  version: number;
};

/** What each step of a motion's life records, by its action. */
export type MotionStepBody =
  | { action: 'filed'; payload: { receiptNumber: string; sha256: string } }
  /** A motion filed outside the hall, brought before the court in a hearing. */
  | { action: 'taken_up'; payload: Record<string, never> }
  | { action: 'position'; payload: Omit<PositionStated['payload'], 'motionId'> }
  | { action: 'ruled'; payload: { ruling: MotionRuling; reasons: string } };

/** One step in a motion's life (`motion_history`): filed, taken up, a party's position, ruled. */
export type MotionStep = MotionStepBody & {
  motionId: string;
  version: number;
  at: Date;
  actorUserId: string | null;
  actorName: string;
  actorRole: string;
  /** The hearing the step was taken in; null outside a hearing. */
  hearingId: string | null;
};

export type RegisterEntry = {
  motion: RegisteredMotion;
  attachments: HearingMotion['attachments'];
  history: MotionStep[];
};

/** What the filer gets back: proof of what the court received, and when. */
export type MotionReceipt = {
  motionId: string;
  number: number;
  receiptNumber: string;
  receivedAt: number;
  /** SHA-256 of the canonical bytes received (what the signature is over). */
  sha256: string;
  attachments: { fileName: string; sha256: string; size: number }[];
  signer: { name: string; iin: string; issuer: string };
};

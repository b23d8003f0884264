/**
 * The case and hearing shapes of the API's answers (GET /api/cases, /api/cases/:id, /api/hearings…):
 * built by server/src/cases/cases.repository.ts, read by the web app.
 */
import type { CaseStatus, HearingStatus, ParticipantRole, Qualification, TrialStage } from '../domain.ts';

export type Localized = { kk: string; ru: string; en: string };

export type HearingWithCase = HearingSummary & { case: CaseSummary };

export type HearingSummary = {
  id: string;
  caseId: string;
  scheduledAt: string;
  status: HearingStatus;
  stage: TrialStage | null;
  closed: boolean;
  hall: { id: string; name: Localized };
  presidingJudge: { id: string; fullName: string };
};

export type CaseSummary = {
  id: string;
  caseNumber: string;
  erdrNumber: string | null;
  summary: Localized;
  category: 'crime' | 'misdemeanor';
  language: 'kk' | 'ru';
  status: CaseStatus;
  receivedAt: string;
};

/** One change of the case's status, as recorded (`case_status_changes`): when, from what to what, why, by whom. */
export type CaseStatusEntry = {
  at: string;
  from: CaseStatus;
  to: CaseStatus;
  kind: CaseStatusChangeKind;
  /** A suspension's reason, as the court announced it. */
  reason: string | null;
  /** The hearing whose event made the change. */
  hearingId: string | null;
  by: { userId: string | null; fullName: string };
};

export type CaseDetail = CaseSummary & {
  qualification: Qualification[];
  staff: { userId: string; fullName: string; role: 'judge' | 'secretary' }[];
  participants: { id: string; role: ParticipantRole; fullName: string }[];
  hearings: HearingSummary[];
  /** While the case is suspended: since when and why. */
  suspension: { at: string; reason: string | null } | null;
  closedAt: string | null;
  /** Every change of its status, oldest first. */
  statusHistory: CaseStatusEntry[];
};

/** What a change is called on the case page and in the API: the start of the trial, a suspension, a resumption, the closing. */
export type CaseStatusChangeKind = 'trial_started' | 'suspended' | 'resumed' | 'closed';

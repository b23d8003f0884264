/**
 * The shapes of the API's answers, as the web app uses them. The server's own types
 * (server/src/cases/cases.repository.ts) keep statuses as plain strings; here they are the
 * closed lists from db/schema.ts so the dictionaries can be checked against them.
 */
export type Locale = 'kk' | 'ru' | 'en';
export const LOCALES: readonly Locale[] = ['kk', 'ru', 'en'];

/** A text the server keeps in all three languages. */
export type Localized = Record<Locale, string>;

export type StaffRole = 'judge' | 'secretary' | 'prosecutor' | 'defender' | 'office' | 'chair' | 'admin';

export type ParticipantRole =
  | 'defendant'
  | 'victim'
  | 'victim_representative'
  | 'civil_plaintiff'
  | 'witness'
  | 'expert'
  | 'specialist'
  | 'interpreter'
  | 'prosecutor'
  | 'defender';

export type HearingStatus = 'scheduled' | 'in_progress' | 'break' | 'adjourned' | 'suspended' | 'finished';
export type TrialStage = 'preparatory' | 'investigation' | 'pleadings' | 'last_word' | 'deliberation' | 'announcement';
export type CaseStatus = 'received' | 'in_trial' | 'suspended' | 'closed';
export type CaseCategory = 'crime' | 'misdemeanor';

export type Court = { id: string; code: string; name: Localized; timezone: string };

export type User = {
  id: string;
  username: string;
  fullName: string;
  roles: StaffRole[];
  locale: Locale;
  court: Court | null;
};

/** GET /api/me, PATCH /api/me and POST /api/auth/login all answer with this. */
export type MeResponse = { user: User; csrfToken: string };

export type CaseSummary = {
  id: string;
  caseNumber: string;
  erdrNumber: string | null;
  summary: Localized;
  category: CaseCategory;
  language: 'kk' | 'ru';
  status: CaseStatus;
  receivedAt: string;
};

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

export type HearingWithCase = HearingSummary & { case: CaseSummary };

export type Qualification = { code: string; article: string; part?: string; paragraph?: string; text?: string };

export type CaseDetail = CaseSummary & {
  qualification: Qualification[];
  staff: { userId: string; fullName: string; role: 'judge' | 'secretary' }[];
  participants: { id: string; role: ParticipantRole; fullName: string }[];
  hearings: HearingSummary[];
};

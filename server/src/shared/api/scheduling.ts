/**
 * Scheduling hearings as the API answers and accepts it: the form's options and input, a case's
 * hearings with their summonses and the notices sent (server/src/hearings/scheduling.*).
 */
import type { HearingStatus, NotificationChannel, NotificationKind, NotificationStatus, ParticipantRole, ScheduleAction, TrialStage } from '../domain.ts';
import type { Localized } from './cases.ts';

export type HallRecord = { id: string; courtId: string; code: string; name: Localized; address: { kk: string | null; ru: string | null } };

export type PersonRef = { id: string; fullName: string };

/** A participant with the contacts a summons goes to: their own, else their account's. */
export type ParticipantContact = {
  id: string;
  role: ParticipantRole;
  fullName: string;
  email: string | null;
  phone: string | null;
  language: string | null;
  accountLocale: string | null;
};

export type SummonsView = {
  id: string;
  participantId: string;
  role: ParticipantRole;
  fullName: string;
  summonedAt: string;
  /** Set when the participant was taken off the list; kept so their notice stays visible. */
  withdrawnAt: string | null;
};

export type ScheduleEntry = {
  action: ScheduleAction;
  at: string;
  by: string;
  reason: string | null;
  changes: Record<string, { from: unknown; to: unknown }> | null;
};

export type ScheduledHearing = {
  id: string;
  caseId: string;
  scheduledAt: string;
  endsAt: string;
  durationMinutes: number;
  status: HearingStatus;
  stage: TrialStage | null;
  closed: boolean;
  hall: { id: string; name: Localized; address: { kk: string | null; ru: string | null } };
  presidingJudge: PersonRef;
  secretary: PersonRef | null;
  summons: SummonsView[];
  history: ScheduleEntry[];
};

/** What the case page shows of one message. */
export type NoticeStatus = {
  id: string;
  summonsId: string | null;
  kind: NotificationKind;
  channel: NotificationChannel;
  recipient: string;
  status: NotificationStatus;
  attempts: number;
  createdAt: string;
  sentAt: string | null;
  nextAttemptAt: string | null;
  lastError: string | null;
};

/** What the schedule form sends: the date and time are the court's wall clock. */
export type ScheduleInput = {
  hallId: string;
  date: string;
  time: string;
  durationMinutes?: number;
  presidingJudgeId: string;
  secretaryId: string;
  closed: boolean;
  participantIds: string[];
};

export type RescheduleInput = Partial<ScheduleInput>;

/** A summons as those who schedule see it: with the contacts used and what became of each notice. */
export type SummonsDetail = SummonsView & { contacts?: { email: string | null; phone: string | null }; notices?: NoticeStatus[] };

export type HearingDetail = Omit<ScheduledHearing, 'summons'> & { summons: SummonsDetail[] };

export type CaseHearings = {
  hearings: HearingDetail[];
  /** May this user schedule, move and cancel hearings of the case? */
  canSchedule: boolean;
  timeZone: string;
};

export type HearingOptions = {
  timeZone: string;
  defaultDurationMinutes: number;
  halls: HallRecord[];
  judges: PersonRef[];
  secretaries: PersonRef[];
  participants: ParticipantContact[];
  /** The case's own judge and secretary, which the form proposes. */
  defaults: { presidingJudgeId: string | null; secretaryId: string | null };
  /** The channels this server sends notices on; a summons on another is recorded as not sent. */
  channels: Record<NotificationChannel, boolean>;
};

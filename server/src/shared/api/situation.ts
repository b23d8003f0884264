/**
 * The situation centre as GET /api/situation/* answers it: the court's figures, their trends, the
 * procedural time limits watched, and the cases behind a figure (server/src/situation/).
 */
import type { Localized } from './cases.ts';

/** The procedural time limits watched (server/src/situation/deadline-rules.ts says each one's days and source). */
export const DEADLINE_RULE_IDS = ['first_hearing', 'trial_length', 'custody'] as const;
export type DeadlineRuleId = (typeof DEADLINE_RULE_IDS)[number];

/** The figures a drill-down can list the cases of. */
export const FIGURES = ['received_day', 'received_week', 'received_month', 'open', 'suspended', 'breached', 'due_soon', 'hearings_today', 'running'] as const;
export type Figure = (typeof FIGURES)[number];

export type SituationCounts = { open: number; suspended: number; receivedMonth: number; breached: number; dueSoon: number };

export type Dashboard = {
  courtId: string | null;
  timezone: string;
  /** The moment the figures are for, and its court-local date. */
  at: string;
  date: string;
  received: { day: number; week: number; month: number };
  trend: { days: Point[]; weeks: Point[]; months: Point[] };
  hearings: { today: Record<string, number>; todayTotal: number; running: number };
  open: number;
  suspended: { total: number; longest: (DrillCase & { daysSuspended: number })[] };
  deadlines: { rule: DeadlineRuleId; days: number; name: Localized; source: Localized; open: number; breached: number; dueSoon: number }[];
  byJudge: ({ judgeId: string | null; name: string | null } & SituationCounts)[];
  byCategory: ({ category: string } & SituationCounts)[];
};

export type Point = { label: string; from: string; count: number };

export type DrillCase = {
  id: string;
  caseNumber: string;
  category: string;
  status: string;
  receivedAt: string;
  suspendedAt: string | null;
  judge: { id: string; fullName: string } | null;
  deadline?: { rule: DeadlineRuleId; due: string };
};

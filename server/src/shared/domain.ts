/**
 * The court's enumerations and the small value shapes stored with them, shared by the database
 * schema (db/schema.ts checks its columns against these lists), the server and the web app. Pure:
 * no drizzle here, so the browser can import it.
 */

export const LOCALES = ['kk', 'ru', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/**
 * Roles of people who log in. A user may hold several (a judge who is also the court chair).
 * `hall_display` is the account of a hall's wall screen (bound to its hall in `hall_displays`).
 */
export const STAFF_ROLES = ['judge', 'secretary', 'prosecutor', 'defender', 'office', 'chair', 'admin', 'hall_display'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Procedural statuses a person has in one case. */
export const PARTICIPANT_ROLES = [
  'defendant',
  'victim',
  'victim_representative',
  'civil_plaintiff',
  'civil_defendant',
  'legal_representative',
  'witness',
  'expert',
  'specialist',
  'interpreter',
  'prosecutor',
  'defender',
] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

export const CASE_STATUSES = ['received', 'in_trial', 'suspended', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** `cancelled`: called off by the court office or the judge before it began (scheduling, below). */
export const HEARING_STATUSES = ['scheduled', 'in_progress', 'break', 'adjourned', 'suspended', 'finished', 'cancelled'] as const;
export type HearingStatus = (typeof HEARING_STATUSES)[number];

export const TRIAL_STAGES = ['preparatory', 'investigation', 'pleadings', 'last_word', 'deliberation', 'announcement'] as const;
export type TrialStage = (typeof TRIAL_STAGES)[number];

export type Qualification = { code: string; article: string; part?: string; paragraph?: string; text?: string };

export const INGESTION_OUTCOMES = ['accepted', 'rejected', 'duplicate_erdr', 'already_accepted'] as const;
export type IngestionOutcome = (typeof INGESTION_OUTCOMES)[number];

export type SignatureInfo = {
  signerName: string;
  signerIin: string | null;
  issuer: string;
  serialNumber: string;
  signingTime: string | null;
  validFrom: string;
  validTo: string;
};

export const DOCUMENT_KINDS = ['pdf', 'electronic', 'media'] as const;

/** `motion.filed`: a motion filed outside the hall, told to the judge and the parties. */
export const NOTIFICATION_KINDS = ['hearing.scheduled', 'hearing.rescheduled', 'hearing.cancelled', 'summons.withdrawn', 'motion.filed', 'remote.invitation'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
/** The notices about a hearing's schedule (scheduling.*, summons-text.ts). */
export type HearingNoticeKind = Exclude<NotificationKind, 'motion.filed'>;
export const NOTIFICATION_CHANNELS = ['email', 'sms'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];
/**
 * pending: waiting to be sent (again, at `next_attempt_at`); sent; failed: given up after the last
 * attempt; skipped: the channel is not configured on this server, so nothing was sent.
 */
export const NOTIFICATION_STATUSES = ['pending', 'sent', 'failed', 'skipped'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** A rectangle on a page as fractions of the page's width and height, from its top-left corner. */
export type PageRegion = { x: number; y: number; w: number; h: number };

/** ходатайство, отвод, возражение на действия председательствующего, заявление. */
export const MOTION_KINDS = ['motion', 'recusal', 'objection', 'statement'] as const;
export type MotionKind = (typeof MOTION_KINDS)[number];
/** A motion's particular request, when it has one the court handles specially. */
export const MOTION_SUBTYPES = ['remote_participation'] as const;
export type MotionSubtype = (typeof MOTION_SUBTYPES)[number];
/** `filed` until the judge rules; `deferred` is a ruling that leaves it open for later. */
export const MOTION_STATUSES = ['filed', 'granted', 'denied', 'granted_in_part', 'deferred'] as const;
export type MotionStatus = (typeof MOTION_STATUSES)[number];
export const MOTION_POSITIONS = ['supports', 'objects', 'leaves_to_court'] as const;
export type MotionPosition = (typeof MOTION_POSITIONS)[number];

export const ACT_KINDS = ['verdict', 'ruling', 'decision'] as const;
export type ActKind = (typeof ACT_KINDS)[number];
/** What the act decided: conviction, acquittal, the case terminated, sent back to the prosecutor, other. */
export const ACT_OUTCOMES = ['conviction', 'acquittal', 'termination', 'returned', 'other'] as const;
export type ActOutcome = (typeof ACT_OUTCOMES)[number];

/** What happened to a hearing's schedule, by whom and why: the history the case page shows. */
export const SCHEDULE_ACTIONS = ['scheduled', 'rescheduled', 'cancelled'] as const;
export type ScheduleAction = (typeof SCHEDULE_ACTIONS)[number];

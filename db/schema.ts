/**
 * The database schema (drizzle, SQLite dialect for the embedded default).
 *
 * Portability rules, so the same model can move to PostgreSQL: ids are text UUIDs made by the
 * application, times are UTC milliseconds, enumerations are checked text, JSON is stored as text,
 * and nothing in the domain layer relies on SQLite-only SQL.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const LOCALES = ['kk', 'ru', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/** Roles of people who log in. A user may hold several (a judge who is also the court chair). */
export const STAFF_ROLES = ['judge', 'secretary', 'prosecutor', 'defender', 'office', 'chair', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** Procedural statuses a person has in one case. */
export const PARTICIPANT_ROLES = [
  'defendant',
  'victim',
  'victim_representative',
  'civil_plaintiff',
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

export const HEARING_STATUSES = ['scheduled', 'in_progress', 'break', 'adjourned', 'suspended', 'finished'] as const;
export type HearingStatus = (typeof HEARING_STATUSES)[number];

export const TRIAL_STAGES = ['preparatory', 'investigation', 'pleadings', 'last_word', 'deliberation', 'announcement'] as const;
export type TrialStage = (typeof TRIAL_STAGES)[number];

const timestamp = (name: string) => integer(name, { mode: 'timestamp_ms' });
const inList = (column: string, values: readonly string[]) =>
  sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(', ')})`);

export const courts = sqliteTable('courts', {
  id: text('id').primaryKey(),
  code: text('code').notNull().unique(),
  nameKk: text('name_kk').notNull(),
  nameRu: text('name_ru').notNull(),
  nameEn: text('name_en').notNull(),
  timezone: text('timezone').notNull().default('Asia/Almaty'),
  createdAt: timestamp('created_at').notNull().$defaultFn(() => new Date()),
});

export const halls = sqliteTable(
  'halls',
  {
    id: text('id').primaryKey(),
    courtId: text('court_id').notNull().references(() => courts.id),
    code: text('code').notNull(),
    nameKk: text('name_kk').notNull(),
    nameRu: text('name_ru').notNull(),
    nameEn: text('name_en').notNull(),
  },
  (t) => [uniqueIndex('halls_court_code').on(t.courtId, t.code)],
);

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    username: text('username').notNull().unique(),
    passwordHash: text('password_hash').notNull(),
    fullName: text('full_name').notNull(),
    iin: text('iin'),
    email: text('email'),
    phone: text('phone'),
    locale: text('locale', { enum: LOCALES }).notNull().default('ru'),
    courtId: text('court_id').references(() => courts.id),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: timestamp('created_at').notNull().$defaultFn(() => new Date()),
  },
  (t) => [check('users_locale', inList('locale', LOCALES))],
);

export const userRoles = sqliteTable(
  'user_roles',
  {
    userId: text('user_id').notNull().references(() => users.id),
    role: text('role', { enum: STAFF_ROLES }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.role] }), check('user_roles_role', inList('role', STAFF_ROLES))],
);

/** Server-side sessions: the cookie carries a random token, the table keeps only its SHA-256. */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull().references(() => users.id),
    createdAt: timestamp('created_at').notNull(),
    expiresAt: timestamp('expires_at').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

export type Qualification = { code: string; article: string; part?: string; paragraph?: string; text?: string };

export const cases = sqliteTable(
  'cases',
  {
    id: text('id').primaryKey(),
    courtId: text('court_id').notNull().references(() => courts.id),
    caseNumber: text('case_number').notNull().unique(),
    erdrNumber: text('erdr_number').unique(),
    category: text('category', { enum: ['crime', 'misdemeanor'] }).notNull(),
    language: text('language', { enum: ['kk', 'ru'] }).notNull(),
    summaryKk: text('summary_kk').notNull(),
    summaryRu: text('summary_ru').notNull(),
    summaryEn: text('summary_en').notNull(),
    qualification: text('qualification', { mode: 'json' }).$type<Qualification[]>().notNull(),
    status: text('status', { enum: CASE_STATUSES }).notNull().default('received'),
    receivedAt: timestamp('received_at').notNull(),
    suspendedAt: timestamp('suspended_at'),
    closedAt: timestamp('closed_at'),
    createdAt: timestamp('created_at').notNull().$defaultFn(() => new Date()),
  },
  (t) => [
    index('cases_court_status').on(t.courtId, t.status),
    check('cases_status', inList('status', CASE_STATUSES)),
    check('cases_category', inList('category', ['crime', 'misdemeanor'])),
    check('cases_language', inList('language', ['kk', 'ru'])),
  ],
);

/** Court staff assigned to a case: the judge who hears it and the secretary who keeps its record. */
export const caseStaff = sqliteTable(
  'case_staff',
  {
    caseId: text('case_id').notNull().references(() => cases.id),
    userId: text('user_id').notNull().references(() => users.id),
    role: text('role', { enum: ['judge', 'secretary'] }).notNull(),
    assignedAt: timestamp('assigned_at').notNull().$defaultFn(() => new Date()),
  },
  (t) => [
    primaryKey({ columns: [t.caseId, t.userId, t.role] }),
    index('case_staff_user').on(t.userId),
    check('case_staff_role', inList('role', ['judge', 'secretary'])),
  ],
);

/** People with a procedural status in a case; `userId` links those who log in (prosecutor, lawyer). */
export const caseParticipants = sqliteTable(
  'case_participants',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id').notNull().references(() => cases.id),
    role: text('role', { enum: PARTICIPANT_ROLES }).notNull(),
    fullName: text('full_name').notNull(),
    iin: text('iin'),
    birthDate: text('birth_date'),
    address: text('address'),
    email: text('email'),
    phone: text('phone'),
    userId: text('user_id').references(() => users.id),
    createdAt: timestamp('created_at').notNull().$defaultFn(() => new Date()),
  },
  (t) => [
    index('case_participants_case').on(t.caseId),
    index('case_participants_user').on(t.userId),
    check('case_participants_role', inList('role', PARTICIPANT_ROLES)),
  ],
);

export const hearings = sqliteTable(
  'hearings',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id').notNull().references(() => cases.id),
    hallId: text('hall_id').notNull().references(() => halls.id),
    scheduledAt: timestamp('scheduled_at').notNull(),
    presidingJudgeId: text('presiding_judge_id').notNull().references(() => users.id),
    secretaryId: text('secretary_id').references(() => users.id),
    status: text('status', { enum: HEARING_STATUSES }).notNull().default('scheduled'),
    stage: text('stage', { enum: TRIAL_STAGES }),
    /** A closed hearing (закрытое заседание) is invisible to the public. */
    closed: integer('closed', { mode: 'boolean' }).notNull().default(false),
    /** Bumped by every state change; clients use it to detect a missed update. */
    version: integer('version').notNull().default(0),
    createdAt: timestamp('created_at').notNull().$defaultFn(() => new Date()),
  },
  (t) => [
    index('hearings_case').on(t.caseId),
    index('hearings_scheduled').on(t.scheduledAt),
    check('hearings_status', inList('status', HEARING_STATUSES)),
  ],
);

/**
 * Append-only audit log: who did or tried what, to which case, with what outcome.
 * The migration adds triggers that refuse UPDATE and DELETE on this table.
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: timestamp('at').notNull(),
    userId: text('user_id'),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    outcome: text('outcome', { enum: ['allowed', 'denied', 'failed'] }).notNull(),
    caseId: text('case_id'),
    target: text('target'),
    ip: text('ip'),
    details: text('details', { mode: 'json' }).$type<Record<string, unknown>>(),
  },
  (t) => [index('audit_case').on(t.caseId), index('audit_at').on(t.at)],
);

/**
 * The database schema (drizzle, SQLite dialect for the embedded default).
 *
 * Portability rules, so the same model can move to PostgreSQL: ids are text UUIDs made by the
 * application, times are UTC milliseconds, enumerations are checked text, JSON is stored as text,
 * and nothing in the domain layer relies on SQLite-only SQL.
 */
import { sql } from 'drizzle-orm';
import { blob, check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import {
  LOCALES,
  STAFF_ROLES,
  PARTICIPANT_ROLES,
  CASE_STATUSES,
  HEARING_STATUSES,
  TRIAL_STAGES,
  INGESTION_OUTCOMES,
  DOCUMENT_KINDS,
  NOTIFICATION_KINDS,
  NOTIFICATION_CHANNELS,
  NOTIFICATION_STATUSES,
  MOTION_KINDS,
  MOTION_SUBTYPES,
  MOTION_STATUSES,
  ACT_KINDS,
  ACT_OUTCOMES,
  SCHEDULE_ACTIONS,
  type Qualification,
  type SignatureInfo,
  type PageRegion,
} from '../server/src/shared/domain.ts';

// The enumerations and value shapes the web app shares too live in server/src/shared/domain.ts;
// the schema checks its columns against them and passes them on to the server's modules.
export * from '../server/src/shared/domain.ts';

const timestamp = (name: string) => integer(name, { mode: 'timestamp_ms' });
const inList = (column: string, values: readonly string[]) => sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(', ')})`);

export const courts = sqliteTable('courts', {
  id: text('id').primaryKey(),
  code: text('code').notNull().unique(),
  nameKk: text('name_kk').notNull(),
  nameRu: text('name_ru').notNull(),
  nameEn: text('name_en').notNull(),
  timezone: text('timezone').notNull().default('Asia/Almaty'),
  createdAt: timestamp('created_at')
    .notNull()
    .$defaultFn(() => new Date()),
});

export const halls = sqliteTable(
  'halls',
  {
    id: text('id').primaryKey(),
    courtId: text('court_id')
      .notNull()
      .references(() => courts.id),
    code: text('code').notNull(),
    nameKk: text('name_kk').notNull(),
    nameRu: text('name_ru').notNull(),
    nameEn: text('name_en').notNull(),
    /** Where the hall is, as a summons states it (the court's building, floor, room); null: not recorded. */
    addressKk: text('address_kk'),
    addressRu: text('address_ru'),
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
    createdAt: timestamp('created_at')
      .notNull()
      .$defaultFn(() => new Date()),
  },
  () => [check('users_locale', inList('locale', LOCALES))],
);

export const userRoles = sqliteTable(
  'user_roles',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    role: text('role', { enum: STAFF_ROLES }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.role] }), check('user_roles_role', inList('role', STAFF_ROLES))],
);

/** Server-side sessions: the cookie carries a random token, the table keeps only its SHA-256. */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at').notNull(),
    expiresAt: timestamp('expires_at').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user').on(t.userId)],
);

export const cases = sqliteTable(
  'cases',
  {
    id: text('id').primaryKey(),
    courtId: text('court_id')
      .notNull()
      .references(() => courts.id),
    caseNumber: text('case_number').notNull().unique(),
    erdrNumber: text('erdr_number').unique(),
    category: text('category', { enum: ['crime', 'misdemeanor'] }).notNull(),
    language: text('language', { enum: ['kk', 'ru'] }).notNull(),
    summaryKk: text('summary_kk').notNull(),
    summaryRu: text('summary_ru').notNull(),
    summaryEn: text('summary_en').notNull(),
    qualification: text('qualification', { mode: 'json' }).$type<Qualification[]>().notNull(),
    /** The plot of the case as the prosecution describes it (фабула), in the language of proceedings. */
    description: text('description'),
    status: text('status', { enum: CASE_STATUSES }).notNull().default('received'),
    receivedAt: timestamp('received_at').notNull(),
    suspendedAt: timestamp('suspended_at'),
    closedAt: timestamp('closed_at'),
    createdAt: timestamp('created_at')
      .notNull()
      .$defaultFn(() => new Date()),
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
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    role: text('role', { enum: ['judge', 'secretary'] }).notNull(),
    assignedAt: timestamp('assigned_at')
      .notNull()
      .$defaultFn(() => new Date()),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.userId, t.role] }), index('case_staff_user').on(t.userId), check('case_staff_role', inList('role', ['judge', 'secretary']))],
);

/** People with a procedural status in a case; `userId` links those who log in (prosecutor, lawyer). */
export const caseParticipants = sqliteTable(
  'case_participants',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    role: text('role', { enum: PARTICIPANT_ROLES }).notNull(),
    fullName: text('full_name').notNull(),
    iin: text('iin'),
    birthDate: text('birth_date'),
    address: text('address'),
    email: text('email'),
    phone: text('phone'),
    language: text('language'),
    inCustody: integer('in_custody', { mode: 'boolean' }),
    /** The participant's id in the ERDR package (p1, p2, …), kept to resolve who represents whom. */
    sourceId: text('source_id'),
    representedBy: text('represented_by', { mode: 'json' }).$type<string[]>(),
    userId: text('user_id').references(() => users.id),
    createdAt: timestamp('created_at')
      .notNull()
      .$defaultFn(() => new Date()),
  },
  (t) => [index('case_participants_case').on(t.caseId), index('case_participants_user').on(t.userId), check('case_participants_role', inList('role', PARTICIPANT_ROLES))],
);

export const hearings = sqliteTable(
  'hearings',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    hallId: text('hall_id')
      .notNull()
      .references(() => halls.id),
    scheduledAt: timestamp('scheduled_at').notNull(),
    presidingJudgeId: text('presiding_judge_id')
      .notNull()
      .references(() => users.id),
    secretaryId: text('secretary_id').references(() => users.id),
    status: text('status', { enum: HEARING_STATUSES }).notNull().default('scheduled'),
    stage: text('stage', { enum: TRIAL_STAGES }),
    /** A closed hearing (закрытое заседание) is invisible to the public. */
    closed: integer('closed', { mode: 'boolean' }).notNull().default(false),
    /** The hall is booked from `scheduledAt` for this long (HEARING_DEFAULT_DURATION_MINUTES unless set). */
    durationMinutes: integer('duration_minutes').notNull().default(120),
    /** Bumped by every state change; clients use it to detect a missed update. */
    version: integer('version').notNull().default(0),
    createdAt: timestamp('created_at')
      .notNull()
      .$defaultFn(() => new Date()),
  },
  (t) => [index('hearings_case').on(t.caseId), index('hearings_scheduled').on(t.scheduledAt), check('hearings_status', inList('status', HEARING_STATUSES))],
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

/**
 * The audit log's hash chain: for each audit row, sha256 of the previous row's hash and
 * the row itself (server/src/audit/audit-chain.ts). A row changed or removed, even with the
 * append-only triggers dropped, breaks the chain from there on. Append-only like the log.
 */
export const auditChain = sqliteTable('audit_chain', {
  auditId: integer('audit_id')
    .primaryKey()
    .references(() => auditLog.id),
  hash: text('hash').notNull(),
});

/**
 * The chain's head, checkpointed at every start and daily, with an HMAC under the installation's
 * secret: rows removed from the end, or a chain recomputed from scratch, no longer match a checkpoint.
 */
export const auditCheckpoints = sqliteTable('audit_checkpoints', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  at: timestamp('at').notNull(),
  auditId: integer('audit_id').notNull(),
  hash: text('hash').notNull(),
  signature: text('signature').notNull(),
});

/** Integration clients (the ERDR side) that may hand cases over; only a hash of the token is kept. */
export const integrationClients = sqliteTable('integration_clients', {
  id: text('id').primaryKey(),
  name: text('name').notNull().unique(),
  tokenHash: text('token_hash').notNull().unique(),
  createdAt: timestamp('created_at')
    .notNull()
    .$defaultFn(() => new Date()),
  revokedAt: timestamp('revoked_at'),
});

/** Content-addressed files (case documents, signatures, recordings): one row per distinct content. */
export const storedFiles = sqliteTable('stored_files', {
  sha256: text('sha256').primaryKey(),
  size: integer('size').notNull(),
  /**
   * A small file's bytes (at most FILES_INLINE_MAX_KB, see server/src/storage/file-store.ts), kept in the
   * database itself; null when the file lives in the file store. SQLite reads and writes blobs of
   * this size faster than the file system creates files, and a row cannot be orphaned.
   */
  content: blob('content', { mode: 'buffer' }),
  storedAt: timestamp('stored_at')
    .notNull()
    .$defaultFn(() => new Date()),
});

/** Every package received, whatever became of it: the court office's ingestion log. */
export const ingestions = sqliteTable(
  'ingestions',
  {
    id: text('id').primaryKey(),
    receivedAt: timestamp('received_at').notNull(),
    /** `client:<name>` for the intake API, a username for the office screen, `cli` for the command line. */
    via: text('via').notNull(),
    /** The recipient court named in the package, when it could be read. */
    courtCode: text('court_code'),
    packageId: text('package_id'),
    erdrNumber: text('erdr_number'),
    senderOrgan: text('sender_organ'),
    senderOfficer: text('sender_officer'),
    manifestSha256: text('manifest_sha256'),
    archiveBytes: integer('archive_bytes'),
    outcome: text('outcome', { enum: INGESTION_OUTCOMES }).notNull(),
    caseId: text('case_id').references(() => cases.id),
    problems: text('problems', { mode: 'json' }).$type<{ code: string; path: string; message: string }[]>(),
  },
  (t) => [index('ingestions_received').on(t.receivedAt), index('ingestions_package').on(t.packageId), check('ingestions_outcome', inList('outcome', INGESTION_OUTCOMES))],
);

/** The accepted package behind a case: what the prosecutor signed, kept to verify it later. */
export const casePackages = sqliteTable('case_packages', {
  caseId: text('case_id')
    .primaryKey()
    .references(() => cases.id),
  packageId: text('package_id').notNull().unique(),
  manifestSha256: text('manifest_sha256')
    .notNull()
    .references(() => storedFiles.sha256),
  signatureSha256: text('signature_sha256')
    .notNull()
    .references(() => storedFiles.sha256),
  signer: text('signer', { mode: 'json' }).$type<SignatureInfo>().notNull(),
  ingestionId: text('ingestion_id')
    .notNull()
    .references(() => ingestions.id),
  createdAt: timestamp('created_at')
    .notNull()
    .$defaultFn(() => new Date()),
});

export const volumes = sqliteTable(
  'volumes',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    number: integer('number').notNull(),
    title: text('title').notNull(),
    sheets: integer('sheets').notNull(),
  },
  (t) => [uniqueIndex('volumes_case_number').on(t.caseId, t.number)],
);

/** The case file: every document in inventory order (volume, then position), with its file. */
export const documents = sqliteTable(
  'documents',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    volumeId: text('volume_id')
      .notNull()
      .references(() => volumes.id),
    position: integer('position').notNull(),
    /** The document's id in the ERDR package (d1, m1, …). */
    sourceId: text('source_id').notNull(),
    kind: text('kind', { enum: DOCUMENT_KINDS }).notNull(),
    type: text('type').notNull(),
    title: text('title').notNull(),
    date: text('date'),
    author: text('author'),
    fileSha256: text('file_sha256')
      .notNull()
      .references(() => storedFiles.sha256),
    fileName: text('file_name').notNull(),
    size: integer('size').notNull(),
    mimeType: text('mime_type').notNull(),
    pages: integer('pages'),
    sheetFrom: integer('sheet_from'),
    sheetTo: integer('sheet_to'),
    durationSec: integer('duration_sec'),
    attachedToSourceId: text('attached_to_source_id'),
    createdAt: timestamp('created_at')
      .notNull()
      .$defaultFn(() => new Date()),
  },
  (t) => [uniqueIndex('documents_volume_position').on(t.volumeId, t.position), uniqueIndex('documents_case_source').on(t.caseId, t.sourceId), check('documents_kind', inList('kind', DOCUMENT_KINDS))],
);

/** Detached CMS signatures of documents, with what was established when they were verified. */
export const documentSignatures = sqliteTable(
  'document_signatures',
  {
    id: text('id').primaryKey(),
    documentId: text('document_id')
      .notNull()
      .references(() => documents.id),
    fileSha256: text('file_sha256')
      .notNull()
      .references(() => storedFiles.sha256),
    fileName: text('file_name').notNull(),
    signer: text('signer', { mode: 'json' }).$type<SignatureInfo>().notNull(),
    verifiedAt: timestamp('verified_at').notNull(),
  },
  (t) => [index('document_signatures_document').on(t.documentId)],
);

export const materialEvidence = sqliteTable(
  'material_evidence',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    sourceId: text('source_id').notNull(),
    description: text('description').notNull(),
    storage: text('storage'),
  },
  (t) => [index('material_evidence_case').on(t.caseId)],
);

/**
 * The live state of a hearing once it has been opened: stage, break, attendance, who has the floor,
 * the shown page (`HearingLiveState` in server/src/hearings/hearing-state.ts, stored as JSON).
 * Written in the same transaction as the events that led to it, together with `hearings.status`,
 * `.stage` and `.version`, so a restart restores exactly what was last broadcast. Without the
 * secretary's notes: they grow all day, so they are rows of their own (below).
 */
export const hearingStates = sqliteTable('hearing_states', {
  hearingId: text('hearing_id')
    .primaryKey()
    .references(() => hearings.id),
  state: text('state', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  updatedAt: timestamp('updated_at').notNull(),
});

/**
 * The secretary's notes of a hearing's short protocol as they stand now (`ProtocolNote`), one row
 * per note, out of the stored live state: a command writes the note it adds or edits, not every
 * note of the day (docs/realtime-protocol.md, "What a command costs"). Written with the events
 * that change them, in their transaction; the log keeps every earlier wording.
 */
export const hearingProtocolNotes = sqliteTable(
  'hearing_protocol_notes',
  {
    hearingId: text('hearing_id')
      .notNull()
      .references(() => hearings.id),
    id: text('id').notNull(),
    /** The version of the `protocol.note_added` event: the notes are listed in this order. */
    addedVersion: integer('added_version').notNull(),
    /** When the secretary began typing it. */
    at: timestamp('at').notNull(),
    text: text('text').notNull(),
    speakerParticipantId: text('speaker_participant_id'),
    edits: integer('edits').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.hearingId, t.id] }), uniqueIndex('hearing_protocol_notes_order').on(t.hearingId, t.addedVersion)],
);

/**
 * The hearing's event log: every change, numbered by the hearing's version, with the server's
 * time and who did it — the raw material of the short protocol. Append-only (triggers in the
 * migration refuse UPDATE and DELETE).
 */
export const hearingEvents = sqliteTable(
  'hearing_events',
  {
    hearingId: text('hearing_id')
      .notNull()
      .references(() => hearings.id),
    version: integer('version').notNull(),
    at: timestamp('at').notNull(),
    actorUserId: text('actor_user_id').references(() => users.id),
    /** The actor's role in this hearing (presiding_judge, secretary, prosecutor, defender, …). */
    actorRole: text('actor_role').notNull(),
    type: text('type').notNull(),
    payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.hearingId, t.version] }), index('hearing_events_type').on(t.hearingId, t.type)],
);

/** Which hall a `hall_display` account shows: it may follow every hearing held in that hall. */
export const hallDisplays = sqliteTable(
  'hall_displays',
  {
    userId: text('user_id')
      .primaryKey()
      .references(() => users.id),
    hallId: text('hall_id')
      .notNull()
      .references(() => halls.id),
  },
  (t) => [index('hall_displays_hall').on(t.hallId)],
);
// ==== Scheduling and notifications (server/src/hearings/scheduling.*, server/src/notifications/) ====

/** Case participants summoned to a hearing. A withdrawn summons stays, with the time it was withdrawn. */
export const summons = sqliteTable(
  'summons',
  {
    id: text('id').primaryKey(),
    hearingId: text('hearing_id')
      .notNull()
      .references(() => hearings.id),
    participantId: text('participant_id')
      .notNull()
      .references(() => caseParticipants.id),
    summonedAt: timestamp('summoned_at').notNull(),
    withdrawnAt: timestamp('withdrawn_at'),
  },
  (t) => [uniqueIndex('summons_hearing_participant').on(t.hearingId, t.participantId)],
);

export const hearingScheduleLog = sqliteTable(
  'hearing_schedule_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    hearingId: text('hearing_id')
      .notNull()
      .references(() => hearings.id),
    at: timestamp('at').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    action: text('action', { enum: SCHEDULE_ACTIONS }).notNull(),
    /** The reason given for a cancellation. */
    reason: text('reason'),
    /** The fields that changed, with their values before and after. */
    changes: text('changes', { mode: 'json' }).$type<Record<string, { from: unknown; to: unknown }>>(),
  },
  (t) => [index('hearing_schedule_log_hearing').on(t.hearingId), check('hearing_schedule_log_action', inList('action', SCHEDULE_ACTIONS))],
);

/**
 * The outbox: every message is written, fully rendered, in the same transaction as the change it
 * announces, and the dispatcher sends it afterwards. A server stopped or an SMTP server down
 * loses nothing: the row waits, and is retried with backoff.
 */
export const notificationOutbox = sqliteTable(
  'notification_outbox',
  {
    id: text('id').primaryKey(),
    createdAt: timestamp('created_at').notNull(),
    kind: text('kind', { enum: NOTIFICATION_KINDS }).notNull(),
    channel: text('channel', { enum: NOTIFICATION_CHANNELS }).notNull(),
    /** An e-mail address or a phone number. */
    recipient: text('recipient').notNull(),
    locale: text('locale', { enum: ['kk', 'ru'] }).notNull(),
    /** The e-mail subject; null for SMS. */
    subject: text('subject'),
    body: text('body').notNull(),
    hearingId: text('hearing_id').references(() => hearings.id),
    summonsId: text('summons_id').references(() => summons.id),
    status: text('status', { enum: NOTIFICATION_STATUSES }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    /** When a pending message is due; null once it is sent, failed or skipped. */
    nextAttemptAt: timestamp('next_attempt_at'),
    lastError: text('last_error'),
    sentAt: timestamp('sent_at'),
    /**
     * The node that claimed this message last, and until when its claim holds
     * (server/src/notifications): with several nodes a message is claimed before it is sent, and
     * its outcome is recorded only by the node still named here. `lease_until` is null again once
     * the outcome is recorded; `claimed_by` then says which node sent (or gave up on) it.
     */
    claimedBy: text('claimed_by'),
    leaseUntil: timestamp('lease_until'),
  },
  (t) => [
    index('notification_outbox_due').on(t.status, t.nextAttemptAt),
    index('notification_outbox_summons').on(t.summonsId),
    index('notification_outbox_hearing').on(t.hearingId),
    check('notification_outbox_kind', inList('kind', NOTIFICATION_KINDS)),
    check('notification_outbox_channel', inList('channel', NOTIFICATION_CHANNELS)),
    check('notification_outbox_status', inList('status', NOTIFICATION_STATUSES)),
    check('notification_outbox_locale', inList('locale', ['kk', 'ru'])),
  ],
);

export const DOCUMENT_TEXT_STATUSES = ['indexed', 'failed'] as const;
export type DocumentTextStatus = (typeof DOCUMENT_TEXT_STATUSES)[number];

/**
 * Which PDF documents have had their text extracted into the search index: the FTS5 table
 * `case_text` (one row per page with text), which drizzle cannot describe and which its own
 * migration creates (db/migrations/*_case_text.sql). A document with no row here is still to be
 * indexed; `failed` ones are not retried by themselves (the error says why).
 */
export const documentText = sqliteTable(
  'document_text',
  {
    documentId: text('document_id')
      .primaryKey()
      .references(() => documents.id),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    status: text('status', { enum: DOCUMENT_TEXT_STATUSES }).notNull(),
    /** Pages that had any text (a scan without a text layer has none). */
    pagesWithText: integer('pages_with_text').notNull(),
    error: text('error'),
    indexedAt: timestamp('indexed_at').notNull(),
  },
  (t) => [index('document_text_case').on(t.caseId), check('document_text_status', inList('status', DOCUMENT_TEXT_STATUSES))],
);

/**
 * A small number per case for the search index: the row of a page in `case_text` is numbered
 * key × 2^32 + volume × 2^16 + sheet, so the pages of one case are one range of row ids, in
 * case-file order. FTS5 then answers "in this case, in volume and sheet order" by seeking to that
 * range, without sorting and without reading other cases' rows.
 */
export const caseTextKeys = sqliteTable('case_text_keys', {
  key: integer('key').primaryKey({ autoIncrement: true }),
  caseId: text('case_id')
    .notNull()
    .unique()
    .references(() => cases.id),
});

/**
 * A user's private note or highlight on a page of the case file: only its author ever reads or
 * changes it. `region` marks part of the page (a highlight); `text` may be empty when it does.
 */
export const caseNotes = sqliteTable(
  'case_notes',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    documentId: text('document_id')
      .notNull()
      .references(() => documents.id),
    page: integer('page').notNull(),
    region: text('region', { mode: 'json' }).$type<PageRegion>(),
    text: text('text').notNull().default(''),
    createdAt: timestamp('created_at').notNull(),
    updatedAt: timestamp('updated_at').notNull(),
  },
  (t) => [index('case_notes_owner').on(t.caseId, t.userId), check('case_notes_page', sql`${t.page} >= 1`)],
);

/**
 * An invitation to take part in one hearing by video. Only the SHA-256 of the link's token is
 * kept; the link works once (`usedAt`) and until `expiresAt`. Using it opens a participant session
 * bound to this hearing and participant, whose token's SHA-256 is `sessionHash` (a cookie, so a
 * dropped network or a reload brings the participant back without a new link). `revokedAt`: the
 * court refused the participant, or a newer invitation replaced this one.
 */
export const remoteInvitations = sqliteTable(
  'remote_invitations',
  {
    id: text('id').primaryKey(),
    hearingId: text('hearing_id')
      .notNull()
      .references(() => hearings.id),
    participantId: text('participant_id')
      .notNull()
      .references(() => caseParticipants.id),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamp('expires_at').notNull(),
    usedAt: timestamp('used_at'),
    sessionHash: text('session_hash'),
    sessionExpiresAt: timestamp('session_expires_at'),
    revokedAt: timestamp('revoked_at'),
    createdBy: text('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [uniqueIndex('remote_invitations_token').on(t.tokenHash), uniqueIndex('remote_invitations_session').on(t.sessionHash), index('remote_invitations_hearing').on(t.hearingId, t.participantId)],
);

/**
 * A motion of a party in a case: what was filed (the canonical bytes that were signed, with their
 * hash and the CMS signature), who filed it and the signature check, and where it stands now.
 * `hearingId` is the hearing it was filed in (null: filed outside a hearing, from the case page).
 * `version` counts the entries of `motion_history`.
 */
export const motions = sqliteTable(
  'motions',
  {
    id: text('id').primaryKey(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    /** 1, 2, … within the case: the register's numbering and the receipt's. */
    number: integer('number').notNull(),
    hearingId: text('hearing_id').references(() => hearings.id),
    kind: text('kind', { enum: MOTION_KINDS }).notNull(),
    subtype: text('subtype', { enum: MOTION_SUBTYPES }),
    text: text('text').notNull(),
    /** Documents (and sheets) of the case file the motion refers to. */
    refs: text('refs', { mode: 'json' }).$type<{ documentId: string; sheet: number | null }[]>().notNull(),
    filerUserId: text('filer_user_id').references(() => users.id),
    filerParticipantId: text('filer_participant_id')
      .notNull()
      .references(() => caseParticipants.id),
    filerRole: text('filer_role').notNull(),
    filerName: text('filer_name').notNull(),
    /** The canonical bytes the filer signed (UTF-8 JSON, docs/motions.md), and their SHA-256. */
    canonical: text('canonical').notNull(),
    contentSha256: text('content_sha256').notNull(),
    signature: blob('signature', { mode: 'buffer' }).notNull(),
    /** The signature check at filing: who the certificate names, by whom issued, until when. */
    signatureCheck: text('signature_check', { mode: 'json' }).$type<Record<string, string | null>>().notNull(),
    receiptNumber: text('receipt_number').notNull(),
    filedAt: timestamp('filed_at').notNull(),
    status: text('status', { enum: MOTION_STATUSES }).notNull(),
    ruling: text('ruling'),
    ruledAt: timestamp('ruled_at'),
    ruledInHearingId: text('ruled_in_hearing_id').references(() => hearings.id),
    version: integer('version').notNull(),
  },
  (t) => [
    uniqueIndex('motions_case_number').on(t.caseId, t.number),
    index('motions_hearing').on(t.hearingId),
    check('motions_kind', inList('kind', MOTION_KINDS)),
    check('motions_status', inList('status', MOTION_STATUSES)),
  ],
);

/** The PDF attachments of a motion, in the order filed (their bytes in `stored_files`). */
export const motionAttachments = sqliteTable(
  'motion_attachments',
  {
    motionId: text('motion_id')
      .notNull()
      .references(() => motions.id),
    position: integer('position').notNull(),
    fileName: text('file_name').notNull(),
    sha256: text('sha256')
      .notNull()
      .references(() => storedFiles.sha256),
    size: integer('size').notNull(),
    pages: integer('pages').notNull(),
  },
  (t) => [primaryKey({ columns: [t.motionId, t.position] })],
);

/**
 * A motion's history, one entry per step (filed, a party's position, a ruling), numbered by the
 * motion's version: the status history of the register. Append-only like the hearing's log.
 */
export const motionHistory = sqliteTable(
  'motion_history',
  {
    motionId: text('motion_id')
      .notNull()
      .references(() => motions.id),
    version: integer('version').notNull(),
    at: timestamp('at').notNull(),
    /** `taken_up`: a motion filed outside the hall, brought before the court in a hearing. */
    action: text('action', { enum: ['filed', 'taken_up', 'position', 'ruled'] }).notNull(),
    actorUserId: text('actor_user_id').references(() => users.id),
    actorName: text('actor_name').notNull(),
    actorRole: text('actor_role').notNull(),
    /** The hearing the step was taken in; null outside a hearing. */
    hearingId: text('hearing_id').references(() => hearings.id),
    payload: text('payload', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.motionId, t.version] })],
);

/**
 * A document of the case file that the judge marked as the act of a hearing (verdict, ruling,
 * decision). Its text goes into the FTS5 table `acts_text` (hand-written in this block's
 * migration) twice: as written (`body`) and depersonalised (`public_body`); the row id there is
 * `text_key`. `indexed_at` is null until the document's own text has been read (the case-text
 * indexer runs in the background), then the act enters the index.
 */
export const judicialActs = sqliteTable(
  'judicial_acts',
  {
    id: text('id').primaryKey(),
    textKey: integer('text_key').notNull().unique(),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    documentId: text('document_id')
      .notNull()
      .unique()
      .references(() => documents.id),
    hearingId: text('hearing_id').references(() => hearings.id),
    /** Denormalised from the case and its judge, so search filters need no join. */
    courtId: text('court_id')
      .notNull()
      .references(() => courts.id),
    judgeId: text('judge_id')
      .notNull()
      .references(() => users.id),
    kind: text('kind', { enum: ACT_KINDS }).notNull(),
    outcome: text('outcome', { enum: ACT_OUTCOMES }).notNull(),
    /** The act's date, court-local, YYYY-MM-DD. */
    actDate: text('act_date').notNull(),
    /** Criminal Code articles of the case's qualification ("188", "190"). */
    articles: text('articles', { mode: 'json' }).$type<string[]>().notNull(),
    /** The same, as ",188,190," so one LIKE filters by an article. */
    articleKeys: text('article_keys').notNull(),
    markedBy: text('marked_by')
      .notNull()
      .references(() => users.id),
    markedAt: timestamp('marked_at').notNull(),
    indexedAt: timestamp('indexed_at'),
  },
  (t) => [
    index('judicial_acts_court_date').on(t.courtId, t.actDate),
    index('judicial_acts_case').on(t.caseId),
    index('judicial_acts_judge').on(t.judgeId),
    index('judicial_acts_pending').on(t.indexedAt),
    check('judicial_acts_kind', inList('kind', ACT_KINDS)),
    check('judicial_acts_outcome', inList('outcome', ACT_OUTCOMES)),
  ],
);
// ==== the case's life as recorded ===============================================================

/**
 * Every change of a case's status (received → in trial → suspended → in trial → closed), written
 * in the transaction of the hearing event that caused it (`hearing_id`, `event_version` point at
 * it in `hearing_events`), with who and when. `since` is when the case entered `from_status`, so
 * a row is also the whole period the case spent in it: the deadline engine adds the days of every
 * past suspension (`from_status = 'suspended'`) to the limits that stop while a case is suspended.
 * Append-only (triggers in the migration refuse UPDATE and DELETE); `cases.status`,
 * `suspended_at` and `closed_at` are the current picture it leads to.
 */
export const caseStatusChanges = sqliteTable(
  'case_status_changes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    caseId: text('case_id')
      .notNull()
      .references(() => cases.id),
    at: timestamp('at').notNull(),
    fromStatus: text('from_status', { enum: CASE_STATUSES }).notNull(),
    toStatus: text('to_status', { enum: CASE_STATUSES }).notNull(),
    since: timestamp('since').notNull(),
    /** The court's reason, as announced (a suspension's); null for the other changes. */
    reason: text('reason'),
    hearingId: text('hearing_id').references(() => hearings.id),
    eventVersion: integer('event_version'),
    actorUserId: text('actor_user_id').references(() => users.id),
    actorName: text('actor_name').notNull(),
  },
  (t) => [
    index('case_status_changes_case').on(t.caseId, t.fromStatus),
    check('case_status_changes_from', inList('from_status', CASE_STATUSES)),
    check('case_status_changes_to', inList('to_status', CASE_STATUSES)),
  ],
);

/**
 * One recorded source of a hearing (a hall microphone, a remote participant's camera): its
 * segments live in `<RECORDINGS_DIR>/<dir>`. A source that reconnects with the same source id
 * continues its track.
 */
export const recordingTracks = sqliteTable(
  'recording_tracks',
  {
    id: text('id').primaryKey(),
    hearingId: text('hearing_id')
      .notNull()
      .references(() => hearings.id),
    sourceId: text('source_id').notNull(),
    kind: text('kind', { enum: ['audio', 'video'] }).notNull(),
    role: text('role').notNull(),
    label: text('label').notNull(),
    userId: text('user_id'),
    participantId: text('participant_id'),
    dir: text('dir').notNull(),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [uniqueIndex('recording_tracks_source').on(t.hearingId, t.sourceId)],
);

/**
 * The manifest: one row per closed segment, with its hash and its link in the track's hash chain
 * (media/src/recording/segment-chain.ts). Rows are only ever added.
 */
export const recordingSegments = sqliteTable(
  'recording_segments',
  {
    trackId: text('track_id')
      .notNull()
      .references(() => recordingTracks.id),
    seq: integer('seq').notNull(),
    file: text('file').notNull(),
    bytes: integer('bytes').notNull(),
    sha256: text('sha256').notNull(),
    chain: text('chain').notNull(),
    startedAt: integer('started_at').notNull(),
    durationMs: integer('duration_ms').notNull(),
  },
  (t) => [primaryKey({ columns: [t.trackId, t.seq] })],
);

/**
 * Which node holds a hearing's media room (docs/media.md, "Media failover"): a node takes the row
 * before it makes the room — a new row, or one whose lease has expired — renews `expires_at`
 * while the room is open and deletes the row when the room closes. A node asked for the media of a
 * hearing whose unexpired lease another node holds refuses (`media_elsewhere`) and names it.
 */
export const mediaRoomLeases = sqliteTable('media_room_leases', {
  hearingId: text('hearing_id')
    .primaryKey()
    .references(() => hearings.id),
  /** The holder's NODE_NAME (haproxy's server name for it). */
  nodeId: text('node_id').notNull(),
  /** The holder's own address (host:port), for operators. */
  nodeAddress: text('node_address').notNull(),
  acquiredAt: timestamp('acquired_at').notNull(),
  expiresAt: timestamp('expires_at').notNull(),
});

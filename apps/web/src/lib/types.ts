/**
 * The shapes of the API's answers. They are the server's own types (imported as types only, so
 * nothing of the server reaches the browser bundle): a change on one side is a type error on the other.
 */
export type { Locale, StaffRole, ParticipantRole, HearingStatus, TrialStage, CaseStatus, Qualification } from '$db/schema.ts';
export type { CaseSummary, CaseDetail, HearingSummary, HearingWithCase, Localized } from '$server/cases/cases.repository.ts';
export type { MeResponse } from '$server/auth/auth.routes.ts';
export type { CourtInfo as Court } from '$server/users/users.repository.ts';

import type { Locale } from '$db/schema.ts';
import type { MeResponse } from '$server/auth/auth.routes.ts';

export type User = MeResponse['user'];
export type CaseCategory = 'crime' | 'misdemeanor';

/** The languages of the interface, in the order the switch shows them. */
export const LOCALES: readonly Locale[] = ['kk', 'ru', 'en'];

// ---- E-case intake and the case file ----
export type { Inventory, InventoryDocument } from '$server/ecases/inventory.ts';
export type { Verification } from '$server/ecases/verification.ts';
export type { AcceptedBody as IntakeAccepted, RejectedBody as IntakeRejected } from '$server/ecases/intake.service.ts';
export type { Problem } from '$server/ecases/ecases.repository.ts';
export type { IngestionOutcome } from '$db/schema.ts';

import type { IngestionRecord } from '$server/ecases/ecases.repository.ts';
import type { Inventory } from '$server/ecases/inventory.ts';

/** One line of the ingestion log, as GET /api/ecases/ingestions sends it (times as ISO strings). */
export type Ingestion = IngestionRecord & { id: string; receivedAt: string };

export type InventoryVolume = Inventory['volumes'][number];
export type DocumentKind = 'pdf' | 'electronic' | 'media';

/** The document types of the package format (SPEC §2), in the order the inventory legend lists them. */
export const DOCUMENT_TYPES = [
  'indictment',
  'report',
  'resolution',
  'protocol',
  'expert_opinion',
  'motion',
  'complaint',
  'letter',
  'notice',
  'certificate',
  'video_record',
  'audio_record',
  'photo',
  'other',
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

// ---- Scheduling hearings ----
export type {
  CaseHearings,
  HearingDetail,
  HearingOptions,
  RescheduleInput,
  ScheduleInput,
  SummonsDetail,
} from '$server/hearings/scheduling.service.ts';
export type { HallRecord as Hall, ParticipantContact, PersonRef } from '$server/hearings/scheduling.repository.ts';
export type { NoticeStatus } from '$server/notifications/outbox.repository.ts';
export type { NotificationChannel, NotificationKind, NotificationStatus } from '$db/schema.ts';
// ---- The case-file viewer: text search and private notes ----
export type { SearchAnswer, SearchHit, SnippetPart } from '$server/case-text/case-search.service.ts';
export type { Note, NewNote, NoteChange, PageRegion } from '$server/notes/notes.service.ts';
// ---- The live hearing (docs/realtime-protocol.md) ----
export type {
  Attendance,
  EventActor,
  Floor,
  HearingEvent,
  HearingEventType,
  HearingInfo,
  HearingLiveState,
  HearingParticipant,
  HearingRole,
  HearingSnapshot,
  Presenter,
  Region,
  ShownPosition,
  ShownSheets,
} from '$server/hearings/hearing-state.ts';
export type { HearingPresence } from '$server/realtime/events.ts';

// ---- Situation centre and judicial acts (issue 9) ----
export type { Dashboard, DrillCase, Figure, Point } from '$server/situation/situation.service.ts';
export type { ActSearchAnswer, ActText, MarkAct as MarkActInput } from '$server/acts/acts.service.ts';
export type { ActListing } from '$server/acts/acts.repository.ts';
export type { ActKind, ActOutcome } from '$db/schema.ts';
// The server's lists (db/schema.ts ACT_KINDS, ACT_OUTCOMES), written out so the pages do not bundle the schema.
export const ACT_KINDS = ['verdict', 'ruling', 'decision'] as const;
export const ACT_OUTCOMES = ['conviction', 'acquittal', 'termination', 'returned', 'other'] as const;

/**
 * The shapes of the API's answers, and the lists the pages need. They are the server's own
 * declarations from server/src/shared (pure modules, the only part of the server the web app may
 * import: tests/contract/web-imports.spec.ts), so a change on one side is a type error on the other.
 */
export type { Locale, StaffRole, ParticipantRole, HearingStatus, TrialStage, CaseStatus, Qualification } from '$server/shared/domain.ts';
export type { CaseSummary, CaseDetail, HearingSummary, HearingWithCase, Localized } from '$server/shared/api/cases.ts';
export type { MeResponse, CourtInfo as Court } from '$server/shared/api/auth.ts';
export { LOCALES } from '$server/shared/domain.ts';

import type { MeResponse } from '$server/shared/api/auth.ts';

export type User = MeResponse['user'];
export type CaseCategory = 'crime' | 'misdemeanor';

// ---- E-case intake and the case file ----
export type { Inventory, InventoryDocument, Verification, AcceptedBody as IntakeAccepted, RejectedBody as IntakeRejected, Problem, DocumentType } from '$server/shared/api/ecases.ts';
export { DOCUMENT_TYPES } from '$server/shared/api/ecases.ts';
export type { IngestionOutcome } from '$server/shared/domain.ts';

import type { IngestionRecord, Inventory } from '$server/shared/api/ecases.ts';

/** One line of the ingestion log, as GET /api/ecases/ingestions sends it (times as ISO strings). */
export type Ingestion = IngestionRecord & { id: string; receivedAt: string };

export type InventoryVolume = Inventory['volumes'][number];
export type DocumentKind = 'pdf' | 'electronic' | 'media';

// ---- Scheduling hearings ----
export type {
  CaseHearings,
  HearingDetail,
  HearingOptions,
  RescheduleInput,
  ScheduleInput,
  SummonsDetail,
  HallRecord as Hall,
  ParticipantContact,
  PersonRef,
  NoticeStatus,
} from '$server/shared/api/scheduling.ts';
export type { NotificationChannel, NotificationKind, NotificationStatus } from '$server/shared/domain.ts';
// ---- The case-file viewer: text search and private notes ----
export type { SearchAnswer, SearchHit, SnippetPart } from '$server/shared/api/case-search.ts';
export type { Note, NewNote, NoteChange, PageRegion } from '$server/shared/api/notes.ts';
// ---- The live hearing (docs/realtime-protocol.md) ----
export type { Attendance } from '$server/shared/hearing/attendance/attendance.ts';
export type { EventActor, HearingRole, ShownSheets } from '$server/shared/hearing/core.ts';
export type { Floor, Presenter, Region, ShownPosition } from '$server/shared/hearing/floor/floor.ts';
export type { HearingEvent, HearingEventType, HearingInfo, HearingLiveState, HearingParticipant, HearingSnapshot } from '$server/shared/hearing/state.ts';
export type { HearingPresence } from '$server/shared/socket/events.ts';

export type { Dashboard, DrillCase, Figure, Point } from '$server/shared/api/situation.ts';
export type { ActListing, ActSearchAnswer, ActText, MarkAct as MarkActInput } from '$server/shared/api/acts.ts';
export type { ActKind, ActOutcome } from '$server/shared/domain.ts';
export { ACT_KINDS, ACT_OUTCOMES } from '$server/shared/domain.ts';

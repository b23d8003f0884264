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

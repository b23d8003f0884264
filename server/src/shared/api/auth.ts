/** Who is logged in, as GET /api/me and POST /api/auth/login answer (server/src/auth/auth.routes.ts). */
import type { Locale, StaffRole } from '../domain.ts';

export type CourtInfo = { id: string; code: string; name: { kk: string; ru: string; en: string }; timezone: string };

/** What login, GET /api/me and PATCH /api/me answer. */
export type MeResponse = {
  user: { id: string; username: string; fullName: string; roles: StaffRole[]; locale: Locale; court: CourtInfo | null };
  csrfToken: string;
};

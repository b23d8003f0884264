/**
 * Which page of a hearing each seat works at. The court office and the chair follow read-only:
 * they get the hall display's picture (stage, presenter, the shown page), inside the app's frame.
 */
import type { HearingRole } from '$server/shared/hearing/core.ts';

export const WORKSTATIONS = ['judge', 'secretary', 'prosecutor', 'defender', 'display'] as const;
export type Workstation = (typeof WORKSTATIONS)[number];

const BY_ROLE: Record<HearingRole, Workstation> = {
  presiding_judge: 'judge',
  secretary: 'secretary',
  prosecutor: 'prosecutor',
  defender: 'defender',
  court: 'display',
  hall_display: 'display',
  // Remote participants never open the hearing's pages: their page is /join.
  remote_participant: 'display',
};

export function workstationOf(role: HearingRole): Workstation {
  return BY_ROLE[role];
}

export function workstationPath(hearingId: string, role: HearingRole): string {
  return `/hearings/${encodeURIComponent(hearingId)}/${workstationOf(role)}`;
}

/** The hall's wall screen fills the screen: no header, no language switch, nothing to press. */
export function isWallScreen(routeId: string | null): boolean {
  return routeId === '/hearings/[id]/display';
}

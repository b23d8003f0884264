/**
 * The shown position as the hearing carries it (server: `region` with width/height; plus the
 * volume and sheet the server resolved) and as the case-file viewer takes it (`region` with w/h).
 */
import type { Region, ShownPosition } from '$server/shared/hearing/floor/floor.ts';
import type { ViewerPosition } from '../viewer/types.ts';

export function toViewerPosition(shown: ShownPosition): ViewerPosition {
  const { region } = shown;
  return { documentId: shown.documentId, page: shown.page, zoom: shown.zoom, region: region ? { x: region.x, y: region.y, w: region.width, h: region.height } : null };
}

/** What `presenter:show` sends for a viewer position. */
export function toShown(position: ViewerPosition): { documentId: string; page: number; zoom: number; region: Region | null } {
  const { region } = position;
  return { documentId: position.documentId, page: position.page, zoom: position.zoom, region: region ? { x: region.x, y: region.y, width: region.w, height: region.h } : null };
}

/** The same page at the same zoom with the same region: nothing for the hall to see change. */
export function samePosition(a: ViewerPosition | null, b: ViewerPosition | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const r = a.region ?? null;
  const q = b.region ?? null;
  const sameRegion = r === q || (r !== null && q !== null && r.x === q.x && r.y === q.y && r.w === q.w && r.h === q.h);
  return a.documentId === b.documentId && a.page === b.page && a.zoom === b.zoom && sameRegion;
}

/**
 * Where the hall's wall screen puts the shown page (viewer-display.svelte): the part the presenter
 * points at — the region they marked, or else the whole page — as large as the screen area
 * allows, in its middle. A marked region magnified that much makes the whole page many screens
 * large, so only the part of the page on screen is drawn (`visiblePart`).
 */
import type { NormalizedRect } from './types.ts';

export type Size = { width: number; height: number };
/** A box in CSS pixels. */
export type Box = { left: number; top: number; width: number; height: number };

export const WHOLE_PAGE: NormalizedRect = { x: 0, y: 0, w: 1, h: 1 };

/** A region is shown at most this many times larger than the whole page would be: a stray small mark must not become three letters across the wall. */
export const MAX_MAGNIFICATION = 6;

/**
 * The page's box in the area (its top left corner from the area's, and its size), for a page of
 * `aspect` (height / width) whose `focus` is to fill the area less `margin` on every side.
 * Null while the area or the page's shape is unknown.
 */
export function fitPage({ area, aspect, focus, margin }: { area: Size; aspect: number; focus: NormalizedRect | null; margin: number }): Box | null {
  if (!(area.width > 0 && area.height > 0 && aspect > 0)) return null;
  const f = focus && focus.w > 0 && focus.h > 0 ? focus : WHOLE_PAGE;
  const room = { width: Math.max(1, area.width - 2 * margin), height: Math.max(1, area.height - 2 * margin) };
  const whole = Math.min(room.width, room.height / aspect);
  const width = Math.round(Math.min(whole * MAX_MAGNIFICATION, room.width / f.w, room.height / (f.h * aspect)));
  const height = Math.round(width * aspect);
  return {
    left: Math.round(place(area.width, width, (f.x + f.w / 2) * width)),
    top: Math.round(place(area.height, height, (f.y + f.h / 2) * height)),
    width,
    height,
  };
}

/**
 * Along one axis: a page no larger than the area is centred in it; a larger one has the focus's
 * centre in the middle, but never leaves an empty band at its edge (the focus still fits: it
 * only moves towards the middle of the page).
 */
function place(area: number, size: number, centre: number): number {
  if (size <= area) return (area - size) / 2;
  return Math.min(0, Math.max(area - size, area / 2 - centre));
}

/** The part of a page placed at `page` that lies inside the area, in the page's own pixels from its top left; null if none does. */
export function visiblePart(area: Size, page: Box): Box | null {
  const left = Math.max(0, -page.left);
  const top = Math.max(0, -page.top);
  const right = Math.min(page.width, area.width - page.left);
  const bottom = Math.min(page.height, area.height - page.top);
  return right > left && bottom > top ? { left, top, width: right - left, height: bottom - top } : null;
}

export function sameBox(a: Box | null, b: Box | null): boolean {
  return a === b || (a !== null && b !== null && a.left === b.left && a.top === b.top && a.width === b.width && a.height === b.height);
}

/**
 * The case-file viewer's contract with the page that embeds it (a workstation, the hall display,
 * the case page's demo). The viewer is controlled: the page owns the position and passes it in;
 * the viewer asks for changes through `onnavigate` and shows whatever position it is given.
 */

/** A rectangle on a page, as fractions of the page's width and height from its top-left corner. */
export type NormalizedRect = { x: number; y: number; w: number; h: number };

/**
 * What the viewer shows: a page of a document, at a zoom, with perhaps a highlighted region.
 * `zoom` is relative to the viewer's width: 1 fits the page's width, 2 is twice that. The same
 * position therefore shows the same part of the page on a phone and on the hall's wall screen.
 */
export type ViewerPosition = {
  documentId: string;
  /** 1-based page of the document (the sheet is the document's first sheet + page − 1). */
  page: number;
  zoom: number;
  region?: NormalizedRect | null;
};

/**
 * Why the viewer asks to move: the user scrolled to another sheet, stepped a sheet or typed one,
 * picked a document in the inventory, a search hit or a note, changed the zoom, or marked a
 * region. A workstation following a presenter may treat some as "stepping away" and not others.
 */
export type NavigateCause = 'scroll' | 'sheet' | 'inventory' | 'search' | 'note' | 'zoom' | 'region';

/**
 * `workstation`: inventory, search, notes and tools beside the pages; `display`: the hall's wall
 * screen — the shown sheet alone, its marked region (or else the whole page) fitted to the screen,
 * the zoom ignored, nothing to scroll or press (viewer-display.svelte).
 */
export type ViewerVariant = 'workstation' | 'display';

/** Inside the viewer: where its pages should scroll (a sheet of the volume shown, or a region on it). A new object scrolls again. */
export type PagesTarget = { volume: number; sheet: number; rect: NormalizedRect | null };

export const ZOOM_MIN = 0.25;
export const ZOOM_MAX = 4;
export const ZOOM_STEPS = [0.25, 0.5, 0.75, 1, 1.25, 1.5, 2, 3, 4];

export function clampZoom(zoom: number): number {
  return Number.isFinite(zoom) ? Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, zoom)) : 1;
}

/**
 * The case file's documents as a motion's references need them (volume, sheets, title), loaded
 * once per case from its inventory and kept for the page's life: the filing form picks from them,
 * the hall panel and the register show "т. 1, л. 6 — Протокол осмотра" with them.
 */
import { getInventory } from '../api.ts';
import { i18n } from '../i18n/i18n.svelte.ts';

export type RefDocument = { id: string; volume: number; sheetFrom: number | null; sheetTo: number | null; title: string };
export type MotionRef = { documentId: string; sheet: number | null };

/** Loaded documents per case (reactive: components re-render when a case's list arrives). */
const loaded = $state<Record<string, RefDocument[]>>({});
/** Loads under way or done, so that a case is asked for once (a failure is forgotten, to ask again). */
const asked = new Map<string, Promise<void>>();

/** Starts loading the case's documents unless already asked; call from an effect or an event. */
export function loadCaseDocuments(caseId: string): Promise<void> {
  let load = asked.get(caseId);
  if (!load) {
    load = getInventory(caseId).then(
      (inventory) => {
        loaded[caseId] = inventory.volumes.flatMap((v) => v.documents.map((d) => ({ id: d.id, volume: v.number, sheetFrom: d.sheetFrom, sheetTo: d.sheetTo, title: d.title })));
      },
      () => {
        asked.delete(caseId);
      },
    );
    asked.set(caseId, load);
  }
  return load;
}

/** The case's documents in inventory order, or undefined until loaded. */
export function caseDocuments(caseId: string): RefDocument[] | undefined {
  return loaded[caseId];
}

/** A document's sheets as the inventory writes them: "5–10", "7", or null (media has none). */
export function sheetRange(doc: RefDocument): string | null {
  if (doc.sheetFrom === null || doc.sheetTo === null) return null;
  return doc.sheetFrom === doc.sheetTo ? `${doc.sheetFrom}` : `${doc.sheetFrom}–${doc.sheetTo}`;
}

/** "т. 1, л. 5–10 — Протокол осмотра": a document of the case file, for a picker. */
export function documentLabel(doc: RefDocument): string {
  const sheets = sheetRange(doc);
  return sheets === null ? i18n.t('motions.ref_volume', { volume: doc.volume, title: doc.title }) : i18n.t('motions.ref', { volume: doc.volume, sheets, title: doc.title });
}

/** "т. 1, л. 6 — Протокол осмотра": a motion's reference (the sheet it names, else the document's range); a short fallback until the inventory is at hand. */
export function refLabel(caseId: string, ref: MotionRef): string {
  const doc = caseDocuments(caseId)?.find((d) => d.id === ref.documentId);
  if (!doc) return ref.sheet === null ? i18n.t('motions.ref_unknown') : i18n.t('motions.ref_unknown_sheet', { sheet: ref.sheet });
  return ref.sheet === null ? documentLabel(doc) : i18n.t('motions.ref', { volume: doc.volume, sheets: ref.sheet, title: doc.title });
}

/**
 * Volumes and sheets (SPEC section 2): volumes are numbered 1..N, and in each volume the pdf and
 * electronic documents, in the order given, cover sheets 1..`sheets` exactly. This is the rule
 * that stops the "mixed up" handovers the courts complain of, so a gap, an overlap and a document
 * out of order are reported as different problems: each needs a different fix at ERDR.
 */
import { isPaged, type DocumentView, type ManifestView, type VolumeView } from './manifest-view.ts';
import { problem } from './problems.ts';
import type { Problem } from './types.ts';

type Range = { doc: DocumentView; from: number; to: number };

export function checkSheets(view: ManifestView): Problem[] {
  const problems: Problem[] = [];
  view.volumes.forEach((volume, i) => {
    if (volume.number !== undefined && volume.number !== i + 1) {
      problems.push(problem('volume_numbering', `${volume.pointer}/number`, `volume ${i + 1} in order has number ${volume.number}; volumes are numbered 1..N without gaps`));
    }
    problems.push(...checkVolume(volume));
  });
  return problems;
}

function checkVolume(volume: VolumeView): Problem[] {
  const problems: Problem[] = [];
  const ranges: Range[] = [];
  for (const doc of volume.documents) {
    if (!isPaged(doc) || doc.sheetFrom === undefined || doc.sheetTo === undefined) continue;
    const { sheetFrom: from, sheetTo: to } = doc;
    if (from > to) {
      problems.push(problem('sheet_range', `${doc.pointer}/sheetTo`, `${name(doc)}: sheetTo ${to} is before sheetFrom ${from}`));
      continue;
    }
    if (doc.pages !== undefined && doc.pages !== to - from + 1) {
      problems.push(problem('sheet_range', `${doc.pointer}/pages`, `${name(doc)}: ${doc.pages} pages do not fit sheets ${from}-${to} (${to - from + 1} sheets)`));
    }
    const previous = ranges.at(-1);
    if (previous && from < previous.from) {
      problems.push(problem('sheet_order', `${doc.pointer}/sheetFrom`, `${name(doc)} (sheets ${span(from, to)}) is listed after ${name(previous.doc)} (sheets ${span(previous.from, previous.to)})`));
    }
    ranges.push({ doc, from, to });
  }
  // Coverage is judged on the ranges sorted by sheet, so a document out of order is reported once
  // as out of order rather than also as a gap and an overlap.
  const sorted = [...ranges].sort((a, b) => a.from - b.from || a.to - b.to);
  let next = 1; // the first sheet not yet covered
  let coveredBy: Range | undefined;
  for (const range of sorted) {
    if (range.from > next) {
      problems.push(problem('sheet_gap', `${range.doc.pointer}/sheetFrom`, `volume ${label(volume)}: ${sheets(next, range.from - 1)} covered by no document`));
    } else if (range.from < next && coveredBy) {
      problems.push(problem('sheet_overlap', `${range.doc.pointer}/sheetFrom`, `sheets ${span(range.from, Math.min(range.to, next - 1))} of ${name(range.doc)} also belong to ${name(coveredBy.doc)}`));
    }
    if (range.to + 1 > next) {
      next = range.to + 1;
      coveredBy = range;
    }
  }
  if (volume.sheets !== undefined) {
    if (next - 1 > volume.sheets) {
      problems.push(problem('volume_sheet_count', `${volume.pointer}/sheets`, `the documents of volume ${label(volume)} reach sheet ${next - 1}, but the volume has ${volume.sheets} sheets`));
    } else if (next - 1 < volume.sheets) {
      problems.push(problem('sheet_gap', `${volume.pointer}/sheets`, `volume ${label(volume)}: ${sheets(next, volume.sheets)} covered by no document`));
    }
  }
  return problems;
}

function name(doc: DocumentView): string {
  return doc.id === undefined ? `document ${doc.pointer}` : `document "${doc.id}"`;
}

function label(volume: VolumeView): string {
  return String(volume.number ?? volume.index + 1);
}

function span(from: number, to: number): string {
  return from === to ? String(from) : `${from}-${to}`;
}

function sheets(from: number, to: number): string {
  return from === to ? `sheet ${from} is` : `sheets ${from}-${to} are`;
}

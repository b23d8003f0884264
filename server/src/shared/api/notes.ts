/** A judge's private notes on the pages of a case file, as the notes API answers and accepts them. */
import type { PageRegion } from '../domain.ts';

export type { PageRegion };

/** A note as the API answers it: where it is in the document and in the case file, and what it says. */
export type Note = {
  id: string;
  documentId: string;
  page: number;
  volume: number;
  sheet: number | null;
  region: PageRegion | null;
  text: string;
  createdAt: string;
  updatedAt: string;
};

export type NewNote = { documentId: string; page: number; region?: PageRegion | null; text?: string };

export type NoteChange = { region?: PageRegion | null; text?: string };

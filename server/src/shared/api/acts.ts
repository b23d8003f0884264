/** Judicial acts as the acts API lists, searches, shows and marks them (server/src/acts/). */
import type { ActKind, ActOutcome } from '../domain.ts';
import type { SnippetPart } from './case-search.ts';

export type ActListing = {
  id: string;
  caseId: string;
  caseNumber: string;
  documentId: string;
  kind: ActKind;
  outcome: ActOutcome;
  date: string;
  articles: string[];
  court: { id: string; nameKk: string; nameRu: string; nameEn: string };
  judge: { id: string; fullName: string };
  indexed: boolean;
};

export type MarkAct = { documentId: string; kind: ActKind; outcome: ActOutcome; date: string; hearingId?: string | null };

export type ActSearchAnswer = {
  terms: string[];
  total: number;
  /** More acts match than were counted (`total` is the cap). */
  capped: boolean;
  offset: number;
  hits: { act: ActListing; depersonalised: boolean; snippet: SnippetPart[] }[];
};

export type ActText = { act: ActListing; depersonalised: boolean; text: string };

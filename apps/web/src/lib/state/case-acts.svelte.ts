/**
 * The judicial acts of a case as its page shows them: which documents of the case file are marked
 * as acts (a badge on the inventory line, for everyone who may see the case), and, for the case's
 * judge only, marking a document or changing its marking (kind, outcome, date, hearing). The server
 * decides again who may mark (`not_case_judge`); `canMark` only hides the form from the others.
 */
import * as api from '../api.ts';
import { errorCode, type ErrorCode } from '../api.ts';
import type { ActListing, MarkActInput } from '../types.ts';

export class CaseActs {
  #caseId: string;
  #canMark: boolean;
  #acts = $state.raw<ActListing[]>([]);
  #error = $state<ErrorCode | null>(null);
  /** The document whose marking form is open. */
  #editing = $state<string | null>(null);
  #saving = $state(false);
  #formError = $state<ErrorCode | null>(null);

  constructor(caseId: string, canMark: boolean) {
    this.#caseId = caseId;
    this.#canMark = canMark;
  }

  get canMark(): boolean {
    return this.#canMark;
  }

  get error(): ErrorCode | null {
    return this.#error;
  }

  get editing(): string | null {
    return this.#editing;
  }

  get saving(): boolean {
    return this.#saving;
  }

  get formError(): ErrorCode | null {
    return this.#formError;
  }

  /** The act a document is marked as, if any. */
  ofDocument(documentId: string): ActListing | undefined {
    return this.#acts.find((a) => a.documentId === documentId);
  }

  async load(): Promise<void> {
    try {
      this.#acts = await api.getCaseActs(this.#caseId);
      this.#error = null;
    } catch (error) {
      this.#error = errorCode(error);
    }
  }

  open(documentId: string): void {
    this.#editing = documentId;
    this.#formError = null;
  }

  close(): void {
    this.#editing = null;
    this.#formError = null;
  }

  /** Marks (or re-marks) a document; the form closes and the line shows the new marking. */
  async mark(input: MarkActInput): Promise<boolean> {
    this.#saving = true;
    this.#formError = null;
    try {
      const act = await api.markAct(this.#caseId, input);
      this.#acts = [...this.#acts.filter((a) => a.id !== act.id), act];
      this.#editing = null;
      return true;
    } catch (error) {
      this.#formError = errorCode(error);
      return false;
    } finally {
      this.#saving = false;
    }
  }
}

/**
 * The motions register of a case as its page shows it, and filing a motion from there (outside the
 * hall: from the participant's own page, e.g. a motion to take part remotely). The register is
 * reloaded after a filing; rulings come from the hall.
 */
import * as api from '../api.ts';
import { errorCode, type ErrorCode, type MotionDraftInput, type MotionReceipt, type MotionRegisterEntry } from '../api.ts';
import { fileSignedMotion } from '../motions/motion-filing.ts';

export class CaseMotions {
  #caseId: string;
  #motions = $state.raw<MotionRegisterEntry[]>([]);
  #canFile = $state(false);
  #loaded = $state(false);
  #error = $state<ErrorCode | null>(null);
  #receipt = $state.raw<MotionReceipt | null>(null);

  constructor(caseId: string) {
    this.#caseId = caseId;
  }

  get caseId(): string {
    return this.#caseId;
  }

  get motions(): MotionRegisterEntry[] {
    return this.#motions;
  }

  /** The user is a party of the case and may file. */
  get canFile(): boolean {
    return this.#canFile;
  }

  get loaded(): boolean {
    return this.#loaded;
  }

  get error(): ErrorCode | null {
    return this.#error;
  }

  /** The receipt of the last filing from this page. */
  get receipt(): MotionReceipt | null {
    return this.#receipt;
  }

  async load(): Promise<void> {
    try {
      const answer = await api.getMotionRegister(this.#caseId);
      this.#motions = answer.motions;
      this.#canFile = answer.canFile;
      this.#loaded = true;
      this.#error = null;
    } catch (error) {
      this.#error = errorCode(error);
    }
  }

  /** Files a signed motion (throws ApiError or SigningError for the signing form to show). */
  async file(draft: Omit<MotionDraftInput, 'hearingId'>, files: File[], sign: (content: Uint8Array) => Promise<Uint8Array>): Promise<void> {
    this.#receipt = await fileSignedMotion({ to: { caseId: this.#caseId }, draft: { ...draft, hearingId: null }, files, sign });
    await this.load();
  }
}

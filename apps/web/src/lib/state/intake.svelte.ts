/**
 * The court office's intake of one e-case package: choosing the .zip, uploading it with
 * progress, and the court's answer (the case accepted, or the problems). One instance per
 * intake page; `reset()` starts over for the next package.
 */
import * as api from '../api.ts';
import { ApiError, errorCode, type ErrorCode, type IntakeAnswer } from '../api.ts';

/**
 * idle: nothing chosen or a file chosen; uploading: the body is going out; checking: it has all
 * gone and the server is validating; answered: `answer` is set; failed: `error` is set.
 */
export type IntakePhase = 'idle' | 'uploading' | 'checking' | 'answered' | 'failed';

/** Why the upload did not produce an answer: a server or network error, or the user cancelled. */
export type IntakeError = ErrorCode | 'cancelled' | 'interrupted';

export function looksLikeZip(file: File): boolean {
  return /\.zip$/i.test(file.name) || file.type === 'application/zip' || file.type === 'application/x-zip-compressed';
}

export class PackageIntake {
  #file = $state.raw<File | null>(null);
  #notZip = $state(false);
  #phase = $state<IntakePhase>('idle');
  #sent = $state(0);
  #total = $state(0);
  #answer = $state.raw<IntakeAnswer | null>(null);
  #error = $state<IntakeError | null>(null);
  /** The court's number of the case the answer names (accepted, or the one already in court). */
  #caseNumber = $state<string | null>(null);
  #controller: AbortController | null = null;
  #onAnswer: () => void;

  /** `onAnswer` runs after every answer, accepted or not (the page refreshes the log with it). */
  constructor(onAnswer: () => void = () => {}) {
    this.#onAnswer = onAnswer;
  }

  get file(): File | null {
    return this.#file;
  }

  /** The chosen file is not a .zip: the page says so and the upload button stays off. */
  get notZip(): boolean {
    return this.#notZip;
  }

  get phase(): IntakePhase {
    return this.#phase;
  }

  get busy(): boolean {
    return this.#phase === 'uploading' || this.#phase === 'checking';
  }

  /** Whole per cent of the body sent, 0–100. */
  get percent(): number {
    return this.#total > 0 ? Math.min(100, Math.floor((this.#sent / this.#total) * 100)) : 0;
  }

  get answer(): IntakeAnswer | null {
    return this.#answer;
  }

  get error(): IntakeError | null {
    return this.#error;
  }

  get caseNumber(): string | null {
    return this.#caseNumber;
  }

  /** The case the answer links to: the one just made or found, or the one already in court. */
  get caseId(): string | null {
    const answer = this.#answer;
    if (!answer) return null;
    return answer.status === 'accepted' ? answer.body.caseId : (answer.body.existingCaseId ?? null);
  }

  choose(file: File | null): void {
    if (this.busy) return;
    this.#file = file;
    this.#notZip = file !== null && !looksLikeZip(file);
    this.#phase = 'idle';
    this.#answer = null;
    this.#error = null;
    this.#caseNumber = null;
  }

  async send(): Promise<void> {
    const file = this.#file;
    if (!file || this.#notZip || this.busy) return;
    const controller = new AbortController();
    this.#controller = controller;
    this.#phase = 'uploading';
    this.#sent = 0;
    this.#total = file.size;
    this.#answer = null;
    this.#error = null;
    this.#caseNumber = null;
    try {
      const answer = await api.uploadEcase(file, {
        signal: controller.signal,
        onProgress: ({ loaded, total }) => {
          this.#sent = loaded;
          this.#total = total;
          if (loaded >= total) this.#phase = 'checking';
        },
      });
      this.#answer = answer;
      this.#phase = 'answered';
      this.#onAnswer();
      await this.#lookUpCaseNumber();
    } catch (error) {
      this.#phase = 'failed';
      if (error instanceof DOMException && error.name === 'AbortError') this.#error = 'cancelled';
      else if (error instanceof ApiError && error.status === 0) this.#error = 'interrupted';
      else this.#error = errorCode(error);
    } finally {
      this.#controller = null;
    }
  }

  cancel(): void {
    this.#controller?.abort();
  }

  /** Back to an empty form for the next package. */
  reset(): void {
    this.cancel();
    this.#file = null;
    this.#notZip = false;
    this.#phase = 'idle';
    this.#answer = null;
    this.#error = null;
    this.#caseNumber = null;
  }

  /** The answer names the case by id; the clerk knows it by its court number. */
  async #lookUpCaseNumber(): Promise<void> {
    const id = this.caseId;
    if (!id) return;
    try {
      const detail = await api.getCase(id);
      if (this.caseId === id) this.#caseNumber = detail.caseNumber;
    } catch {
      // The link still works without the number; the page then says "Open the case".
    }
  }
}

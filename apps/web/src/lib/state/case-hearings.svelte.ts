/**
 * The hearings section of a case page: the list (with summonses and, for those who schedule,
 * what became of each notice), and the schedule form (new, or changing one hearing), and the
 * cancellation of a hearing. While a notice is still waiting to go out, the list refreshes
 * itself now and then, so the clerk sees "sent" appear without reloading.
 */
import * as api from '../api.ts';
import { ApiError, errorCode, type ErrorCode } from '../api.ts';
import type { CaseHearings as CaseHearingsData, HearingDetail, HearingOptions } from '../types.ts';
import { HearingDraft } from './hearing-draft.svelte.ts';

/** A refusal of the form: its code, and the taken slot when a hall, judge or secretary is busy. */
export type FormError = { code: ErrorCode; busy: { from: string; to: string } | null };

/** What the form is doing: scheduling a new hearing, or changing `hearing`. */
export type Editing = { mode: 'new' } | { mode: 'edit'; hearing: HearingDetail };

/** How often the list is asked again while a notice is waiting to be sent. */
const REFRESH_MS = 4000;

export class CaseHearings {
  #caseId: string | null = null;
  #data = $state.raw<CaseHearingsData | null>(null);
  #error = $state<ErrorCode | null>(null);
  #options = $state.raw<HearingOptions | null>(null);
  #optionsError = $state<ErrorCode | null>(null);
  #editing = $state.raw<Editing | null>(null);
  /** The form's values; made once the form's options have arrived. */
  #draft = $state.raw<HearingDraft | null>(null);
  #saving = $state(false);
  #formError = $state.raw<FormError | null>(null);
  /** The hearing whose cancellation is being confirmed. */
  #cancelling = $state<string | null>(null);
  #cancelError = $state<ErrorCode | null>(null);
  /** The hearing just scheduled or changed, so the page can point at it. */
  #lastSaved = $state<string | null>(null);
  #refresh: ReturnType<typeof setTimeout> | null = null;
  #latest = 0;

  get data(): CaseHearingsData | null {
    return this.#data;
  }

  get hearings(): HearingDetail[] {
    return this.#data?.hearings ?? [];
  }

  get canSchedule(): boolean {
    return this.#data?.canSchedule ?? false;
  }

  get error(): ErrorCode | null {
    return this.#error;
  }

  get options(): HearingOptions | null {
    return this.#options;
  }

  get optionsError(): ErrorCode | null {
    return this.#optionsError;
  }

  get editing(): Editing | null {
    return this.#editing;
  }

  get draft(): HearingDraft | null {
    return this.#draft;
  }

  get saving(): boolean {
    return this.#saving;
  }

  get formError(): FormError | null {
    return this.#formError;
  }

  get cancelling(): string | null {
    return this.#cancelling;
  }

  get cancelError(): ErrorCode | null {
    return this.#cancelError;
  }

  get lastSaved(): string | null {
    return this.#lastSaved;
  }

  async load(caseId: string): Promise<void> {
    if (caseId !== this.#caseId) {
      this.#caseId = caseId;
      this.#data = null;
      this.#options = null;
      this.#editing = null;
      this.#draft = null;
      this.#cancelling = null;
    }
    const ticket = ++this.#latest;
    this.#stopRefresh();
    this.#error = null;
    try {
      const data = await api.getCaseHearings(caseId);
      if (ticket !== this.#latest) return;
      this.#data = data;
      if (data.hearings.some((h) => h.summons.some((s) => s.notices?.some((n) => n.status === 'pending')))) {
        this.#refresh = setTimeout(() => void this.load(caseId), REFRESH_MS);
      }
    } catch (error) {
      if (ticket === this.#latest) this.#error = errorCode(error);
    }
  }

  /** Opens the form for a new hearing (the options are fetched the first time). */
  openNew(): void {
    void this.#open({ mode: 'new' });
  }

  openEdit(hearing: HearingDetail): void {
    void this.#open({ mode: 'edit', hearing });
  }

  closeForm(): void {
    this.#editing = null;
    this.#draft = null;
    this.#formError = null;
  }

  /** Schedules or changes as the draft says; true when saved (the form then closes and the list is fresh). */
  async save(): Promise<boolean> {
    const editing = this.#editing;
    const caseId = this.#caseId;
    const input = this.#draft?.input;
    if (!editing || !caseId || !input || this.#saving) return false;
    this.#saving = true;
    this.#formError = null;
    try {
      const saved = editing.mode === 'new' ? await api.scheduleHearing(caseId, input) : await api.rescheduleHearing(editing.hearing.id, input);
      this.#lastSaved = saved.id;
      this.#editing = null;
      this.#draft = null;
      await this.load(caseId);
      return true;
    } catch (error) {
      this.#formError = { code: errorCode(error), busy: busySlot(error) };
      return false;
    } finally {
      this.#saving = false;
    }
  }

  askCancel(hearingId: string): void {
    this.#cancelling = hearingId;
    this.#cancelError = null;
  }

  keep(): void {
    this.#cancelling = null;
    this.#cancelError = null;
  }

  async cancel(hearingId: string, reason: string): Promise<void> {
    const caseId = this.#caseId;
    if (!caseId || this.#saving) return;
    this.#saving = true;
    this.#cancelError = null;
    try {
      await api.cancelHearing(hearingId, reason);
      this.#cancelling = null;
      this.#lastSaved = hearingId;
      await this.load(caseId);
    } catch (error) {
      this.#cancelError = errorCode(error);
    } finally {
      this.#saving = false;
    }
  }

  /** Stops the refreshing; the page calls it when it goes. */
  dispose(): void {
    this.#stopRefresh();
    this.#latest++;
  }

  async #open(editing: Editing): Promise<void> {
    this.#editing = editing;
    this.#draft = null;
    this.#formError = null;
    this.#cancelling = null;
    const options = this.#options ?? (this.#caseId ? await this.#loadOptions(this.#caseId) : null);
    // The user may have closed the form or opened another meanwhile.
    if (!options || this.#editing !== editing) return;
    this.#draft = editing.mode === 'new' ? HearingDraft.forNew(options) : HearingDraft.forEdit(editing.hearing, options.timeZone);
  }

  /** Loads the form's options (again, after a failure); the form shows `optionsError` meanwhile. */
  async #loadOptions(caseId: string): Promise<HearingOptions | null> {
    this.#optionsError = null;
    try {
      this.#options = await api.getHearingOptions(caseId);
      return this.#options;
    } catch (error) {
      this.#optionsError = errorCode(error);
      return null;
    }
  }

  #stopRefresh(): void {
    if (this.#refresh) clearTimeout(this.#refresh);
    this.#refresh = null;
  }
}

function busySlot(error: unknown): { from: string; to: string } | null {
  if (!(error instanceof ApiError) || !['hall_busy', 'judge_busy', 'secretary_busy'].includes(error.code)) return null;
  const details = error.details as { from?: unknown; to?: unknown } | undefined;
  return typeof details?.from === 'string' && typeof details.to === 'string' ? { from: details.from, to: details.to } : null;
}

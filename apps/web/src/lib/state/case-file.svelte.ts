/**
 * The case file (материалы дела) on the case page: the inventory by volume, which volumes are
 * open, and the last verification against the signed package.
 *
 * Built for big cases (40 volumes, 2,000 documents): the inventory is kept as a plain object
 * ($state.raw, no deep proxies), volumes start closed, and a volume's documents are rendered
 * only while it is open.
 */
import * as api from '../api.ts';
import { errorCode, type ErrorCode } from '../api.ts';
import type { Inventory, Verification } from '../types.ts';

export class CaseFile {
  #caseId: string | null = null;
  #inventory = $state.raw<Inventory | null>(null);
  #loading = $state(false);
  #error = $state<ErrorCode | null>(null);
  #open = $state.raw<ReadonlySet<number>>(new Set());
  #verification = $state.raw<Verification | null>(null);
  #verifying = $state(false);
  #verifyError = $state<ErrorCode | null>(null);
  #latest = 0;

  /** Document source id (as `attachedTo` names it) → title, for "attachment to …" lines. */
  #titles = $derived(new Map((this.#inventory?.volumes ?? []).flatMap((v) => v.documents.map((d) => [d.sourceId, d.title] as const))));

  /** Ids of documents the last verification found changed, missing or with a failing signature. */
  #failed = $derived(new Set((this.#verification?.documents ?? []).filter((d) => !d.hashOk || d.signatures.some((s) => !s.ok)).map((d) => d.id)));

  get inventory(): Inventory | null {
    return this.#inventory;
  }

  get loading(): boolean {
    return this.#loading;
  }

  get error(): ErrorCode | null {
    return this.#error;
  }

  get verification(): Verification | null {
    return this.#verification;
  }

  get verifying(): boolean {
    return this.#verifying;
  }

  get verifyError(): ErrorCode | null {
    return this.#verifyError;
  }

  get failed(): ReadonlySet<string> {
    return this.#failed;
  }

  titleOf(sourceId: string): string | null {
    return this.#titles.get(sourceId) ?? null;
  }

  isOpen(volume: number): boolean {
    return this.#open.has(volume);
  }

  toggle(volume: number): void {
    const open = new Set(this.#open);
    if (open.has(volume)) open.delete(volume);
    else open.add(volume);
    this.#open = open;
  }

  async load(caseId: string): Promise<void> {
    const ticket = ++this.#latest;
    this.#caseId = caseId;
    this.#loading = true;
    this.#error = null;
    this.#inventory = null;
    this.#verification = null;
    this.#verifying = false;
    this.#verifyError = null;
    this.#open = new Set();
    try {
      const inventory = await api.getInventory(caseId);
      if (ticket !== this.#latest) return;
      this.#inventory = inventory;
      // A one-volume case opens at once: there is nothing to choose between.
      if (inventory.volumes.length === 1) this.#open = new Set([inventory.volumes[0].number]);
    } catch (error) {
      if (ticket === this.#latest) this.#error = errorCode(error);
    } finally {
      if (ticket === this.#latest) this.#loading = false;
    }
  }

  async verify(): Promise<void> {
    const caseId = this.#caseId;
    if (!caseId || this.#verifying) return;
    const ticket = this.#latest;
    this.#verifying = true;
    this.#verifyError = null;
    try {
      const verification = await api.getVerification(caseId);
      if (ticket === this.#latest) this.#verification = verification;
    } catch (error) {
      if (ticket === this.#latest) this.#verifyError = errorCode(error);
    } finally {
      if (ticket === this.#latest) this.#verifying = false;
    }
  }
}

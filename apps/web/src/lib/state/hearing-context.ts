/**
 * The hearing a page of /hearings/[id]/… works on: one HearingManager per opened hearing, made by
 * the route's layout and shared with its pages and their components through Svelte's context, so
 * switching between a hearing's pages keeps one connection and one copy of the state.
 */
import { getContext, setContext } from 'svelte';
import type { HearingManager } from './hearing.svelte.ts';

const KEY = Symbol('hearing');

export function setHearing(manager: HearingManager): void {
  setContext(KEY, manager);
}

export function useHearing(): HearingManager {
  const manager = getContext<HearingManager | undefined>(KEY);
  if (!manager) throw new Error('useHearing() outside a hearing page');
  return manager;
}

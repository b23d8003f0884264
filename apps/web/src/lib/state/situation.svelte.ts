/**
 * The situation centre page's state: the dashboard, kept fresh by `situation:changed` pushes
 * (and, on a wall screen, a reload every minute in case a push was missed), and the list of cases
 * behind the figure the user picked.
 */
import { errorCode, getSituation, getSituationCases, type SituationCasesQuery } from '$lib/api.ts';
import type { ErrorCode } from '$lib/api.ts';
import { realtimeSocket } from '$lib/realtime/socket.ts';
import type { Dashboard, DrillCase } from '$lib/types.ts';

export class SituationManager {
  dashboard = $state<Dashboard | null>(null);
  error = $state<ErrorCode | null>(null);
  drill = $state<{ query: SituationCasesQuery; cases: DrillCase[] } | null>(null);
  #stop: (() => void) | null = null;

  async load(): Promise<void> {
    try {
      this.dashboard = await getSituation();
      this.error = null;
    } catch (error) {
      this.error = errorCode(error);
    }
  }

  /** Follows the court's changes until the returned function is called. */
  watch(refreshEveryMs: number | null): () => void {
    const socket = realtimeSocket();
    const onChanged = () => void this.load();
    const join = () => socket.emit('situation:watch', {}, () => {});
    socket.on('situation:changed', onChanged);
    socket.on('connect', join);
    if (socket.connected) join();
    const timer = refreshEveryMs ? setInterval(onChanged, refreshEveryMs) : null;
    this.#stop = () => {
      socket.off('situation:changed', onChanged);
      socket.off('connect', join);
      if (timer) clearInterval(timer);
    };
    return () => this.#stop?.();
  }

  async open(query: SituationCasesQuery): Promise<void> {
    try {
      this.drill = { query, cases: await getSituationCases({ ...query, limit: 200 }) };
    } catch (error) {
      this.error = errorCode(error);
    }
  }
}

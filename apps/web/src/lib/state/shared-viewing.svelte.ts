/**
 * Shared viewing of the case file at one workstation: what this workstation's viewer shows, and
 * what its user's own navigation means.
 *
 * - Presenting (this user has the floor): their page, zoom and region are the hall's; every change
 *   is sent as the shown position — one command at a time, the latest position once the previous
 *   answer is in (a fast scroll sends the sheets it settles on, not every one it passed).
 * - Following (someone else has the floor): the viewer shows the presenter's position. Browsing
 *   elsewhere steps away from it; `follow()` comes back in one click. A new presentation brings
 *   everyone back to following.
 * - Nobody presents: the user browses on their own, from the last page shown.
 *
 * Owns one effect root; `destroy()` when the page closes.
 */
import { samePosition, toShown, toViewerPosition } from '../hall/positions.ts';
import type { ViewerPosition } from '../viewer/types.ts';
import type { ShownPosition } from '$server/shared/hearing/floor/floor.ts';
import type { HearingManager } from './hearing.svelte.ts';

export class SharedViewing {
  #hearing: HearingManager;
  /** What this viewer shows. */
  #position = $state.raw<ViewerPosition | null>(null);
  /** The presentation this user stepped away from (they browse on their own until the next one). */
  #awayFrom = $state<string | null>(null);
  #sending = $state(false);
  /** A position the server refused (not for want of a connection): not sent again until it changes. */
  #refused: ViewerPosition | null = null;
  /** The last shown position converted, kept so the viewer gets the same object until it changes. */
  #shownFrom: ShownPosition | null = null;
  #shownAs: ViewerPosition | null = null;
  #stop: () => void;

  constructor(hearing: HearingManager) {
    this.#hearing = hearing;
    this.#stop = $effect.root(() => {
      // Following: show what is shown (and keep it when the presentation ends).
      $effect(() => {
        const shown = this.shown;
        if (this.following && shown) this.#position = shown;
      });
      // Presenting: send this viewer's position whenever it differs from the shown one.
      $effect(() => {
        const mine = this.#position;
        if (!this.presenting || this.#hearing.readOnly || this.#sending || !mine) return;
        if (samePosition(mine, this.shown) || mine === this.#refused) return;
        void this.#send(mine);
      });
    });
  }

  destroy(): void {
    this.#stop();
  }

  /** What the hall is shown, in the viewer's terms; null when nothing is. */
  get shown(): ViewerPosition | null {
    const shown = this.#hearing.state?.shown ?? null;
    if (shown !== this.#shownFrom) {
      this.#shownFrom = shown;
      this.#shownAs = shown ? toViewerPosition(shown) : null;
    }
    return this.#shownAs;
  }

  get position(): ViewerPosition | null {
    return this.#position;
  }

  get presenting(): boolean {
    return this.#hearing.hasFloor;
  }

  /** Someone else presents: this workstation may follow them. */
  get canFollow(): boolean {
    return this.#hearing.state?.floor != null && !this.presenting;
  }

  get following(): boolean {
    const floor = this.#hearing.state?.floor;
    return this.canFollow && floor?.presentationId !== this.#awayFrom;
  }

  /** The first position, before anything is shown or browsed (the first sheet of the case file). */
  start(position: ViewerPosition): void {
    if (!this.#position) this.#position = this.shown && this.canFollow ? this.shown : position;
  }

  /** The user moved in the viewer. */
  navigate(next: ViewerPosition): void {
    if (this.following) {
      const shown = this.shown;
      // The viewer settling on the presenter's own page is not the user stepping away.
      if (shown && samePosition(next, shown)) return;
      this.#awayFrom = this.#hearing.state?.floor?.presentationId ?? null;
    }
    this.#position = next;
  }

  /** Back to the presenter's page, or (false) stay here and browse on one's own. */
  setFollowing(on: boolean): void {
    if (on) {
      this.#awayFrom = null;
      if (this.shown) this.#position = this.shown;
    } else {
      this.#awayFrom = this.#hearing.state?.floor?.presentationId ?? null;
    }
  }

  async #send(position: ViewerPosition): Promise<void> {
    this.#sending = true;
    try {
      const answer = await this.#hearing.show(toShown(position));
      // Refused for want of a connection: sent again once the workstation is back in step.
      if ('error' in answer && answer.error.code !== 'unavailable') this.#refused = position;
    } finally {
      this.#sending = false;
    }
  }
}

/**
 * Where each sheet of the open volume sits in the viewer's scrolling column. Every page is shown
 * at the same width (the viewer's width × zoom), so a sheet's height is that width × its aspect
 * ratio. Ratios are known only once a page has been opened; until then a sheet takes its
 * document's first measured ratio, or A4's. Offsets are prefix sums over the volume (a volume is
 * at most a few hundred sheets), and the sheet at a scroll offset is a binary search.
 */

/** Space between pages; the sheet's label sits in it. */
export const GAP = 32;
/** Space left and right of the pages, and above the first. */
export const PAD = 16;
const A4 = 842 / 595;

export class PageLayout {
  /** The scrolling column's size, measured by the viewer. */
  viewWidth = $state(0);
  viewHeight = $state(0);
  zoom = $state(1);

  #aspects = $state.raw<Float64Array>(new Float64Array(0));
  #measured = new Uint8Array(0);

  /** Every page's width, in CSS pixels. */
  readonly pageWidth = $derived(Math.max(160, Math.floor((this.viewWidth - 2 * PAD) * this.zoom)));

  /** offsets[i]: top of sheet i + 1's slot (its label, then the page); offsets[n]: the end. */
  readonly #offsets = $derived.by(() => {
    const aspects = this.#aspects;
    const offsets = new Float64Array(aspects.length + 1);
    let y = PAD;
    for (let i = 0; i < aspects.length; i++) {
      offsets[i] = y;
      y += GAP + Math.round(this.pageWidth * aspects[i]);
    }
    offsets[aspects.length] = y;
    return offsets;
  });

  get sheets(): number {
    return this.#aspects.length;
  }

  /** Height of the scrolled content: the last page can still be scrolled to the top. */
  get total(): number {
    return this.#offsets[this.sheets] + Math.max(0, this.viewHeight - GAP);
  }

  /** Starts a volume of `sheets` sheets, every page A4 until measured. */
  reset(sheets: number): void {
    this.#aspects = new Float64Array(sheets).fill(A4);
    this.#measured = new Uint8Array(sheets);
  }

  /** Top of the slot of the sheet at 0-based `index` (where its label is). */
  slotTop(index: number): number {
    return this.#offsets[index] ?? PAD;
  }

  /** Top of the page itself. */
  pageTop(index: number): number {
    return this.slotTop(index) + GAP;
  }

  pageHeight(index: number): number {
    return Math.round(this.pageWidth * (this.#aspects[index] ?? A4));
  }

  /** The 0-based index of the sheet whose slot holds `y`. */
  indexAt(y: number): number {
    const offsets = this.#offsets;
    let low = 0;
    let high = this.sheets - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (offsets[middle] <= y) low = middle;
      else high = middle - 1;
    }
    return Math.max(0, low);
  }

  /**
   * A page's measured ratio (height / width). The other sheets of its document (`from`..`to`,
   * 0-based) not measured yet take it as their guess: scanned documents have pages alike.
   */
  measure(index: number, aspect: number, from: number, to: number): void {
    if (!(aspect > 0) || index >= this.sheets) return;
    this.#measured[index] = 1;
    const next = Float64Array.from(this.#aspects);
    let changed = false;
    const set = (i: number) => {
      if (Math.abs(next[i] - aspect) <= 0.002) return;
      next[i] = aspect;
      changed = true;
    };
    set(index);
    for (let i = Math.max(0, from); i <= Math.min(to, this.sheets - 1); i++) if (!this.#measured[i]) set(i);
    if (changed) this.#aspects = next;
  }
}

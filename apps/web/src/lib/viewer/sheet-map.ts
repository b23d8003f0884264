/**
 * Sheets (листы) of the case file ↔ pages of its documents. Each volume numbers its sheets from
 * 1, and its PDF documents cover them in order, without gaps (the package contract, SPEC §2):
 * sheet s of volume v is page s − sheetFrom + 1 of the document whose range holds s. Lookups are
 * binary searches, so a 40-volume, 10,000-sheet case answers at once.
 *
 * Plain TypeScript without the app's aliases, so Node runs its unit test directly.
 */

/** What the map needs of an inventory document (InventoryDocument has all of it). */
export type SheetDocument = { id: string; kind: string; title: string; sheetFrom: number | null; sheetTo: number | null; pages: number | null };
export type SheetVolume = { number: number; sheets: number; documents: SheetDocument[] };

export type SheetAddress = { volume: number; sheet: number };
export type DocumentPage = { documentId: string; page: number };
export type PagedDocument = SheetDocument & { volume: number; sheetFrom: number; sheetTo: number };

export class SheetMap {
  /** Per volume number: its PDF documents in sheet order. */
  #byVolume = new Map<number, PagedDocument[]>();
  #byId = new Map<string, PagedDocument>();
  #volumes: { number: number; sheets: number }[];

  constructor(volumes: SheetVolume[]) {
    this.#volumes = volumes.map((v) => ({ number: v.number, sheets: v.sheets })).sort((a, b) => a.number - b.number);
    for (const volume of volumes) {
      const paged = volume.documents
        .filter((d): d is SheetDocument & { sheetFrom: number; sheetTo: number } => d.sheetFrom !== null && d.sheetTo !== null && d.kind !== 'media')
        .map((d) => ({ ...d, volume: volume.number }))
        .sort((a, b) => a.sheetFrom - b.sheetFrom);
      this.#byVolume.set(volume.number, paged);
      for (const d of paged) this.#byId.set(d.id, d);
    }
  }

  /** The volumes with their sheet counts, in order. */
  get volumes(): readonly { number: number; sheets: number }[] {
    return this.#volumes;
  }

  sheetsIn(volume: number): number {
    return this.#volumes.find((v) => v.number === volume)?.sheets ?? 0;
  }

  /** A PDF document of the case by id. */
  document(documentId: string): PagedDocument | undefined {
    return this.#byId.get(documentId);
  }

  /** The documents of a volume in sheet order. */
  documentsIn(volume: number): readonly PagedDocument[] {
    return this.#byVolume.get(volume) ?? [];
  }

  /** The document and page that hold a sheet, or null for a sheet the volume does not have. */
  locate(address: SheetAddress): (DocumentPage & { document: PagedDocument }) | null {
    const documents = this.#byVolume.get(address.volume);
    if (!documents || !Number.isInteger(address.sheet)) return null;
    let low = 0;
    let high = documents.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const d = documents[middle];
      if (address.sheet < d.sheetFrom) high = middle - 1;
      else if (address.sheet > d.sheetTo) low = middle + 1;
      else return { documentId: d.id, page: address.sheet - d.sheetFrom + 1, document: d };
    }
    return null;
  }

  /** The volume and sheet of a document's page, or null when the document has no such page. */
  addressOf(where: DocumentPage): SheetAddress | null {
    const d = this.#byId.get(where.documentId);
    if (!d || !Number.isInteger(where.page) || where.page < 1 || where.page > d.sheetTo - d.sheetFrom + 1) return null;
    return { volume: d.volume, sheet: d.sheetFrom + where.page - 1 };
  }

  /** The first sheet of the case file (the first volume that has any). */
  first(): SheetAddress | null {
    const volume = this.#volumes.find((v) => this.#hasSheets(v.number));
    return volume ? { volume: volume.number, sheet: this.documentsIn(volume.number)[0].sheetFrom } : null;
  }

  /** The sheet after this one, into the next volume after the last sheet; null after the very last. */
  next(address: SheetAddress): SheetAddress | null {
    const documents = this.documentsIn(address.volume);
    const last = documents.at(-1)?.sheetTo ?? 0;
    if (address.sheet < last) return { volume: address.volume, sheet: Math.max(address.sheet + 1, documents[0].sheetFrom) };
    const following = this.#volumes.find((v) => v.number > address.volume && this.#hasSheets(v.number));
    return following ? { volume: following.number, sheet: this.documentsIn(following.number)[0].sheetFrom } : null;
  }

  /** The sheet before this one, into the previous volume's last sheet; null before the very first. */
  previous(address: SheetAddress): SheetAddress | null {
    const documents = this.documentsIn(address.volume);
    const first = documents[0]?.sheetFrom ?? Infinity;
    if (address.sheet > first) return { volume: address.volume, sheet: Math.min(address.sheet - 1, documents.at(-1)!.sheetTo) };
    const preceding = this.#volumes.findLast((v) => v.number < address.volume && this.#hasSheets(v.number));
    return preceding ? { volume: preceding.number, sheet: this.documentsIn(preceding.number).at(-1)!.sheetTo } : null;
  }

  #hasSheets(volume: number): boolean {
    return this.documentsIn(volume).length > 0;
  }
}

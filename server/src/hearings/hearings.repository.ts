import { eq } from 'drizzle-orm';
import { hearings } from '../../../db/schema.ts';
import type { Db } from '../../../db/client.ts';

export type HearingRecord = typeof hearings.$inferSelect;

export class HearingsRepository {
  #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  find(id: string): HearingRecord | undefined {
    return this.#db.select().from(hearings).where(eq(hearings.id, id)).get();
  }
}

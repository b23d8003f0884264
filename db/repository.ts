/**
 * What every repository starts from (docs/architecture.md, "Repositories on either dialect"):
 *
 *     export class NotesRepository extends Repository {
 *       async find(id: string) {
 *         const { caseNotes } = this.tables;
 *         const [row] = await this.db.select().from(caseNotes).where(eq(caseNotes.id, id));
 *         return row;
 *       }
 *     }
 *
 * and writes in `this.database.transaction(async () => …)`.
 */
import type { Database, Queries, Tables } from './database.ts';

export abstract class Repository {
  protected readonly database: Database;
  /** This dialect's tables: take them from here, never import them from db/schema.ts. */
  protected readonly tables: Tables;

  constructor(database: Database) {
    this.database = database;
    this.tables = database.tables;
  }

  /**
   * The queries: the current transaction's inside one (db/database.ts), committed data outside.
   * Read it at each query and never keep it in a variable.
   */
  protected get db(): Queries {
    return this.database.db;
  }
}

import { auditLog } from '../../../db/schema.ts';
import type { Db } from '../../../db/client.ts';

export type AuditEntry = {
  userId?: string | null;
  /** Who acted, as a person reads it: a username, `client:<name>` for integrations, or `anonymous`. */
  actor: string;
  action: string;
  outcome: 'allowed' | 'denied' | 'failed';
  caseId?: string | null;
  target?: string | null;
  ip?: string | null;
  details?: Record<string, unknown> | null;
};

/** Writes to the append-only audit log. There is deliberately no update or delete here. */
export class AuditRepository {
  #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  record(entry: AuditEntry): void {
    this.#db
      .insert(auditLog)
      .values({ ...entry, at: new Date() })
      .run();
  }
}

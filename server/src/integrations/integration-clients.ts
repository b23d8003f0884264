/**
 * Bearer tokens for the systems that hand cases to the court (ERDR). The court administrator
 * issues one per client (`npm run admin -- token:create <client>`) and can revoke it. A token is
 * 32 random bytes, so its SHA-256 is all the database needs to keep.
 */
import crypto from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../../db/client.ts';
import { integrationClients } from '../../../db/schema.ts';

export type IntegrationClient = { id: string; name: string };

const hashOf = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

export class IntegrationClients {
  #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Issues a new token for `name` (replacing any earlier one) and returns it: it is shown once. */
  create(name: string): string {
    if (!/^[A-Za-z0-9._-]{2,64}$/.test(name)) throw new Error('a client name is 2–64 latin letters, digits, dot, dash or underscore');
    const token = `ezal_${crypto.randomBytes(32).toString('base64url')}`;
    const existing = this.#db.select().from(integrationClients).where(eq(integrationClients.name, name)).get();
    if (existing) {
      this.#db
        .update(integrationClients)
        .set({ tokenHash: hashOf(token), revokedAt: null, createdAt: new Date() })
        .where(eq(integrationClients.id, existing.id))
        .run();
    } else {
      this.#db
        .insert(integrationClients)
        .values({ id: crypto.randomUUID(), name, tokenHash: hashOf(token) })
        .run();
    }
    return token;
  }

  /** Returns whether a live token existed. */
  revoke(name: string): boolean {
    const result = this.#db
      .update(integrationClients)
      .set({ revokedAt: new Date() })
      .where(and(eq(integrationClients.name, name), isNull(integrationClients.revokedAt)))
      .run();
    return result.changes > 0;
  }

  list(): { name: string; createdAt: Date; revokedAt: Date | null }[] {
    return this.#db.select({ name: integrationClients.name, createdAt: integrationClients.createdAt, revokedAt: integrationClients.revokedAt }).from(integrationClients).all();
  }

  /** The client a bearer token belongs to, unless unknown or revoked. */
  authenticate(token: string | undefined): IntegrationClient | undefined {
    if (!token) return undefined;
    const row = this.#db
      .select({ id: integrationClients.id, name: integrationClients.name })
      .from(integrationClients)
      .where(and(eq(integrationClients.tokenHash, hashOf(token)), isNull(integrationClients.revokedAt)))
      .get();
    return row;
  }
}

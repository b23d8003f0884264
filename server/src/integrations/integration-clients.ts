/**
 * Bearer tokens for the systems that hand cases to the court (ERDR). The court administrator
 * issues one per client (`npm run admin -- token:create <client>`) and can revoke it. A token is
 * 32 random bytes, so its SHA-256 is all the database needs to keep. On either dialect (db/database.ts).
 */
import crypto from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { Repository } from '../../../db/repository.ts';

export type IntegrationClient = { id: string; name: string };

const hashOf = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

export class IntegrationClients extends Repository {
  /** Issues a new token for `name` (replacing any earlier one) and returns it: it is shown once. */
  async create(name: string): Promise<string> {
    if (!/^[A-Za-z0-9._-]{2,64}$/.test(name)) throw new Error('a client name is 2–64 latin letters, digits, dot, dash or underscore');
    const { integrationClients } = this.tables;
    const token = `ezal_${crypto.randomBytes(32).toString('base64url')}`;
    await this.database.transaction(async () => {
      const [existing] = await this.db.select().from(integrationClients).where(eq(integrationClients.name, name));
      if (existing) {
        await this.db
          .update(integrationClients)
          .set({ tokenHash: hashOf(token), revokedAt: null, createdAt: new Date() })
          .where(eq(integrationClients.id, existing.id));
      } else {
        await this.db.insert(integrationClients).values({ id: crypto.randomUUID(), name, tokenHash: hashOf(token) });
      }
    });
    return token;
  }

  /** Returns whether a live token existed. */
  async revoke(name: string): Promise<boolean> {
    const { integrationClients } = this.tables;
    const revoked = await this.database.transaction(async () =>
      this.db
        .update(integrationClients)
        .set({ revokedAt: new Date() })
        .where(and(eq(integrationClients.name, name), isNull(integrationClients.revokedAt)))
        .returning({ id: integrationClients.id }),
    );
    return revoked.length > 0;
  }

  async list(): Promise<{ name: string; createdAt: Date; revokedAt: Date | null }[]> {
    const { integrationClients } = this.tables;
    return this.db.select({ name: integrationClients.name, createdAt: integrationClients.createdAt, revokedAt: integrationClients.revokedAt }).from(integrationClients);
  }

  /** The client a bearer token belongs to, unless unknown or revoked. */
  async authenticate(token: string | undefined): Promise<IntegrationClient | undefined> {
    if (!token) return undefined;
    const { integrationClients } = this.tables;
    const [row] = await this.db
      .select({ id: integrationClients.id, name: integrationClients.name })
      .from(integrationClients)
      .where(and(eq(integrationClients.tokenHash, hashOf(token)), isNull(integrationClients.revokedAt)));
    return row;
  }
}

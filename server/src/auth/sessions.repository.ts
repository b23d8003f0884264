import crypto from 'node:crypto';
import { and, eq, gt, lt } from 'drizzle-orm';
import { sessions } from '../../../db/schema.ts';
import type { Db } from '../../../db/client.ts';

/** The cookie carries the token; the database keeps only its SHA-256, so a copy of the database opens no session. */
export function sessionIdOf(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

export class SessionsRepository {
  #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  create(input: { userId: string; ttlMs: number; ip: string | null; userAgent: string | null }): { token: string; id: string; expiresAt: Date } {
    const token = crypto.randomBytes(32).toString('base64url');
    const id = sessionIdOf(token);
    const createdAt = new Date();
    const expiresAt = new Date(createdAt.getTime() + input.ttlMs);
    this.#db.insert(sessions).values({ id, userId: input.userId, createdAt, expiresAt, ip: input.ip, userAgent: input.userAgent }).run();
    return { token, id, expiresAt };
  }

  /** The live session for a token, or undefined when unknown or expired. */
  findLive(token: string): { id: string; userId: string; expiresAt: Date } | undefined {
    return this.#db
      .select({ id: sessions.id, userId: sessions.userId, expiresAt: sessions.expiresAt })
      .from(sessions)
      .where(and(eq(sessions.id, sessionIdOf(token)), gt(sessions.expiresAt, new Date())))
      .get();
  }

  delete(id: string): void {
    this.#db.delete(sessions).where(eq(sessions.id, id)).run();
  }

  deleteExpired(): number {
    return this.#db.delete(sessions).where(lt(sessions.expiresAt, new Date())).run().changes;
  }
}

/** Login sessions, on either dialect (db/database.ts). */
import crypto from 'node:crypto';
import { and, eq, gt, lt } from 'drizzle-orm';
import { Repository } from '../../../db/repository.ts';

/** The cookie carries the token; the database keeps only its SHA-256, so a copy of the database opens no session. */
export function sessionIdOf(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

export class SessionsRepository extends Repository {
  /** Writes a new session: in the caller's transaction when inside one (the login's, with its audit entry). */
  async create(input: { userId: string; ttlMs: number; ip: string | null; userAgent: string | null }): Promise<{ token: string; id: string; expiresAt: Date }> {
    const { sessions } = this.tables;
    const token = crypto.randomBytes(32).toString('base64url');
    const id = sessionIdOf(token);
    const createdAt = new Date();
    const expiresAt = new Date(createdAt.getTime() + input.ttlMs);
    await this.database.transaction(async () => {
      await this.db.insert(sessions).values({ id, userId: input.userId, createdAt, expiresAt, ip: input.ip, userAgent: input.userAgent });
    });
    return { token, id, expiresAt };
  }

  /** The live session for a token, or undefined when unknown or expired. */
  async findLive(token: string): Promise<{ id: string; userId: string; expiresAt: Date } | undefined> {
    const { sessions } = this.tables;
    const [row] = await this.db
      .select({ id: sessions.id, userId: sessions.userId, expiresAt: sessions.expiresAt })
      .from(sessions)
      .where(and(eq(sessions.id, sessionIdOf(token)), gt(sessions.expiresAt, new Date())));
    return row;
  }

  async delete(id: string): Promise<void> {
    const { sessions } = this.tables;
    await this.database.transaction(async () => {
      await this.db.delete(sessions).where(eq(sessions.id, id));
    });
  }

  /** Removes the expired sessions; returns how many. */
  async deleteExpired(): Promise<number> {
    const { sessions } = this.tables;
    const removed = await this.database.transaction(async () => this.db.delete(sessions).where(lt(sessions.expiresAt, new Date())).returning({ id: sessions.id }));
    return removed.length;
  }
}

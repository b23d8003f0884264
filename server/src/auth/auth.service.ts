/**
 * Logging in and out, and finding who is behind a session token. Knows nothing of HTTP.
 */
import type { Locale, StaffRole } from '../../../db/schema.ts';
import { AppError } from '../http/errors.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import { dummyPasswordHash, verifyPassword } from './password.ts';
import type { SessionsRepository } from './sessions.repository.ts';

/** The person behind a request, as every route and socket handler sees them. */
export type SessionUser = {
  id: string;
  username: string;
  fullName: string;
  roles: StaffRole[];
  locale: Locale;
  courtId: string | null;
  sessionId: string;
};

type Deps = {
  users: UsersRepository;
  sessions: SessionsRepository;
  audit: AuditRepository;
  sessionTtlMs: number;
  /** Runs `fn` in one database transaction: the session and its audit entry are written together. */
  atomically: <T>(fn: () => T) => T;
};

export class AuthService {
  #deps: Deps;

  constructor(deps: Deps) {
    this.#deps = deps;
  }

  async login(input: { username: string; password: string; ip: string | null; userAgent: string | null }): Promise<{ token: string; expiresAt: Date; user: SessionUser }> {
    const { users, sessions, audit, sessionTtlMs, atomically } = this.#deps;
    const user = users.findByUsername(input.username);
    const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password);
    if (!user || !ok || !user.active) {
      audit.record({ userId: user?.id, actor: input.username, action: 'auth.login', outcome: 'denied', ip: input.ip, details: { reason: !user ? 'unknown_user' : !ok ? 'wrong_password' : 'inactive' } });
      throw new AppError('invalid_credentials', 'Wrong username or password');
    }
    const session = atomically(() => {
      audit.record({ userId: user.id, actor: user.username, action: 'auth.login', outcome: 'allowed', ip: input.ip });
      return sessions.create({ userId: user.id, ttlMs: sessionTtlMs, ip: input.ip, userAgent: input.userAgent });
    });
    return {
      token: session.token,
      expiresAt: session.expiresAt,
      user: { id: user.id, username: user.username, fullName: user.fullName, roles: user.roles, locale: user.locale, courtId: user.courtId, sessionId: session.id },
    };
  }

  /** Resolves a session token to its user; undefined when the token is unknown, expired or the user is disabled. */
  authenticate(token: string | undefined): SessionUser | undefined {
    if (!token) return undefined;
    const session = this.#deps.sessions.findLive(token);
    if (!session) return undefined;
    const user = this.#deps.users.findById(session.userId);
    if (!user || !user.active) return undefined;
    return { id: user.id, username: user.username, fullName: user.fullName, roles: user.roles, locale: user.locale, courtId: user.courtId, sessionId: session.id };
  }

  logout(user: SessionUser, ip: string | null): void {
    this.#deps.sessions.delete(user.sessionId);
    this.#deps.audit.record({ userId: user.id, actor: user.username, action: 'auth.logout', outcome: 'allowed', ip });
  }
}

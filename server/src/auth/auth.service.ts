/**
 * Logging in and out, and finding who is behind a session token. Knows nothing of HTTP.
 */
import type { Locale, StaffRole } from '../../../db/schema.ts';
import { AppError } from '../shared/errors.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import type { LoginLimiter } from './login-guard.ts';
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
  /** Slows and limits guessing (login-guard.ts; redis-login-guard.ts with several nodes). */
  guard: LoginLimiter;
  /** Runs `fn` in one database transaction: the session and its audit entry are written together. */
  transaction: <T>(fn: () => Promise<T>) => Promise<T>;
};

export class AuthService {
  #deps: Deps;

  constructor(deps: Deps) {
    this.#deps = deps;
  }

  /**
   * `device`: the known-device cookie's id and accounts, when the browser sent a valid one. A refused
   * attempt throws `too_many_attempts` (details: `retryAfterSeconds`); every attempt is audited, with
   * the wait it was given when it was slowed.
   */
  async login(input: {
    username: string;
    password: string;
    ip: string | null;
    userAgent: string | null;
    device: { id: string; userIds: string[] } | null;
  }): Promise<{ token: string; expiresAt: Date; user: SessionUser }> {
    const { users, sessions, audit, sessionTtlMs, transaction, guard } = this.#deps;
    const user = await users.findByUsername(input.username);
    const knownDevice = user && input.device?.userIds.includes(user.id) ? input.device.id : null;
    const admission = await guard.admit({ address: input.ip ?? 'unknown', account: input.username.toLowerCase(), device: knownDevice });
    if (admission.refused) {
      const { scope, retryAfterSeconds } = admission;
      await audit.record({ userId: user?.id, actor: input.username, action: 'auth.login', outcome: 'denied', ip: input.ip, details: { reason: 'too_many_attempts', scope, retryAfterSeconds } });
      throw new AppError('too_many_attempts', 'Too many failed logins; try again later', { retryAfterSeconds });
    }
    const slowed = admission.waitMs > 0 ? { delayedMs: Math.round(admission.waitMs) } : {};
    const known = knownDevice ? { knownDevice: true } : {};
    let verified = false;
    try {
      if (admission.waitMs > 0) await new Promise((resolve) => setTimeout(resolve, admission.waitMs));
      verified = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password);
    } finally {
      await admission.settle(verified && !!user?.active);
    }
    if (!user || !verified || !user.active) {
      const reason = !user ? 'unknown_user' : !verified ? 'wrong_password' : 'inactive';
      await audit.record({ userId: user?.id, actor: input.username, action: 'auth.login', outcome: 'denied', ip: input.ip, details: { reason, ...slowed, ...known } });
      throw new AppError('invalid_credentials', 'Wrong username or password');
    }
    const session = await transaction(async () => {
      await audit.record({
        userId: user.id,
        actor: user.username,
        action: 'auth.login',
        outcome: 'allowed',
        ip: input.ip,
        ...(slowed.delayedMs || knownDevice ? { details: { ...slowed, ...known } } : {}),
      });
      return sessions.create({ userId: user.id, ttlMs: sessionTtlMs, ip: input.ip, userAgent: input.userAgent });
    });
    return {
      token: session.token,
      expiresAt: session.expiresAt,
      user: { id: user.id, username: user.username, fullName: user.fullName, roles: user.roles, locale: user.locale, courtId: user.courtId, sessionId: session.id },
    };
  }

  /** Resolves a session token to its user; undefined when the token is unknown, expired or the user is disabled. */
  async authenticate(token: string | undefined): Promise<SessionUser | undefined> {
    if (!token) return undefined;
    const session = await this.#deps.sessions.findLive(token);
    if (!session) return undefined;
    const user = await this.#deps.users.findById(session.userId);
    if (!user || !user.active) return undefined;
    return { id: user.id, username: user.username, fullName: user.fullName, roles: user.roles, locale: user.locale, courtId: user.courtId, sessionId: session.id };
  }

  async logout(user: SessionUser, ip: string | null): Promise<void> {
    await this.#deps.transaction(async () => {
      await this.#deps.sessions.delete(user.sessionId);
      await this.#deps.audit.record({ userId: user.id, actor: user.username, action: 'auth.logout', outcome: 'allowed', ip });
    });
  }
}

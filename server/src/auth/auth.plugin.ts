/**
 * Sign-in and sessions. Builds the accounts (`app.auth`, `app.users`), resolves the session cookie
 * to a user on every request (`request.user`), and provides the guards routes use: `app.requireUser`
 * (401 without a live session) and `app.csrfProtection` (from @fastify/csrf-protection, bound to the
 * session so a token from one session is useless in another). Every plugin with routes comes after it.
 */
import fp from 'fastify-plugin';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../shared/errors.ts';
import { UsersRepository } from '../users/users.repository.ts';
import { authRoutes } from './auth.routes.ts';
import { AuthService, type SessionUser } from './auth.service.ts';
import { LoginGuard } from './login-guard.ts';
import { RedisLoginGuard } from './redis-login-guard.ts';
import { SessionsRepository } from './sessions.repository.ts';

export const SESSION_COOKIE = 'ezal_session';

declare module 'fastify' {
  interface FastifyRequest {
    user: SessionUser | undefined;
  }
  interface FastifyInstance {
    auth: AuthService;
    users: UsersRepository;
    requireUser: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
}

/** The user of a request that passed `requireUser`. */
export function userOf(request: FastifyRequest): SessionUser {
  if (!request.user) throw new AppError('unauthenticated', 'Log in first');
  return request.user;
}

export const authPlugin = fp(
  async (app) => {
    const { config, db, secrets } = app;
    const users = new UsersRepository(db);
    const sessions = new SessionsRepository(db);
    const guardOptions = { ...config.login, addressWindowMs: config.login.addressWindowSeconds * 1000 };
    const ownGuard = new LoginGuard(guardOptions);
    // Several nodes count failures together in Redis; this node's own guard stands in while Redis is down.
    const guard = config.cluster.redisUrl ? new RedisLoginGuard({ url: config.cluster.redisUrl, options: guardOptions, fallback: ownGuard, log: app.log }) : ownGuard;
    if (guard instanceof RedisLoginGuard) app.addHook('onClose', async () => guard.close());
    const auth = new AuthService({ users, sessions, audit: app.audit, guard, sessionTtlMs: config.sessionTtlHours * 3600_000, transaction: (fn) => db.transaction(fn) });
    app.decorate('auth', auth);
    app.decorate('users', users);

    await app.register(fastifyCookie, { secret: secrets.cookieSecret });
    await app.register(fastifyCsrf, {
      cookieKey: 'ezal_csrf',
      cookieOpts: { path: '/', sameSite: 'strict', httpOnly: true, secure: config.cookieSecure, signed: true },
      csrfOpts: { userInfo: true, hmacKey: secrets.csrfHmacKey },
      getUserInfo: (request) => request.user?.sessionId ?? '',
      getToken: (request) => request.headers['x-csrf-token'] as string | undefined,
    });

    app.decorateRequest('user', undefined);
    app.addHook('onRequest', async (request) => {
      request.user = await auth.authenticate(request.cookies[SESSION_COOKIE]);
    });

    app.decorate('requireUser', async (request: FastifyRequest) => {
      if (!request.user) throw new AppError('unauthenticated', 'Log in first');
    });
    await app.register(authRoutes, { auth, users, cookieSecure: config.cookieSecure, deviceTtlDays: config.login.deviceTtlDays });

    // Expired sessions are refused anyway; this only keeps the table small.
    const sweep = setInterval(() => {
      sessions.deleteExpired().catch((error: unknown) => app.log.error({ err: error }, 'expired sessions could not be removed'));
    }, 3600_000);
    sweep.unref();
    app.addHook('onReady', async () => {
      await sessions.deleteExpired();
    });
    app.addHook('onClose', async () => clearInterval(sweep));
  },
  { name: 'ezal-auth', fastify: '5.x', dependencies: ['ezal-core', 'ezal-audit'] },
);

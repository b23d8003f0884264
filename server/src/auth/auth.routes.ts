import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { LOCALES, type Locale, type StaffRole } from '../../../db/schema.ts';
import type { CourtInfo, UsersRepository } from '../users/users.repository.ts';
import type { AuthService, SessionUser } from './auth.service.ts';
import { SESSION_COOKIE, userOf } from './auth.plugin.ts';

/** What login, GET /api/me and PATCH /api/me answer. */
export type MeResponse = {
  user: { id: string; username: string; fullName: string; roles: StaffRole[]; locale: Locale; court: CourtInfo | null };
  csrfToken: string;
};

type Options = { auth: AuthService; users: UsersRepository; cookieSecure: boolean; loginRateLimit: { max: number; windowSeconds: number } };

export const authRoutes: FastifyPluginAsyncTypebox<Options> = async (app, options) => {
  const { auth, users } = options;

  /** What the web app needs about the logged-in user, plus a CSRF token for its next writes. */
  const meBody = (user: SessionUser, csrfToken: string): MeResponse => {
    const court = user.courtId ? users.court(user.courtId) : undefined;
    return {
      user: { id: user.id, username: user.username, fullName: user.fullName, roles: user.roles, locale: user.locale, court: court ?? null },
      csrfToken,
    };
  };

  app.post(
    '/api/auth/login',
    {
      schema: {
        body: Type.Object({
          username: Type.String({ minLength: 1, maxLength: 100 }),
          password: Type.String({ minLength: 1, maxLength: 200 }),
        }),
      },
      config: {
        // Per account and address: guessing one account's password is slowed down, while a hall
        // full of people behind one NAT address can still all log in.
        rateLimit: {
          hook: 'preHandler',
          max: options.loginRateLimit.max,
          timeWindow: options.loginRateLimit.windowSeconds * 1000,
          keyGenerator: (request) => `${request.ip}|${String((request.body as { username?: unknown })?.username ?? '').trim().toLowerCase()}`,
        },
      },
    },
    async (request, reply) => {
      const { token, expiresAt, user } = await auth.login({
        username: request.body.username.trim(),
        password: request.body.password,
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
      });
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: options.cookieSecure,
        expires: expiresAt,
      });
      return meBody(user, reply.generateCsrf({ userInfo: user.sessionId }));
    },
  );

  app.post('/api/auth/logout', { onRequest: [app.requireUser, app.csrfProtection] }, async (request, reply) => {
    const user = userOf(request);
    auth.logout(user, request.ip);
    app.io?.in(`session:${user.sessionId}`).disconnectSockets(true);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  app.get('/api/me', { onRequest: app.requireUser }, async (request, reply) => {
    const user = userOf(request);
    return meBody(user, reply.generateCsrf({ userInfo: user.sessionId }));
  });

  app.patch(
    '/api/me',
    {
      onRequest: [app.requireUser, app.csrfProtection],
      schema: { body: Type.Object({ locale: Type.Union(LOCALES.map((l) => Type.Literal(l))) }, { additionalProperties: false }) },
    },
    async (request, reply) => {
      const user = userOf(request);
      users.setLocale(user.id, request.body.locale);
      return meBody({ ...user, locale: request.body.locale }, reply.generateCsrf({ userInfo: user.sessionId }));
    },
  );
};

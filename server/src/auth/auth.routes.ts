import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { LOCALES } from '../../../db/schema.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import type { MeResponse } from '../shared/api/auth.ts';
import type { AuthService, SessionUser } from './auth.service.ts';
import { SESSION_COOKIE, userOf } from './auth.plugin.ts';
import { DEVICE_COOKIE, formatDevice, parseDevice, rememberAccount } from './known-devices.ts';
import { AppError } from '../shared/errors.ts';

type Options = { auth: AuthService; users: UsersRepository; cookieSecure: boolean; deviceTtlDays: number };

export const authRoutes: FastifyPluginAsyncTypebox<Options> = async (app, options) => {
  const { auth, users } = options;

  /** What the web app needs about the logged-in user, plus a CSRF token for its next writes. */
  const meBody = async (user: SessionUser, csrfToken: string): Promise<MeResponse> => {
    const court = user.courtId ? await users.court(user.courtId) : undefined;
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
      // Guessing is slowed and limited by the auth service's login guard (login-guard.ts), not by a
      // per-request limit that would lock the account's owner out along with the guesser.
    },
    async (request, reply) => {
      const deviceTtlMs = options.deviceTtlDays * 86_400_000;
      const signed = request.cookies[DEVICE_COOKIE];
      const unsigned = signed ? request.unsignCookie(signed) : null;
      const device = unsigned?.valid ? parseDevice(unsigned.value, deviceTtlMs) : null;
      const login = auth.login({
        username: request.body.username.trim(),
        password: request.body.password,
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        device: device ? { id: device.id, userIds: device.accounts.map((a) => a.userId) } : null,
      });
      const { token, expiresAt, user } = await login.catch((error: unknown) => {
        if (error instanceof AppError && error.code === 'too_many_attempts') reply.header('retry-after', String((error.details as { retryAfterSeconds: number }).retryAfterSeconds));
        throw error;
      });
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: options.cookieSecure,
        expires: expiresAt,
      });
      // Only the login route reads it.
      reply.setCookie(DEVICE_COOKIE, formatDevice(rememberAccount(device, user.id)), {
        path: '/api/auth/login',
        httpOnly: true,
        sameSite: 'strict',
        secure: options.cookieSecure,
        signed: true,
        maxAge: deviceTtlMs / 1000,
      });
      return meBody(user, reply.generateCsrf({ userInfo: user.sessionId }));
    },
  );

  app.post('/api/auth/logout', { onRequest: [app.requireUser, app.csrfProtection] }, async (request, reply) => {
    const user = userOf(request);
    await auth.logout(user, request.ip);
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
      await users.setLocale(user.id, request.body.locale);
      return meBody({ ...user, locale: request.body.locale }, reply.generateCsrf({ userInfo: user.sessionId }));
    },
  );
};

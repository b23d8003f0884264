/**
 * Resolves the session cookie to a user on every request (`request.user`), and provides the
 * guards routes use: `app.requireUser` (401 without a live session) and `app.csrfProtection`
 * (from @fastify/csrf-protection, bound to the session so a token from one session is useless in another).
 */
import fp from 'fastify-plugin';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../http/errors.ts';
import type { AuthService, SessionUser } from './auth.service.ts';

export const SESSION_COOKIE = 'ezal_session';

declare module 'fastify' {
  interface FastifyRequest {
    user: SessionUser | undefined;
  }
  interface FastifyInstance {
    requireUser: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  }
}

export type AuthPluginOptions = { auth: AuthService; cookieSecret: string; csrfHmacKey: string; cookieSecure: boolean };

/** The user of a request that passed `requireUser`. */
export function userOf(request: FastifyRequest): SessionUser {
  if (!request.user) throw new AppError('unauthenticated', 'Log in first');
  return request.user;
}

export const authPlugin = fp<AuthPluginOptions>(
  async (app, options) => {
    await app.register(fastifyCookie, { secret: options.cookieSecret });
    await app.register(fastifyCsrf, {
      cookieKey: 'ezal_csrf',
      cookieOpts: { path: '/', sameSite: 'strict', httpOnly: true, secure: options.cookieSecure, signed: true },
      csrfOpts: { userInfo: true, hmacKey: options.csrfHmacKey },
      getUserInfo: (request) => request.user?.sessionId ?? '',
      getToken: (request) => request.headers['x-csrf-token'] as string | undefined,
    });

    app.decorateRequest('user', undefined);
    app.addHook('onRequest', async (request) => {
      request.user = options.auth.authenticate(request.cookies[SESSION_COOKIE]);
    });

    app.decorate('requireUser', async (request: FastifyRequest) => {
      if (!request.user) throw new AppError('unauthenticated', 'Log in first');
    });
  },
  { name: 'ezal-auth', fastify: '5.x' },
);

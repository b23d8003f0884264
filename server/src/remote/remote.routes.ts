/**
 * Remote participation over HTTP:
 *   POST /api/hearings/:id/invitations   the secretary or the presiding judge invites a participant (CSRF);
 *   POST /api/join                       public: a link's token becomes a participant session (cookie);
 *   GET  /api/join/session               public: the participant session's standing, or 401.
 *   GET  /api/join/shown/:docId          the document presented in the hall now (range requests), for
 *                                        an admitted participant's read-only view of the shown page.
 * The participant's live steps (lobby, media) go over socket.io's /remote namespace (remote.socket.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Intake } from '../ecases/intake.setup.ts';
import { sendDocument } from '../ecases/send-document.ts';
import { Type } from 'typebox';
import { userOf } from '../auth/auth.plugin.ts';
import { AppError } from '../shared/errors.ts';
import type { RemoteService } from './remote.service.ts';

export const REMOTE_COOKIE = 'ezal_remote';

type Options = { remote: RemoteService; intake: Intake; cookieSecure: boolean; publicUrl: string | undefined; joinRateLimit: { max: number; windowSeconds: number } };

const id = Type.String({ minLength: 1, maxLength: 64 });

export const remoteRoutes: FastifyPluginAsyncTypebox<Options> = async (app, { remote, intake, cookieSecure, publicUrl, joinRateLimit }) => {
  app.post(
    '/api/hearings/:id/invitations',
    {
      onRequest: [app.requireUser, app.csrfProtection],
      schema: { params: Type.Object({ id }), body: Type.Object({ participantId: id }, { additionalProperties: false }) },
    },
    async (request, reply) => {
      const baseUrl = publicUrl ?? `${request.protocol}://${request.host}`;
      const invitation = await remote.invite(userOf(request), request.params.id, request.body.participantId, baseUrl, request.ip);
      return reply.code(201).send({ invitation });
    },
  );

  app.post(
    '/api/join',
    {
      schema: { body: Type.Object({ token: Type.String({ minLength: 20, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' }) }, { additionalProperties: false }) },
      // Per address: guessing tokens is hopeless anyway (256 bits), this keeps the log quiet.
      config: { rateLimit: { max: joinRateLimit.max, timeWindow: joinRateLimit.windowSeconds * 1000 } },
    },
    async (request, reply) => {
      const { sessionToken, session } = await remote.redeem(request.body.token, request.ip);
      reply.setCookie(REMOTE_COOKIE, sessionToken, { path: '/', httpOnly: true, sameSite: 'strict', secure: cookieSecure, expires: session.sessionExpiresAt });
      return { standing: await remote.standing(session) };
    },
  );

  app.get('/api/join/shown/:docId', { schema: { params: Type.Object({ docId: id }) } }, async (request, reply) => {
    const session = await remote.session(request.cookies[REMOTE_COOKIE]);
    if (!session) throw new AppError('unauthenticated', 'No participant session');
    const { caseId, documentId } = await remote.shownDocument(session, request.params.docId);
    const document = await intake.repository.document(caseId, documentId);
    if (!document) throw new AppError('not_found', 'The stored file is missing');
    return sendDocument(request, reply, intake, document, 'private, no-store');
  });

  app.get('/api/join/session', async (request) => {
    const session = await remote.session(request.cookies[REMOTE_COOKIE]);
    if (!session) throw new AppError('unauthenticated', 'No participant session');
    return { standing: await remote.standing(session) };
  });
};

/**
 * A remote participant's motions (docs/motions.md, docs/media.md), on the participant session of the
 * /join page (the `ezal_remote` cookie, server/src/remote/), always in the hearing of that session:
 *   POST /api/join/motions/draft   the canonical text to sign;
 *   POST /api/join/motions         file the signed motion, get the receipt.
 * No CSRF token: the participant has no user session to bind one to. The cookie is SameSite=Strict
 * and the body must be a JSON object, so another site can neither send the cookie nor forge the body.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../shared/errors.ts';
import { REMOTE_COOKIE } from '../remote/remote.routes.ts';
import type { RemoteService } from '../remote/remote.service.ts';
import { MAX_ATTACHMENTS } from './motion-files.ts';
import { Base64, draftFields, FileName, strict } from './motions.routes.ts';
import type { MotionsService } from './motions.service.ts';

const { hearingId: _hearing, ...fields } = draftFields;
const DraftBody = Type.Object(
  {
    ...fields,
    attachments: Type.Array(Type.Object({ fileName: FileName, sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }), size: Type.Integer({ minimum: 0 }) }, strict), { maxItems: MAX_ATTACHMENTS }),
  },
  strict,
);
const FileBody = Type.Object(
  {
    ...fields,
    attachments: Type.Array(Type.Object({ fileName: FileName, contentBase64: Base64 }, strict), { maxItems: MAX_ATTACHMENTS }),
    signature: Type.String({ minLength: 1, maxLength: 100_000, pattern: '^[A-Za-z0-9+/]*={0,2}$' }),
  },
  strict,
);

type Options = { motions: MotionsService; remote: RemoteService; maxAttachmentBytes: number };

export const remoteMotionsRoutes: FastifyPluginAsyncTypebox<Options> = async (app, { motions, remote, maxAttachmentBytes }) => {
  const bodyLimit = Math.ceil((maxAttachmentBytes * 4) / 3) * 2 + 1024 * 1024;
  /** The live participant session behind the cookie, and the participant as a hearing actor. */
  const participant = async (cookie: string | undefined, ip: string) => {
    const session = await remote.session(cookie);
    if (!session) throw new AppError('unauthenticated', 'No participant session');
    return { session, actor: remote.actorOf(session, ip) };
  };

  app.post('/api/join/motions/draft', { schema: { body: DraftBody } }, async (request) => {
    const { session, actor } = await participant(request.cookies[REMOTE_COOKIE], request.ip);
    return motions.draftRemote(session, actor, request.body);
  });

  app.post('/api/join/motions', { bodyLimit, schema: { body: FileBody } }, async (request, reply) => {
    const { session, actor } = await participant(request.cookies[REMOTE_COOKIE], request.ip);
    const { attachments, signature, ...draft } = request.body;
    const receipt = await motions.fileRemote(session, actor, {
      ...draft,
      attachments: attachments.map((a) => ({ fileName: a.fileName, content: Buffer.from(a.contentBase64, 'base64') })),
      signature: Buffer.from(signature, 'base64'),
    });
    return reply.code(201).send({ receipt });
  });
};

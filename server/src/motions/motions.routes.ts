/**
 * Motions over HTTP (docs/motions.md, docs/api.md):
 *   POST /api/cases/:id/motions/draft          the canonical text to sign for a draft (CSRF);
 *   POST /api/cases/:id/motions                file a signed motion, get the receipt (CSRF);
 *   GET  /api/cases/:id/motions                the register of the case's motions;
 *   GET  /api/cases/:id/motions/register.pdf   the register as a PDF;
 *   GET  /api/cases/:id/motions/:motionId/attachments/:position   an attachment (PDF);
 *   POST /api/hearings/:hearingId/motions/:motionId/take-up       a motion filed outside the hall,
 *        brought before the court by the presiding judge (CSRF).
 * Positions and rulings are hearing commands over socket.io (docs/realtime-protocol.md).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { MOTION_KINDS, MOTION_SUBTYPES } from '../../../db/schema.ts';
import { userOf } from '../auth/auth.plugin.ts';
import { AppError } from '../shared/errors.ts';
import type { StoredFiles } from '../storage/stored-files.ts';
import { MAX_ATTACHMENTS } from './motion-files.ts';
import { renderRegisterPdf } from './register-pdf.ts';
import type { MotionsService } from './motions.service.ts';

export const id = Type.String({ minLength: 1, maxLength: 64 });
export const strict = { additionalProperties: false } as const;
export const FileName = Type.String({ minLength: 1, maxLength: 255, pattern: '^[^/\\\\\\u0000-\\u001f]+$' });
export const draftFields = {
  hearingId: Type.Union([id, Type.Null()]),
  kind: Type.Enum(MOTION_KINDS),
  subtype: Type.Union([Type.Enum(MOTION_SUBTYPES), Type.Null()]),
  text: Type.String({ minLength: 1, maxLength: 20_000 }),
  refs: Type.Array(Type.Object({ documentId: id, sheet: Type.Union([Type.Integer({ minimum: 1, maximum: 100_000 }), Type.Null()]) }, strict), { maxItems: 50 }),
};
const DraftBody = Type.Object(
  {
    ...draftFields,
    attachments: Type.Array(Type.Object({ fileName: FileName, sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }), size: Type.Integer({ minimum: 0 }) }, strict), { maxItems: MAX_ATTACHMENTS }),
  },
  strict,
);
export const Base64 = Type.String({ pattern: '^[A-Za-z0-9+/]*={0,2}$' });
const FileBody = Type.Object(
  {
    ...draftFields,
    attachments: Type.Array(Type.Object({ fileName: FileName, contentBase64: Base64 }, strict), { maxItems: MAX_ATTACHMENTS }),
    /** The detached CMS SignedData (DER), base64. */
    signature: Type.String({ minLength: 1, maxLength: 100_000, pattern: '^[A-Za-z0-9+/]*={0,2}$' }),
  },
  strict,
);
const caseParams = Type.Object({ id });

type Options = { motions: MotionsService; files: StoredFiles; maxAttachmentBytes: number };

export const motionsRoutes: FastifyPluginAsyncTypebox<Options> = async (app, { motions, files, maxAttachmentBytes }) => {
  app.addHook('onRequest', app.requireUser);
  const write = { onRequest: app.csrfProtection };
  // Base64 grows files by a third; room for two attachments at the limit, and a larger body is `too_large`.
  const bodyLimit = Math.ceil((maxAttachmentBytes * 4) / 3) * 2 + 1024 * 1024;

  app.post('/api/cases/:id/motions/draft', { ...write, schema: { params: caseParams, body: DraftBody } }, async (request) =>
    motions.draft(userOf(request), request.params.id, request.body, request.ip),
  );

  app.post('/api/cases/:id/motions', { ...write, bodyLimit, schema: { params: caseParams, body: FileBody } }, async (request, reply) => {
    const { attachments, signature, ...draft } = request.body;
    const receipt = await motions.file(
      userOf(request),
      request.params.id,
      { ...draft, attachments: attachments.map((a) => ({ fileName: a.fileName, content: Buffer.from(a.contentBase64, 'base64') })), signature: Buffer.from(signature, 'base64') },
      request.ip,
    );
    return reply.code(201).send({ receipt });
  });

  app.get('/api/cases/:id/motions', { schema: { params: caseParams } }, async (request) => motions.registerFor(userOf(request), request.params.id, request.ip));

  app.get('/api/cases/:id/motions/register.pdf', { schema: { params: caseParams, querystring: Type.Object({ lang: Type.Optional(Type.Enum(['kk', 'ru'] as const)) }) } }, async (request, reply) => {
    const user = userOf(request);
    const { caseNumber, timeZone, entries, documents } = await motions.registerWithCase(user, request.params.id, request.ip);
    const pdf = await renderRegisterPdf({ caseNumber, timeZone, entries, documents, locale: request.query.lang ?? 'ru' });
    return reply.type('application/pdf').header('content-disposition', `inline; filename="motions-register.pdf"`).send(Buffer.from(pdf));
  });

  app.post('/api/hearings/:hearingId/motions/:motionId/take-up', { ...write, schema: { params: Type.Object({ hearingId: id, motionId: id }) } }, async (request) =>
    motions.takeUp(userOf(request), request.params.hearingId, request.params.motionId, request.ip),
  );

  app.get(
    '/api/cases/:id/motions/:motionId/attachments/:position',
    { schema: { params: Type.Object({ id, motionId: id, position: Type.Integer({ minimum: 1, maximum: MAX_ATTACHMENTS }) }) } },
    async (request, reply) => {
      const attachment = await motions.attachment(userOf(request), request.params.id, request.params.motionId, request.params.position, request.ip);
      const bytes = await files.read(attachment.sha256).catch(() => {
        throw new AppError('not_found', 'The attachment is not in the store');
      });
      return reply.type('application/pdf').header('x-content-type-options', 'nosniff').header('content-disposition', 'attachment; filename="attachment.pdf"').send(bytes);
    },
  );
};

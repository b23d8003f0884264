/**
 * The short protocol over HTTP (docs/protocol.md, docs/api.md):
 *   GET  /api/hearings/:id/protocol            the protocol (entries, header, status, signatures);
 *   GET  /api/hearings/:id/protocol.pdf        its PDF — the bytes to sign (x-protocol-version says which version);
 *   GET  /api/hearings/:id/protocol.json       the machine-readable sidecar;
 *   GET  /api/hearings/:id/protocol.vtt        WebVTT chapters for the recording;
 *   POST /api/hearings/:id/protocol/sign       a detached CMS signature over the PDF (CSRF);
 *   POST /api/hearings/:id/protocol/addenda/draft   the PDF of a correction with this text, to sign (CSRF);
 *   POST /api/hearings/:id/protocol/addenda    the signed correction, added to the case file (CSRF).
 * Notes are hearing commands over socket.io (protocol:add-note, protocol:edit-note).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { userOf } from '../auth/auth.plugin.ts';
import { plainText } from '../shared/plain-text.ts';
import type { ProtocolService } from './protocol.service.ts';

const params = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const versionQuery = Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false });
const SignBody = Type.Object(
  {
    /** The version of the protocol whose PDF was signed (x-protocol-version of the PDF). */
    version: Type.Integer({ minimum: 1 }),
    /** The detached CMS SignedData (DER), base64. */
    signature: Type.String({ minLength: 1, maxLength: 100_000, pattern: '^[A-Za-z0-9+/]*={0,2}$' }),
  },
  { additionalProperties: false },
);

const AddendumText = Type.String({ minLength: 1, maxLength: 8000, pattern: '\\S' });
const Base64Signature = Type.String({ minLength: 1, maxLength: 100_000, pattern: '^[A-Za-z0-9+/]*={0,2}$' });

export const protocolRoutes: FastifyPluginAsyncTypebox<{ protocol: ProtocolService }> = async (app, { protocol }) => {
  app.addHook('onRequest', app.requireUser);

  app.get('/api/hearings/:id/protocol', { schema: { params, querystring: versionQuery } }, async (request) => protocol.view(userOf(request), request.params.id, request.ip, request.query.version));

  app.get('/api/hearings/:id/protocol.pdf', { schema: { params, querystring: versionQuery } }, async (request, reply) => {
    const pdf = await protocol.pdf(userOf(request), request.params.id, request.ip, request.query.version);
    return reply
      .type('application/pdf')
      .header('x-protocol-version', String(pdf.version))
      .header('x-protocol-sha256', pdf.sha256)
      .header('cache-control', 'no-store')
      .header('content-disposition', `inline; filename="protocol-v${pdf.version}.pdf"`)
      .send(Buffer.from(pdf.bytes));
  });

  app.get('/api/hearings/:id/protocol.json', { schema: { params, querystring: versionQuery } }, async (request, reply) =>
    reply.header('content-disposition', 'attachment; filename="protocol.json"').send((await protocol.sidecar(userOf(request), request.params.id, request.ip, request.query.version)).protocol),
  );

  app.get('/api/hearings/:id/protocol.vtt', { schema: { params, querystring: versionQuery } }, async (request, reply) =>
    reply.type('text/vtt; charset=utf-8').send((await protocol.sidecar(userOf(request), request.params.id, request.ip, request.query.version)).vtt),
  );

  app.post('/api/hearings/:id/protocol/sign', { onRequest: app.csrfProtection, schema: { params, body: SignBody } }, async (request) =>
    protocol.sign(userOf(request), request.params.id, request.ip, { version: request.body.version, signature: Buffer.from(request.body.signature, 'base64') }),
  );

  app.post(
    '/api/hearings/:id/protocol/addenda/draft',
    { onRequest: app.csrfProtection, schema: { params, body: Type.Object({ text: AddendumText }, { additionalProperties: false }) } },
    async (request, reply) => {
      const draft = await protocol.addendumDraft(userOf(request), request.params.id, request.ip, plainText(request.body.text));
      return reply.type('application/pdf').header('x-addendum-number', String(draft.number)).header('cache-control', 'no-store').send(Buffer.from(draft.bytes));
    },
  );

  app.post(
    '/api/hearings/:id/protocol/addenda',
    { onRequest: app.csrfProtection, schema: { params, body: Type.Object({ text: AddendumText, number: Type.Integer({ minimum: 1 }), signature: Base64Signature }, { additionalProperties: false }) } },
    async (request, reply) => {
      const view = await protocol.addAddendum(userOf(request), request.params.id, request.ip, {
        text: plainText(request.body.text),
        number: request.body.number,
        signature: Buffer.from(request.body.signature, 'base64'),
      });
      return reply.code(201).send(view);
    },
  );
};

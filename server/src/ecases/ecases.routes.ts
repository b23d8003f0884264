/**
 * E-case intake over HTTP:
 *   POST /api/ecases          the ERDR side, with an integration client's bearer token;
 *   POST /api/office/ecases   the court office's upload screen, with a session and CSRF token;
 *   GET  /api/ecases/ingestions  the ingestion log, for the court office.
 * The body is the ZIP package itself (Content-Type: application/zip), streamed to a staging file
 * and never held in memory. A declared or actual size past ECASE_MAX_ARCHIVE_MB is a 413 at once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AuditRepository } from '../audit/audit.repository.ts';
import { userOf } from '../auth/auth.plugin.ts';
import { AppError } from '../shared/errors.ts';
import type { IntegrationClients } from '../integrations/integration-clients.ts';
import type { UsersRepository } from '../users/users.repository.ts';
import type { Intake } from './intake.setup.ts';

type Options = { intake: Intake; clients: IntegrationClients; audit: AuditRepository; users: UsersRepository };

class TooLarge extends Error {}

/** A page of the ingestion log: `before` is the `next` cursor of the previous page. */
const ingestionPage = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  before: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}_[0-9a-f-]{36}$' })),
});

export async function ecasesRoutes(app: FastifyInstance, options: Options): Promise<void> {
  const { intake, clients, audit, users } = options;
  const maxBytes = intake.service.limits.maxArchiveBytes;

  // The package stays a stream here; the handler writes it to disk with a byte limit.
  app.addContentTypeParser('application/zip', (_request, payload, done) => done(null, payload));

  /** Streams the body to a staging file, runs the intake, answers with its status and body. */
  const receive = async (request: FastifyRequest, reply: FastifyReply, via: string) => {
    if (request.headers['content-type']?.split(';')[0].trim().toLowerCase() !== 'application/zip') {
      throw new AppError('unsupported_media_type', 'Send the package as Content-Type: application/zip');
    }
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) return refuseTooLarge(reply, via, declared);

    const dir = await intake.staging.create();
    let answer;
    try {
      const file = path.join(dir, 'package.zip');
      let received = 0;
      try {
        await pipeline(
          request.body as Readable,
          new Transform({
            transform(chunk: Buffer, _encoding, callback) {
              received += chunk.length;
              callback(received > maxBytes ? new TooLarge() : null, chunk);
            },
          }),
          fs.createWriteStream(file),
        );
      } catch (error) {
        if (error instanceof TooLarge) return await refuseTooLarge(reply, via, received);
        throw error;
      }
      answer = await intake.service.ingest({ source: file, via, archiveBytes: received });
    } finally {
      // Before answering: once the sender has the answer, nothing of the upload remains.
      await intake.staging.remove(dir);
    }
    return reply.code(answer.httpStatus).send(answer.body);
  };

  const refuseTooLarge = async (reply: FastifyReply, via: string, bytes: number) => {
    const problem = { code: 'archive_too_large', path: '', message: `The package is larger than the court accepts (${maxBytes} bytes)` };
    await intake.service.logRefused({ via, archiveBytes: bytes, problems: [problem] });
    // The rest of the body is not read: close the connection instead of draining it.
    return reply
      .code(413)
      .header('connection', 'close')
      .send({ status: 'rejected', problems: [problem] });
  };

  app.post('/api/ecases', { bodyLimit: maxBytes }, async (request, reply) => {
    const token = /^Bearer (\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const client = await clients.authenticate(token);
    if (!client) {
      await audit.record({ actor: 'anonymous', action: 'ecase.intake', outcome: 'denied', ip: request.ip, details: { reason: token ? 'unknown_or_revoked_token' : 'no_token' } });
      throw new AppError('unauthenticated', 'A valid integration token is required (Authorization: Bearer …)');
    }
    await audit.record({ actor: `client:${client.name}`, action: 'ecase.intake', outcome: 'allowed', ip: request.ip });
    return receive(request, reply, `client:${client.name}`);
  });

  app.post('/api/office/ecases', { bodyLimit: maxBytes, onRequest: [app.requireUser, app.csrfProtection] }, async (request, reply) => {
    const user = await requireOffice(request);
    await audit.record({ userId: user.id, actor: user.username, action: 'ecase.upload', outcome: 'allowed', ip: request.ip });
    return receive(request, reply, user.username);
  });

  app.get('/api/ecases/ingestions', { onRequest: app.requireUser, schema: { querystring: ingestionPage } }, async (request) => {
    const user = await requireOffice(request);
    const { limit = 50, before } = request.query as { limit?: number; before?: string };
    const court = user.courtId ? await users.court(user.courtId) : undefined;
    if (!court) return { ingestions: [], next: null };
    const cursor = before ? parseCursor(before) : undefined;
    // One more than asked tells whether there is an older page.
    const rows = await intake.repository.ingestionLog(court.code, { limit: limit + 1, before: cursor });
    const shown = rows.slice(0, limit);
    const last = shown.at(-1);
    return { ingestions: shown, next: rows.length > limit && last ? `${last.receivedAt.getTime()}_${last.id}` : null };
  });

  const parseCursor = (cursor: string) => {
    const [ms, id] = cursor.split('_');
    return { receivedAt: new Date(Number(ms)), id };
  };

  /** The court office (and the chair) receive cases; nobody else may upload or read the log. */
  const requireOffice = async (request: FastifyRequest) => {
    const user = userOf(request);
    if (!user.roles.includes('office') && !user.roles.includes('chair')) {
      await audit.record({ userId: user.id, actor: user.username, action: 'ecase.office', outcome: 'denied', ip: request.ip });
      throw new AppError('forbidden', 'Only the court office receives cases');
    }
    return user;
  };
}

/**
 * Sends a stored document of the case file: inline bytes from its database row, or the file from
 * the content-addressed store, either way with HTTP ranges (pdf.js asks for them) and the file's
 * SHA-256 as a strong ETag (the content never changes under its hash). Used by the case-file
 * route and by the page a remote participant is shown.
 */
import send from '@fastify/send';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendBytes } from '../http/byte-ranges.ts';
import { AppError } from '../shared/errors.ts';
import type { Intake } from './intake.setup.ts';

export type SentDocument = { fileSha256: string; mimeType: string };

export async function sendDocument(request: FastifyRequest, reply: FastifyReply, intake: Intake, document: SentDocument, cacheControl: string): Promise<FastifyReply> {
  const stored = intake.files.open(document.fileSha256);
  if (!stored) throw new AppError('not_found', 'The stored file is missing');
  reply.header('content-type', document.mimeType);
  reply.header('cache-control', cacheControl);
  reply.header('x-content-type-options', 'nosniff');
  if (stored.bytes) return sendBytes(request, reply, { bytes: stored.bytes, etag: `"${stored.sha256}"` });
  const result = await send(request.raw, intake.store.relativePathOf(document.fileSha256), {
    root: intake.store.root,
    dotfiles: 'deny',
    acceptRanges: true,
    cacheControl: false,
    etag: true,
    lastModified: false,
    index: false,
  });
  if (result.type === 'error') {
    // A valid range past the end of the file (unusable Range headers were dropped by http/request-guard.ts).
    if (result.statusCode === 416) return reply.code(416).headers(result.headers).send();
    throw new AppError('not_found', 'The stored file is missing');
  }
  reply.code(result.statusCode);
  reply.headers({ ...result.headers, 'content-type': document.mimeType, 'cache-control': cacheControl });
  return reply.send(result.stream);
}

/**
 * Sends a stored document of the case file: inline bytes from its database row, the file from
 * the content-addressed store on disk (@fastify/send), or the object from the object store, each
 * with HTTP ranges (pdf.js asks for them) and the same statuses and Content-Range. Inline and
 * object-store content get the file's SHA-256 as a strong ETag (the content never changes under its
 * hash). Used by the case-file route and by the page a remote participant is shown.
 */
import send from '@fastify/send';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendBytes, sendStream } from '../http/byte-ranges.ts';
import { LocalFileStore, StoredFileMissing, type ByteRange } from '../storage/file-store.ts';
import { AppError } from '../shared/errors.ts';
import type { Intake } from './intake.setup.ts';

export type SentDocument = { fileSha256: string; mimeType: string };

export async function sendDocument(request: FastifyRequest, reply: FastifyReply, intake: Intake, document: SentDocument, cacheControl: string): Promise<FastifyReply> {
  const stored = await intake.files.open(document.fileSha256);
  if (!stored) throw new AppError('not_found', 'The stored file is missing');
  reply.header('content-type', document.mimeType);
  reply.header('cache-control', cacheControl);
  reply.header('x-content-type-options', 'nosniff');
  const etag = `"${stored.sha256}"`;
  if (stored.bytes) return sendBytes(request, reply, { bytes: stored.bytes, etag });
  const { store } = intake;
  if (!(store instanceof LocalFileStore)) {
    const open = (range?: ByteRange) =>
      intake.files.stream(stored, range).catch((error: unknown) => {
        throw error instanceof StoredFileMissing ? new AppError('not_found', 'The stored file is missing') : error;
      });
    return sendStream(request, reply, { size: stored.size, etag, open });
  }
  const result = await send(request.raw, store.relativePathOf(document.fileSha256), {
    root: store.root,
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

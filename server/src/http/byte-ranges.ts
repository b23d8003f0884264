/**
 * Answers a GET for bytes held in memory (a small stored file kept inline in the database) the
 * way @fastify/send answers for a file on disk: a strong ETag, conditional requests, and a single
 * HTTP byte range (RFC 9110 section 14) — pdf.js asks for ranges. Several ranges in one request,
 * or a Range header that does not parse, are answered with the whole content, which the RFC allows;
 * a valid range past the end is 416. The request guard (request-guard.ts) drops unusable Range
 * headers before any route, so @fastify/send (files on disk, the web app) answers alike.
 */
import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';

export function sendBytes(request: FastifyRequest, reply: FastifyReply, input: { bytes: Buffer; etag: string }): FastifyReply {
  const { bytes } = input;
  const answer = answerOf(request, reply, { size: bytes.length, etag: input.etag });
  if (answer === 'whole') return reply.code(200).send(bytes);
  if (answer === 'done') return reply;
  return reply.code(206).send(bytes.subarray(answer.start, answer.end + 1));
}

/**
 * The same answers as `sendBytes` for content that is read as a stream, a range at a time (a file
 * in the object store, storage/object-file-store.ts): only the bytes asked for are fetched.
 */
export async function sendStream(
  request: FastifyRequest,
  reply: FastifyReply,
  input: { size: number; etag: string; open: (range?: { start: number; end: number }) => Promise<Readable> },
): Promise<FastifyReply> {
  const answer = answerOf(request, reply, input);
  if (answer === 'done') return reply;
  if (answer === 'whole')
    return reply
      .code(200)
      .header('content-length', input.size)
      .send(await input.open());
  return reply
    .code(206)
    .header('content-length', answer.end - answer.start + 1)
    .send(await input.open(answer));
}

/**
 * Sets the headers every answer has, and answers the conditional request (304) and the range past
 * the end (416) itself ('done'); else says what to send: the whole content or one range.
 */
function answerOf(request: FastifyRequest, reply: FastifyReply, input: { size: number; etag: string }): 'whole' | 'done' | { start: number; end: number } {
  const { size, etag } = input;
  reply.header('accept-ranges', 'bytes');
  reply.header('etag', etag);
  if (request.headers['if-none-match'] === etag) {
    reply.code(304).send();
    return 'done';
  }
  const range = request.headers.range;
  const ifRange = request.headers['if-range'];
  if (range && (ifRange === undefined || ifRange === etag)) {
    const wanted = byteRangeOf(range, size);
    if (wanted === 'unsatisfiable') {
      reply.header('content-range', `bytes */${size}`);
      reply.code(416).send();
      return 'done';
    }
    if (wanted !== 'ignore') {
      reply.header('content-range', `bytes ${wanted.start}-${wanted.end}/${size}`);
      return wanted;
    }
  }
  return 'whole';
}

const SINGLE_RANGE = /^bytes=(?:(\d{1,16})-(\d{0,16})|-(\d{1,16}))$/;

/**
 * Whether a Range header is one we answer: a single `bytes=` range in valid syntax. Anything else
 * — junk (`bytes=abc`), a first byte after the last (`bytes=5-2`), several ranges, another unit —
 * is ignored, and the whole content sent (RFC 9110 section 14.2: a server MAY ignore Range).
 */
export function isSingleByteRange(header: string): boolean {
  const match = SINGLE_RANGE.exec(header.trim());
  return match !== null && (match[1] === undefined || match[2] === '' || Number(match[1]) <= Number(match[2]));
}

/** The range a valid single-range header asks of `size` bytes, `unsatisfiable` (416), or `ignore` (send everything). */
export function byteRangeOf(header: string, size: number): { start: number; end: number } | 'unsatisfiable' | 'ignore' {
  if (!isSingleByteRange(header)) return 'ignore';
  const [, first, last, suffix] = SINGLE_RANGE.exec(header.trim())!;
  if (suffix !== undefined) {
    const length = Number(suffix);
    return length === 0 || size === 0 ? 'unsatisfiable' : { start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  if (start >= size) return 'unsatisfiable';
  return { start, end: last === '' ? size - 1 : Math.min(Number(last), size - 1) };
}

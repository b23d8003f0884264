/**
 * Answers a GET for bytes held in memory (a small stored file kept inline in the database) the
 * way @fastify/send answers for a file on disk: a strong ETag, conditional requests, and a single
 * HTTP byte range (RFC 9110 section 14) — pdf.js asks for ranges. Several ranges in one request,
 * or a Range header that does not parse, are answered with the whole content, which the RFC allows;
 * a valid range past the end is 416. The request guard (request-guard.ts) drops unusable Range
 * headers before any route, so @fastify/send (files on disk, the web app) answers alike.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

export function sendBytes(request: FastifyRequest, reply: FastifyReply, input: { bytes: Buffer; etag: string }): FastifyReply {
  const { bytes, etag } = input;
  reply.header('accept-ranges', 'bytes');
  reply.header('etag', etag);
  if (request.headers['if-none-match'] === etag) return reply.code(304).send();
  const range = request.headers.range;
  const ifRange = request.headers['if-range'];
  if (range && (ifRange === undefined || ifRange === etag)) {
    const wanted = byteRangeOf(range, bytes.length);
    if (wanted === 'unsatisfiable') {
      reply.header('content-range', `bytes */${bytes.length}`);
      return reply.code(416).send();
    }
    if (wanted !== 'ignore') {
      const { start, end } = wanted;
      reply.header('content-range', `bytes ${start}-${end}/${bytes.length}`);
      return reply.code(206).send(bytes.subarray(start, end + 1));
    }
  }
  return reply.code(200).send(bytes);
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

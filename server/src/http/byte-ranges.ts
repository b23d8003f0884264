/**
 * Answers a GET for bytes held in memory (a small stored file kept inline in the database) the
 * way @fastify/send answers for a file on disk: a strong ETag, conditional requests, and a single
 * HTTP byte range (RFC 9110 section 14) — pdf.js asks for ranges. Several ranges in one request
 * are answered with the whole content, which the RFC allows and which is what send does too.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import parseRange from 'range-parser';

export function sendBytes(request: FastifyRequest, reply: FastifyReply, input: { bytes: Buffer; etag: string }): FastifyReply {
  const { bytes, etag } = input;
  reply.header('accept-ranges', 'bytes');
  reply.header('etag', etag);
  if (request.headers['if-none-match'] === etag) return reply.code(304).send();
  const range = request.headers.range;
  const ifRange = request.headers['if-range'];
  if (range && (ifRange === undefined || ifRange === etag)) {
    const ranges = parseRange(bytes.length, range, { combine: true });
    if (ranges === -1) {
      reply.header('content-range', `bytes */${bytes.length}`);
      return reply.code(416).send();
    }
    if (ranges !== -2 && ranges.type === 'bytes' && ranges.length === 1) {
      const { start, end } = ranges[0];
      reply.header('content-range', `bytes ${start}-${end}/${bytes.length}`);
      return reply.code(206).send(bytes.subarray(start, end + 1));
    }
  }
  return reply.code(200).send(bytes);
}

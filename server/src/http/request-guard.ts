/**
 * Odd requests get a 4xx before any route sees them: a URL too long, a path or query whose
 * percent-encoding does not decode (`%zz`), control characters (NUL, newlines) in the path or
 * NUL in the query — `invalid_request` (400), and so is a number that coerced to Infinity. A Range header we do not answer (junk, several
 * ranges, first byte after the last) is dropped here, so every route, @fastify/send's included,
 * sends the whole content (200) as RFC 9110 allows; a valid range past the end stays a 416.
 */
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { isSingleByteRange } from './byte-ranges.ts';
import { AppError } from '../shared/errors.ts';

/** Longer URLs are no request of the web app's (its longest, a recording export naming every track, stays below). */
export const MAX_URL_LENGTH = 8192;

const CONTROL = /[\u0000-\u001f\u007f]/;

/** Why the URL is refused, or null when it is fine. */
export function oddUrl(url: string): string | null {
  if (url.length > MAX_URL_LENGTH) return `The URL is longer than ${MAX_URL_LENGTH} characters`;
  const at = url.indexOf('?');
  const path = at === -1 ? url : url.slice(0, at);
  const query = at === -1 ? '' : url.slice(at + 1);
  const decodedPath = decoded(path);
  if (decodedPath === null) return 'The path is not valid percent-encoding';
  if (CONTROL.test(path) || CONTROL.test(decodedPath)) return 'The path contains control characters';
  const decodedQuery = decoded(query.replaceAll('+', ' '));
  if (decodedQuery === null) return 'The query is not valid percent-encoding';
  if (query.includes('\u0000') || decodedQuery.includes('\u0000')) return 'The query contains a NUL character';
  return null;
}

function hasNonFinite(values: unknown): boolean {
  if (typeof values === 'number') return !Number.isFinite(values);
  if (Array.isArray(values)) return values.some(hasNonFinite);
  if (values !== null && typeof values === 'object') return Object.values(values).some(hasNonFinite);
  return false;
}

function decoded(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

export const requestGuard: FastifyPluginAsync = fp(
  async (app) => {
    app.addHook('onRequest', async (request) => {
      const odd = oddUrl(request.raw.url ?? request.url);
      if (odd) throw new AppError('invalid_request', odd);
      const range = request.headers.range;
      if (range !== undefined && !isSingleByteRange(range)) delete request.headers.range;
    });
    // After validation: the schemas' coercion turns "1e309" or "Infinity" into a number that
    // passes `integer` and `maximum` (Ajv compares Infinity as a number); no route means it.
    app.addHook('preHandler', async (request) => {
      if (hasNonFinite(request.query) || hasNonFinite(request.params)) throw new AppError('invalid_request', 'A number in the request is not finite');
    });
  },
  { name: 'ezal-request-guard' },
);

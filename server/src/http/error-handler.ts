/**
 * One error handler for the whole API: known refusals become `{ error: { code, message } }` with
 * their status (a write the disk refused is `503 storage_unavailable`); anything unexpected is
 * logged with its context and answered as `internal` without details, so no stack trace or SQL
 * ever reaches a browser.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../shared/errors.ts';
import type { ErrorCode } from '../shared/errors.ts';
import { storageUnavailable } from '../storage/storage-failure.ts';

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const known = toAppError(error);
  if (known) {
    if (known.statusCode >= 500) request.log.error({ err: error }, 'request failed');
    return reply.code(known.statusCode).send(known.toBody());
  }
  request.log.error({ err: error }, 'unexpected error');
  return reply.code(500).send(new AppError('internal', 'Internal error').toBody());
}

/**
 * Errors fastify meets before routing (`frameworkErrors`): a URL whose percent-encoding does not
 * decode, a path parameter over the router's length limit — the client's (400), in the same body
 * as every other refusal.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error.code === 'FST_ERR_BAD_URL') return reply.code(400).send(new AppError('invalid_request', 'The URL is not valid percent-encoding').toBody());
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) return reply.code(400).send(new AppError('invalid_request', error.message.slice(0, 200)).toBody());
  request.log.error({ err: error }, 'request failed before routing');
  return reply.code(500).send(new AppError('internal', 'Internal error').toBody());
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  return reply.code(404).send(new AppError('not_found', `No route ${request.method} ${request.url.split('?')[0]}`).toBody());
}

function toAppError(error: FastifyError): AppError | undefined {
  if (error instanceof AppError) return error;
  // The disk refused a write (full, read-only): the person is told so, not `internal`.
  const storage = storageUnavailable(error);
  if (storage) return storage;
  if (error.validation)
    return new AppError(
      'invalid_request',
      error.message,
      error.validation.map((v) => ({ path: v.instancePath, message: v.message })),
    );
  const byFastifyCode: Record<string, ErrorCode> = {
    FST_CSRF_INVALID_TOKEN: 'csrf_invalid',
    FST_CSRF_MISSING_SECRET: 'csrf_invalid',
    FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
    FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_request',
    FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_request',
    FST_ERR_CTP_BODY_TOO_LARGE: 'too_large',
  };
  const code = byFastifyCode[error.code];
  if (code) return new AppError(code, error.message);
  if (error.statusCode === 429) return new AppError('rate_limited', 'Too many attempts; wait a minute and try again');
  if (error.statusCode === 416) return new AppError('range_not_satisfiable', 'The range lies past the end of the content');
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return new AppError('invalid_request', error.message);
  return undefined;
}

/**
 * The one place the web app talks HTTP to the server. Components and state classes call the
 * typed functions at the bottom; they never call fetch themselves.
 *
 * - Bodies go out and come back as JSON.
 * - Writes (anything but GET) carry the `x-csrf-token` header. The token comes with every answer
 *   of /api/me and /api/auth/login, and this module keeps the latest one.
 * - A refusal becomes an `ApiError` with the server's stable code. The server's `message` is for
 *   developers only, so it is kept for the console but never shown to users.
 */
import { ERROR_CODES, type ErrorCode } from '$server/http/errors.ts';
import type { CaseDetail, CaseSummary, HearingWithCase, Locale, MeResponse } from './types.ts';

export type { ErrorCode };

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;

  constructor(code: ErrorCode, status: number, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
  }
}

/** Any thrown value as an error code, so a page can always show a translated message. */
export function errorCode(error: unknown): ErrorCode {
  return error instanceof ApiError ? error.code : 'internal';
}

let csrfToken: string | null = null;

/** Called when any request other than login comes back 401: the session has ended. */
let onUnauthenticated: (() => void) | null = null;

export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

/** Codes the server may send; anything else (a proxy's HTML page, say) is treated as `internal`. */
const KNOWN_CODES = new Set<string>(Object.keys(ERROR_CODES));

async function request<T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch (cause) {
    // No answer at all: the network or the server is down.
    throw new ApiError('unavailable', 0, cause instanceof Error ? cause.message : String(cause));
  }

  const data: unknown = await response.json().catch(() => null);

  if (!response.ok) {
    const error = (data as { error?: { code?: string; message?: string } } | null)?.error;
    const code = error?.code && KNOWN_CODES.has(error.code) ? (error.code as ErrorCode) : fallbackCode(response.status);
    const apiError = new ApiError(code, response.status, error?.message ?? response.statusText);
    if (code === 'unauthenticated') onUnauthenticated?.();
    throw apiError;
  }

  if (data && typeof data === 'object' && 'csrfToken' in data && typeof data.csrfToken === 'string') {
    csrfToken = data.csrfToken;
  }
  return data as T;
}

/** A code for answers that did not come from our error handler (e.g. a 502 from a proxy). */
function fallbackCode(status: number): ErrorCode {
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 429) return 'rate_limited';
  if (status === 502 || status === 503 || status === 504) return 'unavailable';
  return 'internal';
}

// ---- The endpoints ----------------------------------------------------------------------------

export function login(username: string, password: string): Promise<MeResponse> {
  return request('POST', '/api/auth/login', { username, password });
}

export async function logout(): Promise<void> {
  await request('POST', '/api/auth/logout');
  csrfToken = null;
}

export function getMe(): Promise<MeResponse> {
  return request('GET', '/api/me');
}

export function saveLocale(locale: Locale): Promise<MeResponse> {
  return request('PATCH', '/api/me', { locale });
}

export async function getHearings(): Promise<HearingWithCase[]> {
  return (await request<{ hearings: HearingWithCase[] }>('GET', '/api/hearings')).hearings;
}

export async function getCases(): Promise<CaseSummary[]> {
  return (await request<{ cases: CaseSummary[] }>('GET', '/api/cases')).cases;
}

export async function getCase(id: string): Promise<CaseDetail> {
  return (await request<{ case: CaseDetail }>('GET', `/api/cases/${encodeURIComponent(id)}`)).case;
}

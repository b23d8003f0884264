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
import { ERROR_CODES, type ErrorCode } from '$server/shared/errors.ts';
import type {
  CaseDetail,
  CaseSummary,
  HearingWithCase,
  Ingestion,
  IntakeAccepted,
  IntakeRejected,
  CaseHearings,
  HearingDetail,
  HearingOptions,
  Inventory,
  Locale,
  RescheduleInput,
  ScheduleInput,
  MeResponse,
  NewNote,
  Note,
  NoteChange,
  SearchAnswer,
  Verification,
  ActListing,
  ActSearchAnswer,
  ActText,
  MarkActInput,
  Dashboard,
  DrillCase,
  Figure,
} from './types.ts';
import type { RecordingVerdict, RecordingView } from '$server/shared/api/recording-view.ts';
import type { AuditChainCheck } from '$server/shared/api/audit-chain.ts';

export type { ErrorCode };

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** What the server added to some refusals, e.g. `{ from, to }` of the booking a hall is taken by. */
  readonly details: unknown;

  constructor(code: ErrorCode, status: number, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.status = status;
    this.details = details;
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

async function request<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
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

  if (!response.ok) throw refusal(response.status, response.statusText, data);

  if (data && typeof data === 'object' && 'csrfToken' in data && typeof data.csrfToken === 'string') {
    csrfToken = data.csrfToken;
  }
  return data as T;
}

/** The ApiError for a refused answer (`data` is its parsed body, if any); a 401 also ends the session. */
function refusal(status: number, statusText: string, data: unknown): ApiError {
  const error = (data as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error;
  const code = error?.code && KNOWN_CODES.has(error.code) ? (error.code as ErrorCode) : fallbackCode(status);
  if (code === 'unauthenticated') onUnauthenticated?.();
  return new ApiError(code, status, error?.message ?? statusText, error?.details);
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

// ---- E-case intake and the case file ----------------------------------------------------------

/**
 * What the court said about an uploaded package. A rejection is an answer, not an error: 422
 * (problems in the package), 409 (the court already has the case) and 413 (too large) all carry
 * the problems to show.
 */
export type IntakeAnswer = { status: 'accepted'; httpStatus: 200 | 201; body: IntakeAccepted } | { status: 'rejected'; httpStatus: 409 | 413 | 422; body: IntakeRejected };

export type UploadProgress = { loaded: number; total: number };

/**
 * Sends an e-case package (the .zip file itself as the body) to the court office's intake.
 * Uses XMLHttpRequest because fetch cannot report upload progress. `onProgress` is called while
 * the body goes out; once it has all gone, the server is checking the package. Aborting `signal`
 * cancels the upload (the promise rejects with an AbortError).
 */
export function uploadEcase(file: Blob, options: { onProgress?: (progress: UploadProgress) => void; signal?: AbortSignal } = {}): Promise<IntakeAnswer> {
  const { onProgress, signal } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new DOMException('The upload was cancelled', 'AbortError'));
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/office/ecases');
    xhr.setRequestHeader('accept', 'application/json');
    // Whatever the browser thinks the file is (Windows says application/x-zip-compressed).
    xhr.setRequestHeader('content-type', 'application/zip');
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.responseType = 'text';

    const onAbort = () => xhr.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => signal?.removeEventListener('abort', onAbort);

    xhr.upload.onprogress = (event) => {
      onProgress?.({ loaded: event.loaded, total: event.lengthComputable ? event.total : file.size });
    };
    xhr.upload.onload = () => onProgress?.({ loaded: file.size, total: file.size });
    xhr.onload = () => {
      done();
      let data: unknown = null;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        // Not JSON (a proxy's error page): handled as a refusal below.
      }
      const body = data as { status?: unknown } | null;
      const status = xhr.status;
      if ((status === 200 || status === 201) && body?.status === 'accepted') {
        return resolve({ status: 'accepted', httpStatus: status, body: body as IntakeAccepted });
      }
      if ((status === 409 || status === 413 || status === 422) && body?.status === 'rejected') {
        return resolve({ status: 'rejected', httpStatus: status, body: body as IntakeRejected });
      }
      reject(refusal(status, xhr.statusText, data));
    };
    xhr.onerror = () => {
      done();
      reject(new ApiError('unavailable', 0, 'The upload was interrupted'));
    };
    xhr.onabort = () => {
      done();
      reject(new DOMException('The upload was cancelled', 'AbortError'));
    };
    xhr.send(file);
  });
}

/** A page of the ingestion log, newest first; `next` fetches the page after it (null: no more). */
export function getIngestions(before: string | null = null): Promise<{ ingestions: Ingestion[]; next: string | null }> {
  return request('GET', `/api/ecases/ingestions${before ? `?before=${encodeURIComponent(before)}` : ''}`);
}

export function getInventory(caseId: string): Promise<Inventory> {
  return request('GET', `/api/cases/${encodeURIComponent(caseId)}/inventory`);
}

export function getVerification(caseId: string): Promise<Verification> {
  return request('GET', `/api/cases/${encodeURIComponent(caseId)}/verification`);
}

/** Where a document's file (PDF or media) opens inline; the session cookie authorises it. */
export function documentContentUrl(caseId: string, documentId: string): string {
  return `/api/cases/${encodeURIComponent(caseId)}/documents/${encodeURIComponent(documentId)}/content`;
}

/**
 * Why the server refuses a download the browser made by itself (pdf.js keeps only the status, not
 * the body that says why): asks for the first byte of the same address again and reads the answer.
 * Null when it is not refused now.
 */
export async function whyRefused(path: string): Promise<ApiError | null> {
  try {
    const response = await fetch(path, { headers: { accept: 'application/json', range: 'bytes=0-0' }, credentials: 'same-origin' });
    if (response.ok) return null;
    return refusal(response.status, response.statusText, await response.json().catch(() => null));
  } catch (cause) {
    return new ApiError('unavailable', 0, cause instanceof Error ? cause.message : String(cause));
  }
}

// ---- Scheduling hearings --------------------------------------------------------------------

export function getCaseHearings(caseId: string): Promise<CaseHearings> {
  return request('GET', `/api/cases/${encodeURIComponent(caseId)}/hearings`);
}

/** The halls, judges, secretaries and participants the schedule form offers (schedulers only). */
export function getHearingOptions(caseId: string): Promise<HearingOptions> {
  return request('GET', `/api/cases/${encodeURIComponent(caseId)}/hearing-options`);
}

export async function scheduleHearing(caseId: string, input: ScheduleInput): Promise<HearingDetail> {
  return (await request<{ hearing: HearingDetail }>('POST', `/api/cases/${encodeURIComponent(caseId)}/hearings`, input)).hearing;
}

export async function rescheduleHearing(hearingId: string, input: RescheduleInput): Promise<HearingDetail> {
  return (await request<{ hearing: HearingDetail }>('PATCH', `/api/hearings/${encodeURIComponent(hearingId)}`, input)).hearing;
}

export async function cancelHearing(hearingId: string, reason: string): Promise<HearingDetail> {
  const body = reason.trim() ? { reason: reason.trim() } : {};
  return (await request<{ hearing: HearingDetail }>('DELETE', `/api/hearings/${encodeURIComponent(hearingId)}`, body)).hearing;
}

// ---- The case-file viewer ---------------------------------------------------------------------

/** The pages of the case file whose text matches `q`, in volume and sheet order, from `offset`. */
export function searchCase(caseId: string, q: string, options: { limit?: number; offset?: number } = {}): Promise<SearchAnswer> {
  const query = new URLSearchParams({ q, limit: String(options.limit ?? 50), offset: String(options.offset ?? 0) });
  return request('GET', `/api/cases/${encodeURIComponent(caseId)}/search?${query}`);
}

/** The user's own private notes on the case file. */
export async function getNotes(caseId: string): Promise<Note[]> {
  return (await request<{ notes: Note[] }>('GET', `/api/cases/${encodeURIComponent(caseId)}/notes`)).notes;
}

export async function createNote(caseId: string, note: NewNote): Promise<Note> {
  return (await request<{ note: Note }>('POST', `/api/cases/${encodeURIComponent(caseId)}/notes`, note)).note;
}

export async function updateNote(caseId: string, noteId: string, change: NoteChange): Promise<Note> {
  return (await request<{ note: Note }>('PATCH', `/api/cases/${encodeURIComponent(caseId)}/notes/${encodeURIComponent(noteId)}`, change)).note;
}

export async function deleteNote(caseId: string, noteId: string): Promise<void> {
  await request('DELETE', `/api/cases/${encodeURIComponent(caseId)}/notes/${encodeURIComponent(noteId)}`);
}

export type RemoteInvitation = { invitationId: string; link: string; expiresAt: string; sentTo: { channel: 'email' | 'sms'; recipient: string }[] };
export type RemoteStanding = import('$server/shared/socket/remote.ts').RemoteStanding;

export async function inviteRemote(hearingId: string, participantId: string): Promise<RemoteInvitation> {
  return (await request<{ invitation: RemoteInvitation }>('POST', `/api/hearings/${encodeURIComponent(hearingId)}/invitations`, { participantId })).invitation;
}

/** Exchanges a one-time link's token for a participant session (a cookie). */
export async function joinWithToken(token: string): Promise<RemoteStanding> {
  return (await request<{ standing: RemoteStanding }>('POST', '/api/join', { token })).standing;
}

/** The participant session this browser already holds (after a reload), or `unauthenticated`. */
export async function joinSession(): Promise<RemoteStanding> {
  return (await request<{ standing: RemoteStanding }>('GET', '/api/join/session')).standing;
}

export type MotionDraftInput = {
  hearingId: string | null;
  kind: 'motion' | 'recusal' | 'objection' | 'statement';
  subtype: 'remote_participation' | null;
  text: string;
  refs: { documentId: string; sheet: number | null }[];
};
export type MotionReceipt = import('$server/shared/api/motions.ts').MotionReceipt;
/** The register as it arrives: its times are ISO strings. */
export type MotionRegisterEntry = import('$server/shared/api/motions.ts').AsJson<import('$server/shared/api/motions.ts').RegisterEntry>;

/** The canonical text to sign for this draft (attachments by name, SHA-256 and size). */
export async function draftMotion(caseId: string, draft: MotionDraftInput & { attachments: { fileName: string; sha256: string; size: number }[] }): Promise<string> {
  return (await request<{ canonical: string }>('POST', `/api/cases/${encodeURIComponent(caseId)}/motions/draft`, draft)).canonical;
}

/** Files the signed motion; the receipt is the court's proof of what it received and when. */
export async function fileMotion(caseId: string, motion: MotionDraftInput & { attachments: { fileName: string; contentBase64: string }[]; signature: string }): Promise<MotionReceipt> {
  return (await request<{ receipt: MotionReceipt }>('POST', `/api/cases/${encodeURIComponent(caseId)}/motions`, motion)).receipt;
}

/** The canonical text a remote participant signs (always in the hearing of their session). */
export async function draftRemoteMotion(draft: Omit<MotionDraftInput, 'hearingId'> & { attachments: { fileName: string; sha256: string; size: number }[] }): Promise<string> {
  return (await request<{ canonical: string }>('POST', '/api/join/motions/draft', draft)).canonical;
}

/** Files a remote participant's signed motion in their hearing; the receipt as in the hall. */
export async function fileRemoteMotion(motion: Omit<MotionDraftInput, 'hearingId'> & { attachments: { fileName: string; contentBase64: string }[]; signature: string }): Promise<MotionReceipt> {
  return (await request<{ receipt: MotionReceipt }>('POST', '/api/join/motions', motion)).receipt;
}

/** The case's motions register, and whether this user may file motions in the case. */
export function getMotionRegister(caseId: string): Promise<{ motions: MotionRegisterEntry[]; canFile: boolean }> {
  return request('GET', `/api/cases/${encodeURIComponent(caseId)}/motions`);
}

/** The presiding judge brings a motion filed outside the hall before the court in this hearing. */
export async function takeUpMotion(hearingId: string, motionId: string): Promise<void> {
  await request('POST', `/api/hearings/${encodeURIComponent(hearingId)}/motions/${encodeURIComponent(motionId)}/take-up`);
}

export function motionRegisterPdfUrl(caseId: string, lang: 'kk' | 'ru'): string {
  return `/api/cases/${encodeURIComponent(caseId)}/motions/register.pdf?lang=${lang}`;
}

export function motionAttachmentUrl(caseId: string, motionId: string, position: number): string {
  return `/api/cases/${encodeURIComponent(caseId)}/motions/${encodeURIComponent(motionId)}/attachments/${position}`;
}

export type ProtocolView = import('$server/shared/api/protocol.ts').ProtocolView;
export type ProtocolEntry = import('$server/shared/api/protocol.ts').ProtocolEntry;

export function getProtocol(hearingId: string): Promise<ProtocolView> {
  return request('GET', `/api/hearings/${encodeURIComponent(hearingId)}/protocol`);
}

export function protocolFileUrl(hearingId: string, kind: 'pdf' | 'json' | 'vtt'): string {
  return `/api/hearings/${encodeURIComponent(hearingId)}/protocol.${kind}`;
}

/** The protocol's PDF — the very bytes to sign — and the version of the protocol it shows. */
export async function getProtocolPdf(hearingId: string): Promise<{ bytes: Uint8Array; version: number }> {
  let response: Response;
  try {
    response = await fetch(protocolFileUrl(hearingId, 'pdf'), { credentials: 'same-origin', cache: 'no-store' });
  } catch (cause) {
    throw new ApiError('unavailable', 0, cause instanceof Error ? cause.message : String(cause));
  }
  if (!response.ok) throw refusal(response.status, response.statusText, await response.json().catch(() => null));
  return { bytes: new Uint8Array(await response.arrayBuffer()), version: Number(response.headers.get('x-protocol-version')) };
}

/** Sends the signer's detached CMS signature (base64) over the PDF of `version`. */
export function signProtocol(hearingId: string, version: number, signature: string): Promise<ProtocolView> {
  return request('POST', `/api/hearings/${encodeURIComponent(hearingId)}/protocol/sign`, { version, signature });
}

/** The PDF of an addendum with this text (the bytes to sign) and its number. */
export async function draftProtocolAddendum(hearingId: string, text: string): Promise<{ bytes: Uint8Array; number: number }> {
  let response: Response;
  try {
    response = await fetch(`/api/hearings/${encodeURIComponent(hearingId)}/protocol/addenda/draft`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}) },
      body: JSON.stringify({ text }),
      credentials: 'same-origin',
    });
  } catch (cause) {
    throw new ApiError('unavailable', 0, cause instanceof Error ? cause.message : String(cause));
  }
  if (!response.ok) throw refusal(response.status, response.statusText, await response.json().catch(() => null));
  return { bytes: new Uint8Array(await response.arrayBuffer()), number: Number(response.headers.get('x-addendum-number')) };
}

/** Files a signed addendum: it goes into the case file, attached to the protocol. */
export function addProtocolAddendum(hearingId: string, input: { text: string; number: number; signature: string }): Promise<ProtocolView> {
  return request('POST', `/api/hearings/${encodeURIComponent(hearingId)}/protocol/addenda`, input);
}

/** The playback page at an entry's moment (seconds into the recording, and its wall time). */
export function playbackUrl(hearingId: string, entry: { recordingMs: number | null; at: number }): string | null {
  if (entry.recordingMs === null) return null;
  return `/hearings/${encodeURIComponent(hearingId)}/recording?t=${Math.floor(entry.recordingMs / 1000)}&at=${entry.at}`;
}

/** Query string of the defined values only. */
function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

export function getSituation(params: { courtId?: string } = {}): Promise<Dashboard> {
  return request('GET', `/api/situation${query(params)}`);
}

export type SituationCasesQuery = { figure: Figure; rule?: string; judgeId?: string; category?: string; courtId?: string; limit?: number };

export async function getSituationCases(params: SituationCasesQuery): Promise<DrillCase[]> {
  return (await request<{ cases: DrillCase[] }>('GET', `/api/situation/cases${query(params)}`)).cases;
}

/**
 * The address of the same list as CSV (a plain link: the browser downloads it with the session
 * cookie); `lang`: the language of its values (categories, statuses, time limits).
 */
export function situationCsvUrl(params: Omit<SituationCasesQuery, 'limit'> & { lang?: string }): string {
  return `/api/situation/cases.csv${query(params)}`;
}

export type ActSearchQuery = { q: string; article?: string; from?: string; to?: string; outcome?: string; kind?: string; offset?: number };

export function searchActs(params: ActSearchQuery): Promise<ActSearchAnswer> {
  return request('GET', `/api/acts/search${query(params)}`);
}

export function getActText(actId: string): Promise<ActText> {
  return request('GET', `/api/acts/${encodeURIComponent(actId)}/text`);
}

/** The acts of a case (which of its documents are marked as acts). */
export async function getCaseActs(caseId: string): Promise<ActListing[]> {
  return (await request<{ acts: ActListing[] }>('GET', `/api/cases/${encodeURIComponent(caseId)}/acts`)).acts;
}

/** The judge of the case marks a document as a judicial act, or changes its marking. */
export async function markAct(caseId: string, input: MarkActInput): Promise<ActListing> {
  return (await request<{ act: ActListing }>('POST', `/api/cases/${encodeURIComponent(caseId)}/acts`, input)).act;
}

export function getRecording(hearingId: string): Promise<RecordingView> {
  return request('GET', `/api/hearings/${encodeURIComponent(hearingId)}/recording`);
}

export function verifyRecording(hearingId: string): Promise<RecordingVerdict> {
  return request('POST', `/api/hearings/${encodeURIComponent(hearingId)}/recording/verify`);
}

export function recordingSegmentUrl(hearingId: string, trackId: string, seq: number): string {
  return `/api/hearings/${encodeURIComponent(hearingId)}/recording/tracks/${encodeURIComponent(trackId)}/segments/${seq}`;
}

export function recordingMixUrl(hearingId: string): string {
  return `/api/hearings/${encodeURIComponent(hearingId)}/recording/mix`;
}

/** A ZIP copy with manifest.json: every track, or the ones named. */
export function recordingExportUrl(hearingId: string, trackIds: string[] | 'all' | 'mix'): string {
  const tracks = typeof trackIds === 'string' ? trackIds : trackIds.map(encodeURIComponent).join(',');
  return `/api/hearings/${encodeURIComponent(hearingId)}/recording/export?tracks=${tracks}`;
}

/** Walks the audit log's hash chain (admin only); the verdict says whether it is whole and where not. */
export function checkAuditChain(): Promise<AuditChainCheck> {
  return request('GET', '/api/admin/audit-chain');
}

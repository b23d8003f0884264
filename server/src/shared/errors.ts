/**
 * Errors a client may see, over HTTP and in socket acknowledgements alike. Every refusal carries
 * one of these stable codes (with its HTTP status); the web app translates the code, never the
 * message (the message is for developers and logs). AppError, below, throws them.
 */
export const ERROR_CODES = {
  invalid_request: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  csrf_invalid: 403,
  forbidden: 403,
  /** In a hearing: the person may follow it but this step is not theirs (a lawyer moving the stage). */
  forbidden_action: 403,
  /** In a hearing: changing the shown page without having the floor. */
  not_presenter: 403,
  not_found: 404,
  conflict: 409,
  /** In a hearing: the step is not possible at this point (a stage out of order, a break during a break). */
  invalid_transition: 409,
  /** In a hearing: the command named a version the hearing has already moved past. */
  stale_version: 409,
  /** A hearing command from a connection that has not joined that hearing. */
  not_joined: 409,
  // Scheduling a hearing (server/src/hearings/scheduling.rules.ts)
  hall_not_in_court: 422,
  judge_not_in_court: 422,
  secretary_not_in_court: 422,
  hearing_in_past: 422,
  participant_not_in_case: 422,
  hall_busy: 409,
  judge_busy: 409,
  secretary_busy: 409,
  hearing_not_scheduled: 409,
  case_closed: 409,
  /** A remote-participation link that does not exist or was withdrawn. */
  invitation_invalid: 404,
  invitation_expired: 410,
  /** A remote-participation link works once. */
  invitation_used: 409,
  /** Media for a remote participant the court has not admitted (still invited, refused, left). */
  not_admitted: 403,
  /** Media of a hearing whose room another live node holds (its lease, docs/media.md "Media failover"); `details.node` names it. */
  media_elsewhere: 409,
  // Motions
  /** Filing in, or taking a position in, a case one is not a party to. */
  not_a_party: 403,
  /** The CMS signature does not verify over the motion (or is not a CMS signature at all). */
  signature_invalid: 422,
  /** The signer's certificate does not chain to the court's trust roots. */
  signature_untrusted: 422,
  /** The signer's certificate was expired (or not yet valid) when it signed. */
  signature_expired: 422,
  /** The certificate is someone else's: its IIN is not the filer's. */
  signer_mismatch: 422,
  /** An attachment that is not a PDF (by its bytes, not its name). */
  attachment_not_pdf: 415,
  /** A PDF attachment with JavaScript, a launch action, embedded files, rich media, an XFA form or form submission. */
  attachment_active_content: 422,
  attachment_too_large: 413,
  /** Text with markup or control characters: motions are plain text. */
  text_unsafe: 422,
  motion_already_ruled: 409,
  position_already_stated: 409,
  /** A recusal is pending: it is decided before anything else proceeds. */
  recusal_pending: 409,
  // The short protocol
  /** Editing a protocol the secretary has signed: a correction is a new signed addendum. */
  protocol_signed: 409,
  /** Signing a protocol this person has already signed. */
  protocol_already_signed: 409,
  /** Establishing the identity of, or explaining rights to, a participant who is not present (absent, or not admitted remotely). */
  participant_not_present: 409,
  // Judicial acts (server/src/acts)
  /** Marking an act: only the judge of the case may. */
  not_case_judge: 403,
  /** The act's document has no text yet (its text is read in the background after intake). */
  act_text_pending: 409,
  /** Starting or resuming the recording in the deliberation room, which is never recorded. */
  recording_not_allowed: 409,
  /** The hearing has no recording (yet): nothing to play, verify or export. */
  no_recording: 404,
  /** The hall recording to file with the signed protocol could not be made (ffmpeg failed); signing again retries. */
  recording_not_ready: 503,
  // ---- end recording ----
  too_large: 413,
  unsupported_media_type: 415,
  /** A valid byte range that lies past the end of the content (RFC 9110 section 15.5.17). */
  range_not_satisfiable: 416,
  rate_limited: 429,
  /** Logging in: too many failed attempts from this address (or at once on this account); `Retry-After` says when to try again. */
  too_many_attempts: 429,
  internal: 500,
  unavailable: 503,
  /**
   * A write the server could not make: its disk is full, read-only or failing
   * (server/src/storage/storage-failure.ts). Nothing is recorded until an operator frees the disk.
   */
  storage_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export type ErrorBody = { error: { code: ErrorCode; message: string; details?: unknown } };

/**
 * A refusal: thrown anywhere (the hearing's rules included, which run in the browser too) and
 * answered by the server's error handler (HTTP) or the socket acknowledgement with its code.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.code = code;
    this.details = details;
  }

  get statusCode(): number {
    return ERROR_CODES[this.code];
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) } };
  }
}

/**
 * How a message leaves the court: one sender per channel (e-mail, SMS). The dispatcher knows
 * only this interface, so another SMS gateway or a mail API is one more class, not a change
 * to the dispatcher.
 */
export type OutgoingMessage = {
  /** The outbox id: gateways may use it to drop a message they already delivered. */
  id: string;
  recipient: string;
  /** The e-mail subject; null for SMS. */
  subject: string | null;
  body: string;
};

export interface MessageSender {
  /** Resolves once the message is handed over; throws on failure (PermanentSendError: no retry). */
  send(message: OutgoingMessage): Promise<void>;
  close(): Promise<void>;
}

/** A refusal that will not change on a retry: no such mailbox, a malformed phone number. */
export class PermanentSendError extends Error {}

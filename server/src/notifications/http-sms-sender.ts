/**
 * SMS through an HTTP gateway: a JSON POST `{ to, text, reference }` to SMS_GATEWAY_URL with
 * `Authorization: Bearer <SMS_GATEWAY_TOKEN>` and `Idempotency-Key: <reference>`. Any 2xx means
 * the gateway took the message. Most Kazakh operators' gateways can be fronted by this shape;
 * one that cannot gets its own MessageSender.
 */
import { PermanentSendError, type MessageSender, type OutgoingMessage } from './sender.ts';

export class HttpSmsSender implements MessageSender {
  #url: string;
  #token: string | undefined;

  constructor(config: { url: string; token: string | undefined }) {
    this.#url = config.url;
    this.#token = config.token;
  }

  async send(message: OutgoingMessage): Promise<void> {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': message.id };
    if (this.#token) headers.authorization = `Bearer ${this.#token}`;
    const response = await fetch(this.#url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ to: message.recipient, text: message.body, reference: message.id }),
      signal: AbortSignal.timeout(15_000),
    });
    if (response.ok) {
      await response.body?.cancel();
      return;
    }
    const detail = `SMS gateway answered ${response.status}: ${(await response.text().catch(() => '')).slice(0, 200)}`;
    // These say the message itself is wrong (a malformed number); anything else (a bad token, the
    // gateway down or busy) may pass once the court or the operator has fixed it, so it is retried.
    if ([400, 413, 422].includes(response.status)) throw new PermanentSendError(detail);
    throw new Error(detail);
  }

  async close(): Promise<void> {}
}

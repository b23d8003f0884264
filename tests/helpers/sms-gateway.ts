/**
 * A stand-in SMS gateway for tests: a real HTTP server on loopback that records every POST and
 * answers with the statuses queued in `answers` (then 200).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type SmsRequest = { headers: http.IncomingHttpHeaders; body: { to: string; text: string; reference: string } };

export class SmsGateway {
  readonly requests: SmsRequest[] = [];
  /** Statuses for the next answers, first first; when empty the gateway answers 200. */
  readonly answers: number[] = [];
  #server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      this.requests.push({ headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      const status = this.answers.shift() ?? 200;
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(status === 200 ? { accepted: true } : { error: `status ${status}` }));
    });
  });

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/sms/send`;
  }

  /** Resolves once `count` messages to `to` have arrived. */
  async messagesTo(to: string, count = 1, timeoutMs = 30_000): Promise<SmsRequest[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.requests.filter((r) => r.body.to === to);
      if (found.length >= count) return found;
      if (Date.now() > deadline) throw new Error(`fewer than ${count} SMS to ${to} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

/**
 * A real SMTP server on loopback (smtp-server) that keeps every message it accepts, for tests
 * of e-mail notices. It asks for a login, like a court's mail server would, and can refuse
 * chosen recipients for good (550), to test a permanent failure.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export type ReceivedMail = { from: string; to: string[]; subject: string; text: string; headers: Record<string, string>; raw: string };

export class SmtpSink {
  readonly messages: ReceivedMail[] = [];
  readonly user = 'court-mailer';
  readonly pass = 'mail-secret';
  /** Recipients refused with "550 No such user". */
  readonly refuse = new Set<string>();
  #server: SMTPServer;
  #waiters: (() => void)[] = [];
  port = 0;

  constructor() {
    this.#server = new SMTPServer({
      secure: false,
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      onAuth: (auth, _session, callback) => {
        if (auth.username === this.user && auth.password === this.pass) return callback(null, { user: auth.username });
        callback(new Error('Invalid username or password'));
      },
      onRcptTo: (address, _session, callback) => {
        if (this.refuse.has(address.address)) {
          const error = new Error('No such user') as Error & { responseCode: number };
          error.responseCode = 550;
          return callback(error);
        }
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
          this.messages.push({ ...parseMail(raw), from, to: session.envelope.rcptTo.map((r) => r.address), raw });
          for (const wake of this.#waiters.splice(0)) wake();
          callback();
        });
      },
    });
  }

  /** Listens on 127.0.0.1, on `port` (0: any free port). */
  async listen(port = 0): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.#server.server.address() as AddressInfo).port;
    return this;
  }

  /** Resolves with the first message to `address`, waiting for it if need be. */
  async mailTo(address: string, timeoutMs = 30_000): Promise<ReceivedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find((m) => m.to.includes(address));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no mail to ${address} within ${timeoutMs} ms (got: ${this.messages.map((m) => m.to).join('; ')})`);
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 200).unref();
      });
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

/** Headers and the text of a single-part message, with encoded words and transfer encodings undone. */
function parseMail(raw: string): { subject: string; text: string; headers: Record<string, string> } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const body = raw.slice(split + 4);
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = decodeWords(line.slice(colon + 1).trim());
  }
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  let bytes: Buffer;
  if (encoding === 'base64') bytes = Buffer.from(body.replace(/\s+/g, ''), 'base64');
  else if (encoding === 'quoted-printable') bytes = decodeQuotedPrintable(body);
  else bytes = Buffer.from(body, 'utf8');
  return { subject: headers.subject ?? '', text: bytes.toString('utf8').replace(/\r\n/g, '\n').trimEnd(), headers };
}

/** RFC 2047 encoded words; adjacent words are joined byte-wise (a character may straddle two). */
function decodeWords(value: string): string {
  return value.replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)(\s+=\?[^?]+\?[BbQq]\?[^?]*\?=)*/g, (run) => {
    const parts = [...run.matchAll(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g)].map(([, , kind, text]) =>
      kind.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
    return Buffer.concat(parts).toString('utf8');
  });
}

function decodeQuotedPrintable(text: string): Buffer {
  const bytes: number[] = [];
  const source = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < source.length; i++) {
    if (source[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(source.slice(i + 1, i + 3))) {
      bytes.push(parseInt(source.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(source[i], 'utf8'));
  }
  return Buffer.from(bytes);
}

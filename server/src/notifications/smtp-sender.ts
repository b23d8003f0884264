/** E-mail through the court's SMTP server (nodemailer), configured by SMTP_* in .env. */
import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../config.ts';
import { PermanentSendError, type MessageSender, type OutgoingMessage } from './sender.ts';

type SmtpConfig = NonNullable<Config['notifications']['email']>;

export class SmtpSender implements MessageSender {
  #transport: Transporter;
  #from: string;

  constructor(config: SmtpConfig) {
    this.#from = config.from;
    this.#transport = nodemailer.createTransport({
      host: config.host,
      port: config.port,
      secure: config.secure,
      auth: config.user ? { user: config.user, pass: config.pass ?? '' } : undefined,
      // A server that does not answer should fail the attempt soon, not hold the queue for minutes.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
  }

  async send(message: OutgoingMessage): Promise<void> {
    try {
      await this.#transport.sendMail({
        from: this.#from,
        to: message.recipient,
        subject: message.subject ?? '',
        text: message.body,
        // The same id on every attempt, so a mail client can tell a resent summons from a new one.
        messageId: `<${message.id}@ezal.notifications>`,
      });
    } catch (error) {
      // 5xx: the server refused this message for good (no such mailbox, rejected sender).
      const code = (error as { responseCode?: number }).responseCode;
      if (code !== undefined && code >= 500) throw new PermanentSendError((error as Error).message);
      throw error;
    }
  }

  async close(): Promise<void> {
    this.#transport.close();
  }
}

/**
 * Sends what the outbox holds. Woken after every change that wrote to the outbox, and by its own
 * timer when a retry falls due; at start it sends whatever an earlier run left pending. One pass
 * runs at a time, one message after another: a court sends a few dozen summonses a day, and a
 * slow mail server then delays, rather than multiplies, the connections.
 *
 * Delivery is at least once: a server stopped between handing a message over and recording it
 * sends that message again at its next start. The message keeps its id (the e-mail's Message-ID,
 * the SMS gateway's idempotency key), so the other side can tell.
 */
import type { NotificationChannel } from '../../../db/schema.ts';
import type { OutboxRepository, OutboxRow } from './outbox.repository.ts';
import { PermanentSendError, type MessageSender } from './sender.ts';

type Log = { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };

export type DispatcherOptions = {
  outbox: OutboxRepository;
  senders: Partial<Record<NotificationChannel, MessageSender>>;
  maxAttempts: number;
  retryBaseMs: number;
  log: Log;
  now?: () => Date;
};

/** Waits between attempts double from the base and stop growing at an hour. */
export const MAX_RETRY_DELAY_MS = 3_600_000;

/** The wait after the `attempts`-th failed attempt: base, 2×base, 4×base, … at most an hour. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), MAX_RETRY_DELAY_MS);
}

const BATCH = 20;

export class NotificationDispatcher {
  #options: DispatcherOptions;
  #now: () => Date;
  #timer: NodeJS.Timeout | null = null;
  #pass: Promise<void> | null = null;
  #wokenDuringPass = false;
  #stopped = false;

  constructor(options: DispatcherOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
  }

  /** The channels messages go out on; the others are recorded as skipped. */
  get channels(): Set<NotificationChannel> {
    return new Set(Object.keys(this.#options.senders) as NotificationChannel[]);
  }

  /** Sends everything due now, then sleeps until the next retry is due. */
  wake(): void {
    if (this.#stopped) return;
    if (this.#pass) {
      this.#wokenDuringPass = true;
      return;
    }
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    // Registered before the first message goes out, so a wake from inside a send joins this pass.
    this.#pass = Promise.resolve()
      .then(() => this.#sendDue())
      .catch((error: unknown) => this.#options.log.error({ err: error }, 'notification dispatch failed'))
      .finally(() => {
        this.#pass = null;
        if (this.#wokenDuringPass) {
          this.#wokenDuringPass = false;
          this.wake();
        } else this.#sleep();
      });
  }

  /** Resolves when no pass is running (tests and shutdown wait on it). */
  async idle(): Promise<void> {
    while (this.#pass) await this.#pass;
  }

  /** Stops taking messages, lets the one in hand finish, and closes the senders. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.idle();
    for (const sender of Object.values(this.#options.senders)) await sender?.close();
  }

  async #sendDue(): Promise<void> {
    const { outbox } = this.#options;
    for (;;) {
      const due = outbox.due(this.#now(), BATCH);
      if (due.length === 0) return;
      for (const row of due) {
        if (this.#stopped) return;
        await this.#deliver(row);
      }
    }
  }

  async #deliver(row: OutboxRow): Promise<void> {
    const { outbox, senders, maxAttempts, retryBaseMs, log } = this.#options;
    const sender = senders[row.channel];
    if (!sender) {
      // Written while the channel was on, and the server restarted with it off.
      outbox.markDone(row.id, 'skipped', row.attempts, 'channel_off');
      return;
    }
    const attempts = row.attempts + 1;
    try {
      await sender.send({ id: row.id, recipient: row.recipient, subject: row.subject, body: row.body });
      outbox.markSent(row.id, attempts, this.#now());
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
      const permanent = error instanceof PermanentSendError;
      if (permanent || attempts >= maxAttempts) {
        outbox.markDone(row.id, 'failed', attempts, message);
        log.warn({ notification: row.id, channel: row.channel, attempts, error: message }, 'notification failed for good');
      } else {
        const next = new Date(this.#now().getTime() + retryDelayMs(attempts, retryBaseMs));
        outbox.markRetry(row.id, attempts, next, message);
        log.info({ notification: row.id, channel: row.channel, attempts, retryAt: next.toISOString(), error: message }, 'notification not sent; will retry');
      }
    }
  }

  #sleep(): void {
    if (this.#stopped) return;
    const next = this.#options.outbox.nextDueAt();
    if (!next) return;
    // At least a second: a row that cannot be recorded (a database error) must not spin the loop.
    const delay = Math.min(Math.max(1000, next.getTime() - this.#now().getTime()), MAX_RETRY_DELAY_MS);
    this.#timer = setTimeout(() => this.wake(), delay);
    this.#timer.unref();
  }
}

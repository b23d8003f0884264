/**
 * Sends what the outbox holds. Woken after every change that wrote to the outbox, and by its own
 * timer when a retry falls due; at start it sends whatever an earlier run left pending. One pass
 * runs at a time, one message after another: a court sends a few dozen summonses a day, and a
 * slow mail server then delays, rather than multiplies, the connections.
 *
 * Several nodes may each run a dispatcher on one outbox (PostgreSQL, issue 20). Each message is
 * claimed before it is sent (outbox.repository.ts: a lease of `leaseMs` in the row, committed
 * first), so no two nodes send it at once; the outcome is recorded only while the claim is still
 * this dispatcher's. A node that dies while sending leaves its lease behind; when it runs out,
 * any node takes the message over. The lease is far longer than a send may take (the senders give
 * up within a minute), so a slow send is not taken over while it is still under way.
 *
 * Delivery is at least once: a node that stops (or dies) after the mail server accepted a message
 * and before its outcome was recorded — the time of one UPDATE — leaves the message pending, and
 * it is sent again when the lease runs out (or at the next start). The message keeps its id on
 * every attempt, from any node (the e-mail's Message-ID, the SMS gateway's idempotency key), so
 * the other side can tell: a mail client shows the two copies as one message.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import type { NotificationChannel } from '../../../db/schema.ts';
import type { Claim, OutboxQueue, OutboxRow } from './outbox.repository.ts';
import { PermanentSendError, type MessageSender } from './sender.ts';

type Log = { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };

export type DispatcherOptions = {
  outbox: OutboxQueue;
  senders: Partial<Record<NotificationChannel, MessageSender>>;
  maxAttempts: number;
  retryBaseMs: number;
  log: Log;
  now?: () => Date;
  /** This node's name (NODE_NAME); the claims say `<name>/<a number for this dispatcher>`. */
  node?: string;
  /** How long a claimed message is this dispatcher's alone. Default: DEFAULT_LEASE_MS. */
  leaseMs?: number;
};

/**
 * Five minutes: far above the longest send (the SMTP sender's timeouts add up to under a minute,
 * the SMS sender's to 15 s), and short enough that a dead node's message goes out soon after.
 */
export const DEFAULT_LEASE_MS = 300_000;

/** When the outbox cannot be read, the next try is this far off (the database is down, not empty). */
const UNREADABLE_RETRY_MS = 5_000;

/** Waits between attempts double from the base and stop growing at an hour. */
export const MAX_RETRY_DELAY_MS = 3_600_000;

/** The wait after the `attempts`-th failed attempt: base, 2×base, 4×base, … at most an hour. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempts - 1), MAX_RETRY_DELAY_MS);
}

export class NotificationDispatcher {
  #options: DispatcherOptions;
  #now: () => Date;
  #node: string;
  #leaseMs: number;
  #timer: NodeJS.Timeout | null = null;
  #pass: Promise<void> | null = null;
  #wokenDuringPass = false;
  #stopped = false;

  constructor(options: DispatcherOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
    // Unique per dispatcher, so a node restarted under the same name never mistakes its last run's claims for its own.
    this.#node = `${options.node ?? `${os.hostname()}:${process.pid}`}/${crypto.randomBytes(4).toString('hex')}`;
    this.#leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  /** What this dispatcher writes in `claimed_by`. */
  get node(): string {
    return this.#node;
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
      // Part of the pass, so the timer is set before the next pass can start (and `idle` waits for it).
      .then(() => this.#nextWakeDelay())
      .then((delay) => {
        this.#pass = null;
        if (this.#wokenDuringPass) {
          this.#wokenDuringPass = false;
          this.wake();
        } else this.#sleep(delay);
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

  /** One message at a time, each claimed just before it is sent: a long pass never holds messages another node could send. */
  async #sendDue(): Promise<void> {
    const { outbox } = this.#options;
    while (!this.#stopped) {
      const now = this.#now();
      const row = await outbox.claimNext(this.#node, now, new Date(now.getTime() + this.#leaseMs));
      if (!row) return;
      await this.#deliver(row);
    }
  }

  async #deliver(row: OutboxRow): Promise<void> {
    const { outbox, senders, maxAttempts, retryBaseMs, log } = this.#options;
    const claim: Claim = { id: row.id, node: this.#node };
    const sender = senders[row.channel];
    if (!sender) {
      // Written while the channel was on, and the server restarted with it off.
      await outbox.markDone(claim, 'skipped', row.attempts, 'channel_off');
      return;
    }
    const attempts = row.attempts + 1;
    let failure: unknown;
    try {
      await sender.send({ id: row.id, recipient: row.recipient, subject: row.subject, body: row.body });
    } catch (error) {
      failure = error;
    }
    // Recorded outside the send's try: a database error here must not count as a failed send.
    let recorded: boolean;
    if (failure === undefined) {
      recorded = await outbox.markSent(claim, attempts, this.#now());
    } else {
      const message = (failure instanceof Error ? failure.message : String(failure)).slice(0, 500);
      if (failure instanceof PermanentSendError || attempts >= maxAttempts) {
        recorded = await outbox.markDone(claim, 'failed', attempts, message);
        log.warn({ notification: row.id, channel: row.channel, attempts, error: message }, 'notification failed for good');
      } else {
        const next = new Date(this.#now().getTime() + retryDelayMs(attempts, retryBaseMs));
        recorded = await outbox.markRetry(claim, attempts, next, message);
        log.info({ notification: row.id, channel: row.channel, attempts, retryAt: next.toISOString(), error: message }, 'notification not sent; will retry');
      }
    }
    // Only when this send outlasted its lease (a hung connection): the message is another node's now, and may go out twice.
    if (!recorded) log.warn({ notification: row.id, node: this.#node }, 'the claim on a notification ran out before its outcome was recorded');
  }

  /** How long to sleep after a pass: until the next message may be claimed, or null when none is waiting. */
  async #nextWakeDelay(): Promise<number | null> {
    if (this.#stopped) return null;
    let next: Date | null;
    try {
      next = await this.#options.outbox.nextDueAt();
    } catch (error) {
      this.#options.log.error({ err: error }, 'the notification outbox could not be read; trying again shortly');
      return UNREADABLE_RETRY_MS;
    }
    if (!next) return null;
    // At least a second: a row that cannot be recorded (a database error) must not spin the loop.
    return Math.min(Math.max(1000, next.getTime() - this.#now().getTime()), MAX_RETRY_DELAY_MS);
  }

  #sleep(delay: number | null): void {
    if (this.#stopped || delay === null) return;
    this.#timer = setTimeout(() => this.wake(), delay);
    this.#timer.unref();
  }
}

/**
 * What keeps one connection from flooding the server or the audit log, for every command of either
 * namespace (a socket.io middleware, ahead of every handler):
 *
 * - a token bucket per connection (`ratePerSecond`, bursts of twice that): a command over it is
 *   answered `rate_limited` and not run. Media signalling is exempt here: it has its own bucket
 *   (media.socket.ts);
 * - refusals the services audit (forbidden, not the presenter…) are counted: after
 *   `refusalsBeforeMuting` of them within the window, the connection's commands are answered
 *   `rate_limited` without being run, until it has sent nothing for a window — so the services stop
 *   writing a row per attempt;
 * - what the guard itself refuses is audited once per burst: the first refusal at once, the rest
 *   as one row with their count when the burst ends (`quietMs` without one) or every `flushMs`.
 */
import type { AuditEntry } from '../audit/audit.repository.ts';
import type { ErrorCode } from '../shared/errors.ts';
import { RateLimiter } from './rate-limiter.ts';

/** A command unanswered this long (a handler that never answers) no longer holds up its connection. */
const STALL_MS = 5_000;

/** The codes the services audit as a person overstepping: these count towards muting. */
const AUDITED_REFUSALS = new Set<ErrorCode>(['forbidden', 'forbidden_action', 'not_presenter', 'not_a_party', 'not_admitted']);

export type CommandGuardOptions = {
  ratePerSecond: number;
  refusalsBeforeMuting: number;
  refusalWindowMs: number;
  who: GuardedWho;
  record: (entry: AuditEntry) => void;
  /** Events that take no token (they are limited elsewhere). */
  exempt?: (event: string) => boolean;
  quietMs?: number;
  flushMs?: number;
  /** How long a command may go unanswered before the connection's next packets stop waiting for it. */
  stallMs?: number;
  now?: () => number;
};

/** Who the audit rows are about (actor, user, address, anything more to say). */
export type GuardedWho = Pick<AuditEntry, 'userId' | 'actor' | 'ip'> & { details?: Record<string, unknown> };

/** Puts a connection under the guard, with the server's settings (socket.ts makes it). */
export type GuardConnection = (socket: GuardedSocket, who: GuardedWho) => void;

/** A socket of either namespace, as far as the guard needs it. */
export type GuardedSocket = {
  use(fn: (packet: [string, ...unknown[]], next: (error?: Error) => void) => void): unknown;
  on(event: 'disconnect', listener: () => void): unknown;
};

type Ack = (answer: { error?: { code?: string; message?: string } }) => void;

export function guardCommands(socket: GuardedSocket, options: CommandGuardOptions): void {
  const now = options.now ?? (() => performance.now());
  const limiter = new RateLimiter(options.ratePerSecond, now);
  const burst = new RefusalBurst(options, now);
  const refusals: number[] = [];
  let mutedUntil = 0;
  /**
   * Commands let through whose answer has not come yet, and the packets that came meanwhile. A
   * connection's packets are decided one after another, each once the commands before it are
   * answered: so a burst of refusals mutes the rest of the burst however long a refusal takes to
   * decide (a round trip to PostgreSQL, the audit row written). A command whose answer does not
   * come within `stallMs` stops holding the others up.
   */
  let inFlight = new Set<object>();
  const waiting: (() => void)[] = [];
  let stall: ReturnType<typeof setTimeout> | undefined;
  const release = () => {
    while (inFlight.size === 0 && waiting.length > 0) waiting.shift()!();
    if (inFlight.size === 0 || waiting.length === 0) {
      clearTimeout(stall);
      stall = undefined;
    } else {
      stall ??= setTimeout(() => {
        stall = undefined;
        inFlight = new Set();
        release();
      }, options.stallMs ?? STALL_MS);
    }
  };

  const decide = (packet: [string, ...unknown[]], next: (error?: Error) => void) => {
    const [event] = packet;
    const last = packet.length - 1;
    const ack = typeof packet[last] === 'function' ? (packet[last] as Ack) : null;
    const at = now();
    const refuse = (reason: 'muted' | 'rate_limited') => {
      burst.note(event, reason, packet[1]);
      ack?.({ error: { code: 'rate_limited', message: 'Too many commands; slow down' } });
    };
    if (at < mutedUntil) {
      mutedUntil = at + options.refusalWindowMs;
      return refuse('muted');
    }
    if (!options.exempt?.(event) && !limiter.take()) return refuse('rate_limited');
    if (ack) {
      const command = {};
      const commands = inFlight;
      commands.add(command);
      packet[last] = (answer: Parameters<Ack>[0]) => {
        const code = answer?.error?.code as ErrorCode | undefined;
        if (commands.delete(command) && code && AUDITED_REFUSALS.has(code)) {
          const when = now();
          refusals.push(when);
          while (refusals.length > 0 && refusals[0] <= when - options.refusalWindowMs) refusals.shift();
          if (refusals.length >= options.refusalsBeforeMuting) mutedUntil = when + options.refusalWindowMs;
        }
        ack(answer);
        release();
      };
    }
    next();
  };

  socket.use((packet, next) => {
    // Media signalling (exempt: limited by its own bucket) keeps its requests in parallel.
    if (options.exempt?.(packet[0])) return decide(packet, next);
    waiting.push(() => decide(packet, next));
    release();
  });

  socket.on('disconnect', () => {
    waiting.length = 0;
    clearTimeout(stall);
    burst.close();
  });
}

/** One audit row for the first refusal of a burst, one with the count of the rest. */
class RefusalBurst {
  #options: CommandGuardOptions;
  #now: () => number;
  #open = false;
  #count = 0;
  #events: Record<string, number> = {};
  #reasons: Record<string, number> = {};
  #target: string | null = null;
  #lastAt = 0;
  #writtenAt = 0;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(options: CommandGuardOptions, now: () => number) {
    this.#options = options;
    this.#now = now;
  }

  note(event: string, reason: string, payload: unknown): void {
    const at = this.#now();
    this.#lastAt = at;
    if (!this.#open) {
      this.#open = true;
      this.#target = hearingOf(payload);
      this.#write({ count: 1, events: { [event]: 1 }, reasons: { [reason]: 1 }, first: true }, at);
      const quietMs = this.#options.quietMs ?? 2000;
      this.#timer = setInterval(
        () => {
          if (this.#now() - this.#lastAt >= quietMs) this.close();
          else if (this.#now() - this.#writtenAt >= (this.#options.flushMs ?? 30_000)) this.#flush();
        },
        Math.max(50, quietMs / 4),
      );
      this.#timer.unref();
      return;
    }
    this.#count += 1;
    this.#events[event] = (this.#events[event] ?? 0) + 1;
    this.#reasons[reason] = (this.#reasons[reason] ?? 0) + 1;
  }

  /** Writes what is counted and ends the burst (its end, or the connection's). */
  close(): void {
    if (!this.#open) return;
    this.#flush();
    clearInterval(this.#timer);
    this.#open = false;
  }

  #flush(): void {
    if (this.#count === 0) return;
    this.#write({ count: this.#count, events: this.#events, reasons: this.#reasons }, this.#now());
    this.#count = 0;
    this.#events = {};
    this.#reasons = {};
  }

  #write(details: Record<string, unknown>, at: number): void {
    this.#writtenAt = at;
    const { who, record } = this.#options;
    try {
      record({ userId: who.userId, actor: who.actor, ip: who.ip, action: 'socket.refused', outcome: 'denied', target: this.#target, details: { ...who.details, ...details } });
    } catch {
      // A connection closing with the server (its database already closed): nothing more to record.
    }
  }
}

function hearingOf(payload: unknown): string | null {
  const hearingId = (payload as { hearingId?: unknown } | null)?.hearingId;
  return typeof hearingId === 'string' ? hearingId.slice(0, 100) : null;
}

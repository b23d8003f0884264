/**
 * How password guessing is slowed without locking anyone out of their own account. Three rules,
 * all in memory (a restart forgets them, which only gives a guesser a fresh window):
 *
 * - per address, across accounts: after `addressMaxFailures` failures within the window, further
 *   attempts from the address are refused (429) until the oldest failure leaves the window;
 * - per account: each recent failure doubles the wait before the account's next attempt is checked
 *   (base, 2×base, … up to max), and attempts on one account are checked one after another, so
 *   firing many at once does not get around the wait; attempts that would wait longer than a few
 *   maximum waits are refused instead of held;
 * - a known device (its account logged in from it before) is exempt from both, so a judge behind the
 *   court's one NAT address logs in at their own workstation whatever others try on the account.
 *   A device that fails `addressMaxFailures` times itself loses the exemption for the window.
 */
export type LoginGuardOptions = {
  addressMaxFailures: number;
  addressWindowMs: number;
  accountDelayBaseMs: number;
  accountDelayMaxMs: number;
  now?: () => number;
};

/**
 * What to do with an attempt: refuse it now, or check it after `waitMs`; report its outcome with
 * `settle` (and wait for it, so the next attempt, on any node, counts this one).
 */
export type Admission = { refused: true; scope: 'address' | 'account'; retryAfterSeconds: number } | { refused: false; waitMs: number; settle(succeeded: boolean): void | Promise<void> };

/**
 * `account`: the username as typed (normalised), known or not; `device`: a key of the known device
 * when the attempt comes from one for this account, else null.
 */
export type LoginAttempt = { address: string; account: string; device: string | null };

/** What the auth service asks: this process's `LoginGuard`, or the court's, shared through Redis (redis-login-guard.ts). */
export type LoginLimiter = { admit(attempt: LoginAttempt): Admission | Promise<Admission> };

type AccountState = { failures: number; lastFailureAt: number; nextFreeAt: number };

/** Maps this large are swept of stale entries on the next attempt. */
const SWEEP_ABOVE = 1000;
/** An attempt that would wait longer than this many maximum waits is refused instead. */
const MAX_QUEUED_WAITS = 3;

export class LoginGuard implements LoginLimiter {
  #options: Required<LoginGuardOptions>;
  /** Failure times per address (and per known device), oldest first, within the window. */
  #failures = new Map<string, number[]>();
  /** Attempts from an address being checked right now: they may all fail. */
  #inFlight = new Map<string, number>();
  #accounts = new Map<string, AccountState>();

  constructor(options: LoginGuardOptions) {
    this.#options = { now: () => performance.now(), ...options };
  }

  admit({ address, account, device }: LoginAttempt): Admission {
    const { addressMaxFailures, addressWindowMs, accountDelayMaxMs } = this.#options;
    const now = this.#options.now();
    this.#sweep(now);
    const known = device !== null && this.#recentFailures(`device:${device}`, now).length < addressMaxFailures;
    const addressKey = `address:${address}`;
    if (!known) {
      const failures = this.#recentFailures(addressKey, now);
      if (failures.length + (this.#inFlight.get(addressKey) ?? 0) >= addressMaxFailures) {
        const oldest = failures[0] ?? now;
        return { refused: true, scope: 'address', retryAfterSeconds: Math.max(1, Math.ceil((oldest + addressWindowMs - now) / 1000)) };
      }
    }

    let waitMs = 0;
    const state = this.#account(account, now);
    if (!known && state && state.failures > 0) {
      const start = Math.max(now, state.nextFreeAt);
      waitMs = start + this.#delay(state.failures) - now;
      if (waitMs > accountDelayMaxMs * MAX_QUEUED_WAITS) return { refused: true, scope: 'account', retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
      state.nextFreeAt = now + waitMs;
    }

    if (!known) this.#inFlight.set(addressKey, (this.#inFlight.get(addressKey) ?? 0) + 1);
    let settled = false;
    return {
      refused: false,
      waitMs,
      settle: (succeeded) => {
        if (settled) return;
        settled = true;
        if (!known) {
          const left = (this.#inFlight.get(addressKey) ?? 1) - 1;
          if (left > 0) this.#inFlight.set(addressKey, left);
          else this.#inFlight.delete(addressKey);
        }
        const at = this.#options.now();
        if (succeeded) {
          // The owner is in: the account's slowdown ends (the address keeps what it has done).
          this.#accounts.delete(account);
          return;
        }
        this.#push(known ? `device:${device}` : addressKey, at);
        const current = this.#account(account, at) ?? { failures: 0, lastFailureAt: at, nextFreeAt: at };
        current.failures += 1;
        current.lastFailureAt = at;
        this.#accounts.set(account, current);
      },
    };
  }

  /** The wait before an account's next attempt after `failures` recent failures. */
  #delay(failures: number): number {
    const { accountDelayBaseMs, accountDelayMaxMs } = this.#options;
    return Math.min(accountDelayMaxMs, accountDelayBaseMs * 2 ** Math.min(failures - 1, 30));
  }

  #account(account: string, now: number): AccountState | undefined {
    const state = this.#accounts.get(account);
    if (state && now - state.lastFailureAt > this.#options.addressWindowMs && state.nextFreeAt <= now) {
      this.#accounts.delete(account);
      return undefined;
    }
    return state;
  }

  #recentFailures(key: string, now: number): number[] {
    const times = this.#failures.get(key);
    if (!times) return [];
    while (times.length > 0 && times[0] <= now - this.#options.addressWindowMs) times.shift();
    if (times.length === 0) this.#failures.delete(key);
    return times;
  }

  #push(key: string, at: number): void {
    const times = this.#recentFailures(key, at);
    times.push(at);
    // More than the limit is never needed to decide; the newest are kept.
    if (times.length > this.#options.addressMaxFailures) times.shift();
    this.#failures.set(key, times);
  }

  #sweep(now: number): void {
    if (this.#failures.size > SWEEP_ABOVE) for (const key of [...this.#failures.keys()]) this.#recentFailures(key, now);
    if (this.#accounts.size > SWEEP_ABOVE) for (const key of [...this.#accounts.keys()]) this.#account(key, now);
  }
}

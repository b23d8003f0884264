/**
 * The login guard's rules (login-guard.ts) counted once for the whole court, in Redis, when there
 * are several nodes (REDIS_URL): failures split over the nodes reach the address limit and slow
 * the account exactly as on one node. Each decision is one Lua script, run by Redis as a whole, so
 * two nodes deciding at the same moment never read the same count and both write past it. The
 * clock is Redis's, one for every node.
 *
 * While Redis cannot be reached, each node falls back to its own in-memory guard: logins go on,
 * limited per node (a guesser gets at most one window per node more), and the log says so once.
 *
 * Keys (`ezal:login:…`), each expiring once it no longer counts:
 * - `address:<ip>`, `device:<id>`: sorted sets of failure times within the window (newest kept);
 * - `inflight:<ip>`: attempts being checked, each until its check should be long over, so a node
 *   that dies mid-check holds nobody back for long;
 * - `account:<name>`: a hash of failures, last failure time and the next free moment.
 * The keys of one decision must live on one Redis: a single instance (or a replicated pair), not a
 * Redis Cluster.
 */
import crypto from 'node:crypto';
import { openRedis, type RedisClient } from '../cluster/redis.ts';
import type { Admission, LoginAttempt, LoginGuard, LoginGuardOptions, LoginLimiter } from './login-guard.ts';

type Log = { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };

/** Longer than this and Redis is taken as unavailable for this attempt. */
const REDIS_TIMEOUT_MS = 1000;
/** How long an attempt counts as in flight beyond its wait: the password check takes well under this. */
const IN_FLIGHT_HOLD_MS = 30_000;
/** An attempt that would wait longer than this many maximum waits is refused instead (as login-guard.ts). */
const MAX_QUEUED_WAITS = 3;
const PREFIX = 'ezal:login:';

/**
 * KEYS: address failures, address in flight, account, device failures.
 * ARGV: max failures, window, delay base, delay max, max queued waits, attempt id, hold, has device.
 * Returns { 'address' | 'account', retryAfterSeconds } or { 'admitted', waitMs, known }.
 */
const ADMIT = `
local failures, inflight, account, device = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local max, window, base, maxDelay = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local maxQueued, attempt, hold = tonumber(ARGV[5]), ARGV[6], tonumber(ARGV[7])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local known = false
if ARGV[8] == '1' then
  redis.call('ZREMRANGEBYSCORE', device, '-inf', now - window)
  known = redis.call('ZCARD', device) < max
end
if known then return {'admitted', 0, 1} end
redis.call('ZREMRANGEBYSCORE', failures, '-inf', now - window)
redis.call('ZREMRANGEBYSCORE', inflight, '-inf', now)
if redis.call('ZCARD', failures) + redis.call('ZCARD', inflight) >= max then
  local oldest = redis.call('ZRANGE', failures, 0, 0, 'WITHSCORES')
  local from = now
  if oldest[2] then from = tonumber(oldest[2]) end
  return {'address', math.max(1, math.ceil((from + window - now) / 1000))}
end
local wait = 0
local state = redis.call('HMGET', account, 'failures', 'last', 'nextFree')
local count = tonumber(state[1]) or 0
if count > 0 then
  local nextFree = tonumber(state[3])
  if now - tonumber(state[2]) > window and nextFree <= now then
    redis.call('DEL', account)
  else
    local delay = math.min(maxDelay, base * 2 ^ math.min(count - 1, 30))
    wait = math.max(now, nextFree) + delay - now
    if wait > maxDelay * maxQueued then return {'account', math.max(1, math.ceil(wait / 1000))} end
    redis.call('HSET', account, 'nextFree', now + wait)
    redis.call('PEXPIRE', account, wait + window)
  end
end
redis.call('ZADD', inflight, now + wait + hold, attempt)
redis.call('PEXPIRE', inflight, wait + hold)
return {'admitted', wait, 0}
`;

/**
 * KEYS: where the failure counts (the address's, or the known device's), address in flight, account.
 * ARGV: attempt id, succeeded, max failures, window.
 */
const SETTLE = `
local failures, inflight, account = KEYS[1], KEYS[2], KEYS[3]
local attempt, max, window = ARGV[1], tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('ZREM', inflight, attempt)
if ARGV[2] == '1' then
  redis.call('DEL', account)
  return 0
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZADD', failures, now, attempt)
redis.call('ZREMRANGEBYRANK', failures, 0, -(max + 1))
redis.call('PEXPIRE', failures, window)
local state = redis.call('HMGET', account, 'failures', 'last', 'nextFree')
local count = tonumber(state[1]) or 0
local nextFree = tonumber(state[3]) or now
if count > 0 and now - tonumber(state[2]) > window and nextFree <= now then count = 0 end
if count == 0 then nextFree = now end
redis.call('HSET', account, 'failures', count + 1, 'last', now, 'nextFree', nextFree)
redis.call('PEXPIRE', account, math.max(nextFree - now, 0) + window)
return 0
`;

export class RedisLoginGuard implements LoginLimiter {
  #redis: RedisClient;
  #options: LoginGuardOptions;
  #fallback: LoginGuard;
  #log: Log;
  #alone = false;
  /** The attempts of a node just started wait for its first connection, for at most the timeout. */
  #connected: Promise<unknown>;

  /** `fallback`: this node's own guard, used while Redis cannot be reached. */
  constructor({ url, options, fallback, log }: { url: string; options: LoginGuardOptions; fallback: LoginGuard; log: Log }) {
    this.#redis = openRedis({ url, name: 'login guard', log, waitWhileDown: false });
    this.#connected = new Promise((resolve) => {
      this.#redis.once('ready', resolve);
      setTimeout(resolve, REDIS_TIMEOUT_MS).unref();
    });
    this.#options = options;
    this.#fallback = fallback;
    this.#log = log;
  }

  async admit(attempt: LoginAttempt): Promise<Admission> {
    const { addressMaxFailures, addressWindowMs, accountDelayBaseMs, accountDelayMaxMs } = this.#options;
    const id = crypto.randomUUID();
    const keys = {
      failures: `${PREFIX}address:${attempt.address}`,
      inflight: `${PREFIX}inflight:${attempt.address}`,
      account: `${PREFIX}account:${attempt.account}`,
      device: `${PREFIX}device:${attempt.device ?? ''}`,
    };
    let reply: [string, number, number?];
    try {
      reply = (await this.#eval(
        ADMIT,
        [keys.failures, keys.inflight, keys.account, keys.device],
        [addressMaxFailures, addressWindowMs, accountDelayBaseMs, accountDelayMaxMs, MAX_QUEUED_WAITS, id, IN_FLIGHT_HOLD_MS, attempt.device === null ? 0 : 1],
      )) as [string, number, number];
    } catch (error) {
      this.#unavailable(error);
      return this.#fallback.admit(attempt);
    }
    if (this.#alone) {
      this.#alone = false;
      this.#log.info({}, 'the login limit is counted in Redis again, for every node');
    }
    const [outcome, value, known] = reply;
    if (outcome === 'address' || outcome === 'account') return { refused: true, scope: outcome, retryAfterSeconds: value };
    let settled = false;
    return {
      refused: false,
      waitMs: value,
      settle: async (succeeded) => {
        if (settled) return;
        settled = true;
        const counted = known === 1 ? keys.device : keys.failures;
        try {
          await this.#eval(SETTLE, [counted, keys.inflight, keys.account], [id, succeeded ? 1 : 0, addressMaxFailures, addressWindowMs]);
        } catch (error) {
          // The attempt's hold on the address expires by itself; only this failure goes uncounted.
          this.#unavailable(error);
        }
      },
    };
  }

  close(): void {
    this.#redis.destroy();
  }

  /** A script with a deadline: a Redis that does not answer is as good as down for a login. */
  async #eval(script: string, keys: string[], args: (string | number)[]): Promise<unknown> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Redis did not answer within ${REDIS_TIMEOUT_MS} ms`)), REDIS_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.#connected, timeout]);
      return await Promise.race([this.#redis.eval(script, { keys, arguments: args.map(String) }), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  #unavailable(error: unknown): void {
    if (this.#alone) return;
    this.#alone = true;
    this.#log.warn({ err: { message: (error as Error).message } }, 'Redis is unavailable: the login limit is counted on this node alone until it is back');
  }
}

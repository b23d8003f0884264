/**
 * A token bucket per connection for signalling: `rate` requests a second on average, bursts up to
 * twice that. A connection over its budget is answered `rate_limited` and nothing else happens.
 */
export class RateLimiter {
  #rate: number;
  #capacity: number;
  #tokens: number;
  #last: number;
  #now: () => number;

  constructor(ratePerSecond: number, now: () => number = () => performance.now()) {
    this.#rate = ratePerSecond;
    this.#capacity = ratePerSecond * 2;
    this.#tokens = this.#capacity;
    this.#now = now;
    this.#last = now();
  }

  /** Takes one token; false when there is none left. */
  take(): boolean {
    const now = this.#now();
    this.#tokens = Math.min(this.#capacity, this.#tokens + ((now - this.#last) / 1000) * this.#rate);
    this.#last = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

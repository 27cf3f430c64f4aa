/** The analytics service's rate limit: `perSecond` tokens refill a bucket of `burst`; a call takes one. */
export class TokenBucket {
  readonly #perSecond: number;
  readonly #burst: number;
  readonly #now: () => number;
  #tokens: number;
  #updatedAt: number;

  constructor(perSecond: number, burst: number, now: () => number = Date.now) {
    this.#perSecond = perSecond;
    this.#burst = burst;
    this.#now = now;
    this.#tokens = burst;
    this.#updatedAt = now();
  }

  /** Takes a token; when none is left, returns the seconds until one will be (for `Retry-After`). */
  take(): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    const now = this.#now();
    this.#tokens = Math.min(
      this.#burst,
      this.#tokens + ((now - this.#updatedAt) / 1000) * this.#perSecond,
    );
    this.#updatedAt = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: Math.ceil((1 - this.#tokens) / this.#perSecond) };
  }
}

import { LRUCache } from 'lru-cache';
import type { Caller } from '../../application/caller.ts';

export interface VerifiedTokensOptions {
  /** Most tokens remembered (least recently used go first). */
  readonly maxTokens?: number;
  /** Most characters of tokens remembered in all, so long tokens cannot blow the memory bound. */
  readonly maxTokenChars?: number;
  /** Longest a verification is trusted again, whatever the token's `exp` says. */
  readonly maxAgeMs: number;
  /** The clock (ms since the epoch); tests move it. */
  readonly now?: () => number;
}

/**
 * Tokens this process has verified (signature, issuer, audience, claims), keyed by the exact token string:
 * an RS256 verification costs ~150 µs of the only thread, and a client sends the same token with every
 * request until it expires (issue 14). The same bytes verify the same way except for time, so every use
 * checks the clock again: an entry is trusted only before the token's `exp` (no clock tolerance — past
 * `exp` the token is verified in full again) and for at most `maxAgeMs`, so a key withdrawn from the JWKS
 * stops counting about when the key cache would drop it. Failures are not remembered. This is what
 * fast-jwt's verifier cache does (per-entry [min, max] validity window re-checked on each hit, LRU bound);
 * the bound here is lru-cache's.
 */
export class VerifiedTokens {
  readonly #cache: LRUCache<string, { caller: Caller; validUntilMs: number }>;
  readonly #maxAgeMs: number;
  readonly #now: () => number;

  constructor(options: VerifiedTokensOptions) {
    this.#maxAgeMs = options.maxAgeMs;
    this.#now = options.now ?? Date.now;
    this.#cache = new LRUCache({
      max: options.maxTokens ?? 10_000,
      maxSize: options.maxTokenChars ?? 8 * 1024 * 1024,
      sizeCalculation: (_value, token) => token.length,
    });
  }

  /** The caller of a token verified before and still within its validity window, else undefined. */
  get(token: string): Caller | undefined {
    const entry = this.#cache.get(token);
    if (entry === undefined) return undefined;
    if (this.#now() < entry.validUntilMs) return entry.caller;
    this.#cache.delete(token);
    return undefined;
  }

  /** Remembers a token just verified; `expSeconds` is its `exp` claim. */
  remember(token: string, caller: Caller, expSeconds: number): void {
    const validUntilMs = Math.min(expSeconds * 1000, this.#now() + this.#maxAgeMs);
    if (validUntilMs > this.#now()) this.#cache.set(token, { caller, validUntilMs });
  }
}

import {
  BrokenCircuitError,
  BulkheadRejectedError,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  bulkhead,
  circuitBreaker,
  handleWhen,
  retry,
  wrap,
  type CircuitBreakerPolicy,
  type IBackoff,
  type IBackoffFactory,
  type IPolicy,
  type IRetryBackoffContext,
} from 'cockatiel';
import type { Logger } from 'pino';
import { Pool } from 'undici';
import { DependencyUnavailableError } from '../../domain/errors.ts';
import type { PeerMetrics, PeerOutcome } from './peer-metrics.ts';
import { parseRetryAfter } from './retry-after.ts';

/**
 * One resilient HTTP client per peer service: a timeout per attempt, retries with exponential backoff and
 * jitter where a retry is safe, a circuit breaker, a bulkhead bounding concurrent calls, `Retry-After`
 * honoured on 429/503, and metrics per attempt. Adapters see either an answer (2xx or a 4xx refusal) or a
 * DependencyUnavailableError — never a socket error.
 */
export interface PeerClientOptions {
  /** Metric label and error wording: `product`, `payment`, `notification`, `analytics`. */
  readonly peer: string;
  readonly baseUrl: string;
  /** Deadline of one attempt, from sending the request to the end of the response body. */
  readonly timeoutMs: number;
  readonly metrics: PeerMetrics;
  readonly logger: Logger;
  /** Sent on every request, e.g. an Authorization header. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Calls in flight at once; further calls wait in a queue of `maxQueued`, then fail fast. */
  readonly maxConcurrent?: number;
  readonly maxQueued?: number;
  readonly retry?: Partial<RetryOptions>;
  readonly breaker?: Partial<BreakerOptions>;
}

export interface RetryOptions {
  /** Retries after the first attempt (so at most maxRetries + 1 attempts). */
  readonly maxRetries: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** A longer `Retry-After` is not waited for here: the caller gets it as retryAfterSeconds instead. */
  readonly maxRetryAfterMs: number;
}

export interface BreakerOptions {
  /** Consecutive failed attempts (timeouts, network errors, 5xx) that open the breaker. */
  readonly consecutiveFailures: number;
  /** How long the breaker stays open before it lets one trial call through (half-open). */
  readonly halfOpenAfterMs: number;
}

const defaultRetryOptions: RetryOptions = {
  maxRetries: 2,
  initialDelayMs: 100,
  maxDelayMs: 1_000,
  maxRetryAfterMs: 2_000,
};
const defaultBreakerOptions: BreakerOptions = {
  consecutiveFailures: 5,
  halfOpenAfterMs: 10_000,
};

export interface PeerCall {
  /** Metric label, e.g. `reserve`. */
  readonly operation: string;
  readonly method: 'GET' | 'POST';
  /** Path below the base URL, starting with `/`. */
  readonly path: string;
  readonly body?: unknown;
  /** Sent as `Idempotency-Key`, so the peer can recognise a repeat of the same call. */
  readonly idempotencyKey?: string;
  /**
   * True when the peer guarantees that repeating the call has no further effect (a GET, or a call the
   * peer deduplicates by its key or by the order id). An idempotent call is retried after any transient
   * failure; any other call only when the peer certainly did not process it (connection refused, 429).
   */
  readonly idempotent: boolean;
}

export interface PeerAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Parsed JSON, the text of a non-JSON body, or undefined when empty. */
  readonly body: unknown;
}

type FailureKind = Extract<
  PeerOutcome,
  'rate_limited' | 'server_error' | 'timeout' | 'network_error'
>;

/** One failed attempt, with what the policies need to decide about the next one. */
class PeerAttemptFailure extends Error {
  readonly kind: FailureKind;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(
    kind: FailureKind,
    message: string,
    retryable: boolean,
    retryAfterMs?: number,
    cause?: unknown,
  ) {
    super(message, { cause });
    this.name = 'PeerAttemptFailure';
    this.kind = kind;
    this.retryable = retryable;
    this.retryAfterMs = retryAfterMs;
  }
}

/** Errors undici raises before a single byte of the request reached the peer. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
]);

export class PeerClient {
  readonly peer: string;
  readonly #pool: Pool;
  readonly #basePath: string;
  readonly #options: PeerClientOptions;
  readonly #retry: RetryOptions;
  readonly #breakerOptions: BreakerOptions;
  readonly #breaker: CircuitBreakerPolicy;
  readonly #policy: IPolicy;

  constructor(options: PeerClientOptions) {
    this.peer = options.peer;
    this.#options = options;
    this.#retry = { ...defaultRetryOptions, ...options.retry };
    this.#breakerOptions = { ...defaultBreakerOptions, ...options.breaker };
    const base = new URL(options.baseUrl);
    this.#basePath = base.pathname.replace(/\/$/, '');
    const maxConcurrent = options.maxConcurrent ?? 16;
    this.#pool = new Pool(base.origin, { connections: maxConcurrent });

    this.#breaker = circuitBreaker(
      // A 429 says "slow down", not "I am broken": it does not count towards opening the breaker.
      handleWhen((error) => error instanceof PeerAttemptFailure && error.kind !== 'rate_limited'),
      {
        halfOpenAfter: this.#breakerOptions.halfOpenAfterMs,
        breaker: new ConsecutiveBreaker(this.#breakerOptions.consecutiveFailures),
      },
    );
    const { circuitOpen } = options.metrics;
    circuitOpen.set({ peer: this.peer }, 0);
    this.#breaker.onStateChange((state) => {
      const open = state === CircuitState.Open || state === CircuitState.Isolated;
      circuitOpen.set({ peer: this.peer }, open ? 1 : 0);
      options.logger.warn({ peer: this.peer, state: CircuitState[state] }, 'peer circuit breaker');
    });

    const retryPolicy = retry(
      handleWhen((error) => error instanceof PeerAttemptFailure && error.retryable),
      {
        // cockatiel's maxAttempts counts the retries after the first attempt.
        maxAttempts: this.#retry.maxRetries,
        backoff: honouringRetryAfter(
          new ExponentialBackoff({
            initialDelay: this.#retry.initialDelayMs,
            maxDelay: this.#retry.maxDelayMs,
          }),
        ),
      },
    );
    retryPolicy.onRetry((event) => {
      const reason = 'error' in event ? String(event.error) : 'unexpected result';
      options.logger.warn(
        { peer: this.peer, attempt: event.attempt, delayMs: Math.round(event.delay), reason },
        'retrying peer call',
      );
    });

    // Outermost first: the bulkhead bounds whole calls (retries included), the breaker sees every attempt.
    this.#policy = wrap(
      bulkhead(maxConcurrent, options.maxQueued ?? 64),
      retryPolicy,
      this.#breaker,
    );
  }

  /**
   * Sends the call and returns the peer's answer (2xx, or a 4xx other than 408/429). Everything else —
   * timeouts, network errors, 5xx, 429 after the allowed retries, open breaker, full bulkhead — ends as
   * DependencyUnavailableError, with retryAfterSeconds from `Retry-After` when the peer sent one.
   */
  async request(call: PeerCall): Promise<PeerAnswer> {
    try {
      return await this.#policy.execute(() => this.#attempt(call));
    } catch (error) {
      throw this.#unavailable(call, error);
    }
  }

  async close(): Promise<void> {
    await this.#pool.close();
  }

  async #attempt(call: PeerCall): Promise<PeerAnswer> {
    const { idempotent } = call;
    const started = performance.now();
    const signal = AbortSignal.timeout(this.#options.timeoutMs);
    let outcome: PeerOutcome = 'network_error';
    try {
      const response = await this.#pool.request({
        method: call.method,
        path: this.#basePath + call.path,
        headers: this.#headers(call),
        body: call.body === undefined ? null : JSON.stringify(call.body),
        signal,
      });
      const text = await response.body.text();
      const answer: PeerAnswer = {
        status: response.statusCode,
        headers: response.headers,
        body: parseBody(text, response.headers['content-type']),
      };
      const retryAfterMs = parseRetryAfter(response.headers['retry-after']);
      const honourable = retryAfterMs === undefined || retryAfterMs <= this.#retry.maxRetryAfterMs;
      if (answer.status === 429) {
        outcome = 'rate_limited';
        // A refused request was not processed, so trying again is safe even without a key.
        throw new PeerAttemptFailure(
          'rate_limited',
          'rate limited (429)',
          honourable,
          retryAfterMs,
        );
      }
      if (answer.status >= 500 || answer.status === 408) {
        outcome = 'server_error';
        throw new PeerAttemptFailure(
          'server_error',
          `answered ${answer.status}`,
          idempotent && honourable,
          retryAfterMs,
        );
      }
      outcome = answer.status < 400 ? 'success' : 'rejected';
      return answer;
    } catch (error) {
      if (error instanceof PeerAttemptFailure) throw error;
      if (signal.aborted) {
        outcome = 'timeout';
        throw new PeerAttemptFailure(
          'timeout',
          `no answer within ${this.#options.timeoutMs} ms`,
          idempotent,
          undefined,
          error,
        );
      }
      const code = (error as { code?: unknown }).code;
      const notSent = typeof code === 'string' && NOT_SENT_CODES.has(code);
      throw new PeerAttemptFailure(
        'network_error',
        `network error ${typeof code === 'string' ? code : String(error)}`,
        idempotent || notSent,
        undefined,
        error,
      );
    } finally {
      this.#record(call.operation, outcome, (performance.now() - started) / 1000);
    }
  }

  #headers(call: PeerCall): Record<string, string> {
    return {
      accept: 'application/json',
      'user-agent': 'mallhive-order-service',
      ...this.#options.headers,
      ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(call.idempotencyKey === undefined ? {} : { 'idempotency-key': call.idempotencyKey }),
    };
  }

  #record(operation: string, outcome: PeerOutcome, seconds: number): void {
    const labels = { peer: this.peer, operation, outcome };
    this.#options.metrics.duration.observe(labels, seconds);
    this.#options.metrics.requests.inc(labels);
  }

  #unavailable(call: PeerCall, error: unknown): unknown {
    if (error instanceof BrokenCircuitError) {
      this.#record(call.operation, 'circuit_open', 0);
      const seconds = Math.ceil(this.#breakerOptions.halfOpenAfterMs / 1000);
      return new DependencyUnavailableError(this.peer, seconds, error);
    }
    if (error instanceof BulkheadRejectedError) {
      this.#record(call.operation, 'bulkhead_full', 0);
      return new DependencyUnavailableError(this.peer, 1, error);
    }
    if (error instanceof PeerAttemptFailure) {
      const seconds =
        error.retryAfterMs === undefined
          ? undefined
          : Math.max(1, Math.ceil(error.retryAfterMs / 1000));
      this.#options.logger.warn(
        { peer: this.peer, operation: call.operation, reason: error.message },
        'peer unavailable',
      );
      return new DependencyUnavailableError(this.peer, seconds, error);
    }
    return error;
  }
}

function parseBody(text: string, contentType: string | string[] | undefined): unknown {
  if (text === '') return undefined;
  const type = Array.isArray(contentType) ? contentType[0] : contentType;
  if (type?.includes('json')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/** Exponential backoff with jitter, stretched to the peer's `Retry-After` when it asked for longer. */
function honouringRetryAfter(
  inner: IBackoffFactory<unknown>,
): IBackoffFactory<IRetryBackoffContext<unknown>> {
  return {
    next(context): IBackoff<IRetryBackoffContext<unknown>> {
      const step = inner.next(context);
      const error = 'error' in context.result ? context.result.error : undefined;
      const asked = error instanceof PeerAttemptFailure ? (error.retryAfterMs ?? 0) : 0;
      return { duration: Math.max(step.duration, asked), next: honouringRetryAfter(step).next };
    },
  };
}

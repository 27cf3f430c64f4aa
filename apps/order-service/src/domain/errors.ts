/**
 * Every refusal the service can give, named by a stable machine-readable code. The HTTP layer maps codes
 * to statuses (http/problem.ts); everything below it only speaks codes.
 */
export type ErrorCode =
  | 'validation_failed'
  | 'idempotency_key_missing'
  | 'idempotency_key_reused'
  | 'idempotency_request_in_progress'
  | 'order_not_found'
  | 'invalid_transition'
  | 'version_conflict'
  | 'insufficient_stock'
  | 'unknown_product'
  | 'dependency_unavailable'
  | 'payment_mismatch'
  | 'invalid_signature'
  | 'invalid_cursor';

export class OrderError extends Error {
  readonly code: ErrorCode;
  /** Extra members of the problem document, e.g. the items that are out of stock. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'OrderError';
    this.code = code;
    this.details = details;
  }
}

/** A peer (product, payment, …) could not answer; the caller may retry after `retryAfterSeconds`. */
export class DependencyUnavailableError extends OrderError {
  readonly retryAfterSeconds: number;

  constructor(dependency: string, retryAfterSeconds = 5, cause?: unknown) {
    super('dependency_unavailable', `The ${dependency} service is unavailable; retry later.`, {
      dependency,
    });
    this.retryAfterSeconds = retryAfterSeconds;
    if (cause !== undefined) this.cause = cause;
  }
}

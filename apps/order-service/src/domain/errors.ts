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
  | 'dependency_contract_violation'
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

/**
 * A peer answered outside its contract (docs/contracts/): a body that breaks the schema, or a reservation
 * that leaves out a requested product. Whoever notices it — the adapter that reads the answer or the use
 * case that relies on it — throws this one error, so the caller always sees the same code. The message is
 * for the caller; `problem` (logged, never sent) says what exactly was wrong.
 */
export class PeerContractError extends OrderError {
  readonly operation: string;
  readonly problem: string;

  constructor(dependency: string, operation: string, problem: string) {
    super(
      'dependency_contract_violation',
      `The ${dependency} service answered outside its contract.`,
      { dependency },
    );
    this.name = 'PeerContractError';
    this.operation = operation;
    this.problem = problem;
  }
}

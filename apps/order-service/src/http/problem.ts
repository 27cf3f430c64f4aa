import type { ErrorCode } from '../domain/errors.ts';
import { inputLimits } from './input-limits.ts';

/** Codes the HTTP layer itself gives, beside the domain's. */
export type HttpErrorCode =
  | 'unauthenticated'
  | 'forbidden'
  | 'rate_limited'
  | 'route_not_found'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'malformed_request'
  | 'request_timeout'
  | 'headers_too_large'
  | 'not_ready'
  | 'internal_error';

/** Every code a problem document may carry. */
export type ProblemCode = ErrorCode | HttpErrorCode;

export const statusOf: Readonly<Record<ProblemCode, number>> = {
  validation_failed: 400,
  idempotency_key_missing: 400,
  invalid_cursor: 400,
  malformed_request: 400,
  invalid_signature: 401,
  unauthenticated: 401,
  forbidden: 403,
  order_not_found: 404,
  route_not_found: 404,
  request_timeout: 408,
  invalid_transition: 409,
  insufficient_stock: 409,
  idempotency_request_in_progress: 409,
  version_conflict: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  headers_too_large: 431,
  idempotency_key_reused: 422,
  unknown_product: 422,
  payment_mismatch: 422,
  rate_limited: 429,
  internal_error: 500,
  dependency_contract_violation: 502,
  dependency_unavailable: 503,
  not_ready: 503,
};

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: string;
  readonly detail?: string;
  readonly instance?: string;
  readonly [member: string]: unknown;
}

/** An RFC 9457 problem document; every code is explained in docs/api.md. */
export function problem(
  code: ProblemCode,
  detail: string,
  extra: Record<string, unknown> = {},
): Problem {
  return {
    type: `urn:mallhive:order-service:problem:${code}`,
    title: code.replaceAll('_', ' '),
    status: statusOf[code],
    code,
    detail,
    ...extra,
  };
}

/**
 * Keeps an error answer small whatever the input: at most `inputLimits.reportedErrors` entries of `errors`,
 * and `moreErrors` saying how many were left out.
 */
export function withBoundedErrors(body: Problem): Problem {
  const errors = body.errors;
  if (!Array.isArray(errors) || errors.length <= inputLimits.reportedErrors) return body;
  return {
    ...body,
    errors: errors.slice(0, inputLimits.reportedErrors),
    moreErrors: errors.length - inputLimits.reportedErrors,
  };
}

import type { HttpErrorCode } from './problem.ts';

/** A refusal decided by the HTTP layer itself (authentication, rate limits), with its response headers. */
export class HttpProblemError extends Error {
  readonly code: HttpErrorCode;
  readonly headers: Readonly<Record<string, string>>;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: HttpErrorCode,
    message: string,
    options: { headers?: Record<string, string>; details?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = 'HttpProblemError';
    this.code = code;
    this.headers = options.headers ?? {};
    this.details = options.details ?? {};
  }
}

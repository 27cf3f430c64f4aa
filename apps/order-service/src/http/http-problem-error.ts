import type { HttpErrorCode } from './problem.ts';

/**
 * A refusal the HTTP layer decides itself, before or around any route's own rules: encoding, media type and
 * structure of the body, authentication, rate limits — with the response headers it needs.
 */
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

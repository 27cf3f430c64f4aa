import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { DependencyUnavailableError, OrderError } from '../../domain/errors.ts';
import { isDatabaseUnavailable } from '../database-outage.ts';
import { inputLimits } from '../input-limits.ts';
import { HttpProblemError } from '../http-problem-error.ts';
import type { Problem } from '../problem.ts';
import { problem, withBoundedErrors } from '../problem.ts';

/** How long a client should wait before retrying while the database is unreachable. */
const DATABASE_RETRY_AFTER_SECONDS = 5;

/**
 * Every error becomes an `application/problem+json` document with a stable `code`. Client mistakes are
 * 4xx with the reason (at most `inputLimits.reportedErrors` of them); a database outage is a 503 with
 * Retry-After; anything unexpected is a 500 that reveals nothing but the request id. Driver messages,
 * host names and stacks go to the log only.
 */
export const problemDetails = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const databaseDown = isDatabaseUnavailable(error);
    const body = withBoundedErrors(
      databaseDown
        ? toProblem(new DependencyUnavailableError('database', DATABASE_RETRY_AFTER_SECONDS), reply)
        : toProblem(error, reply),
    );
    if (databaseDown) request.log.warn({ err: error }, 'request failed: database unavailable');
    else if (body.status >= 500 && !(error instanceof DependencyUnavailableError)) {
      request.log.error({ err: error }, 'request failed');
    }
    return sendProblem(reply, { ...body, instance: request.url, requestId: request.id });
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, {
      ...problem('route_not_found', `No route ${request.method} ${request.url}.`),
      instance: request.url,
    }),
  );
});

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  return reply.code(body.status).type('application/problem+json').send(body);
}

function toProblem(error: Partial<FastifyError> & Error, reply: FastifyReply): Problem {
  if (error.validation) {
    const where = error.validationContext ?? 'body';
    return problem('validation_failed', 'The request is not valid.', {
      errors: error.validation.map((issue) => ({
        in: where,
        path: issue.instancePath || '/',
        message: issue.message ?? 'is invalid',
        ...(issue.keyword === 'additionalProperties'
          ? { property: (issue.params as { additionalProperty?: string }).additionalProperty }
          : {}),
      })),
    });
  }
  if (error instanceof DependencyUnavailableError) {
    reply.header('retry-after', String(error.retryAfterSeconds));
    return problem(error.code, error.message, error.details);
  }
  if (error instanceof OrderError) return problem(error.code, error.message, error.details);
  if (error instanceof HttpProblemError) {
    reply.headers(error.headers);
    return problem(error.code, error.message, error.details);
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem(
        'payload_too_large',
        `The request body is larger than ${inputLimits.bodyBytes / 1024 / 1024} MiB.`,
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem('unsupported_media_type', 'Send the body as application/json.');
    default:
      if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
        return problem('malformed_request', error.message);
      }
      return problem(
        'internal_error',
        'Something went wrong on our side; quote the requestId when reporting it.',
      );
  }
}

import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { DependencyUnavailableError, OrderError } from '../../domain/errors.ts';
import type { Problem } from '../problem.ts';
import { problem } from '../problem.ts';

/**
 * Every error becomes an `application/problem+json` document with a stable `code`. Client mistakes are
 * 4xx with the reason; anything unexpected is a 500 that reveals nothing but the request id.
 */
export const problemDetails = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const body = toProblem(error, reply);
    if (body.status >= 500 && !(error instanceof DependencyUnavailableError)) {
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

function toProblem(error: FastifyError, reply: FastifyReply): Problem {
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
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem('payload_too_large', 'The request body is larger than 1 MiB.');
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

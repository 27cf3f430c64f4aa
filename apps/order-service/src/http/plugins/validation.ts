import { Ajv } from 'ajv';
import type { Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { OrderError } from '../../domain/errors.ts';
import { unacceptableText } from '../input-text.ts';

/**
 * Two validators: bodies are taken exactly as sent (no type coercion, unknown fields refused rather than
 * silently stripped), while path, query and headers are text and need coercing to numbers.
 * Fastify's default does the opposite of the first on both counts.
 */
export const validation = fp(async (app: FastifyInstance) => {
  const base: Options = {
    // Every problem at once: affordable because bodies are bounded first (json-body.ts), and the answer
    // lists at most `inputLimits.reportedErrors` of them.
    allErrors: true,
    useDefaults: true,
    removeAdditional: false,
    strict: false,
  };
  const strict = addFormats.default(new Ajv({ ...base, coerceTypes: false }));
  const coercing = addFormats.default(new Ajv({ ...base, coerceTypes: 'array' }));
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? strict : coercing).compile(schema),
  );

  // JSON Schema cannot say it well: no control characters in any text, and nothing PostgreSQL cannot store.
  app.addHook('preValidation', async (request) => {
    const errors = [
      ...unacceptableText(request.params, 'params'),
      ...unacceptableText(request.query, 'querystring'),
      ...unacceptableText(request.body, 'body'),
    ];
    if (errors.length > 0) {
      throw new OrderError('validation_failed', 'The request is not valid.', { errors });
    }
  });
});

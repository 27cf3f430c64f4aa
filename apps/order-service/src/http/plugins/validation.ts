import { Ajv } from 'ajv';
import type { Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { OrderError } from '../../domain/errors.ts';

/**
 * Two validators: bodies are taken exactly as sent (no type coercion, unknown fields refused rather than
 * silently stripped), while path, query and headers are text and need coercing to numbers.
 * Fastify's default does the opposite of the first on both counts.
 */
export const validation = fp(async (app: FastifyInstance) => {
  const base: Options = {
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

  // JSON Schema cannot say it, but PostgreSQL cannot store a NUL or half a surrogate pair in text.
  app.addHook('preValidation', async (request) => {
    const errors = [
      ...unstorableText(request.params, 'params'),
      ...unstorableText(request.query, 'querystring'),
      ...unstorableText(request.body, 'body'),
    ];
    if (errors.length > 0) {
      throw new OrderError('validation_failed', 'The request is not valid.', { errors });
    }
  });
});

function unstorableText(
  value: unknown,
  where: string,
  path = '',
): { in: string; path: string; message: string }[] {
  if (typeof value === 'string') {
    return value.includes('\0') || !value.isWellFormed()
      ? [{ in: where, path: path || '/', message: 'must not contain NUL or unpaired surrogates' }]
      : [];
  }
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) => [
    ...unstorableText(key, where, path || '/'),
    ...unstorableText(item, where, `${path}/${key}`),
  ]);
}

import { Ajv } from 'ajv';
import type { Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

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
});

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  isValidSignature,
  PaymentOutcomeSchema,
  routePaths,
  SIGNATURE_HEADER,
} from '@mallhive/order-contracts';
import type { FastifyRequest } from 'fastify';
import type { OrderContext } from '../../application/context.ts';
import { applyPaymentOutcome } from '../../application/payment-results.ts';
import { OrderError } from '../../domain/errors.ts';
import { strictJsonParser } from '../json-body.ts';
import { HttpProblemError } from '../http-problem-error.ts';
import {
  jsonResponse,
  PaymentCallbackAnswerSchema,
  problemResponses,
  SignatureHeaderSchema,
} from '../schemas.ts';

/**
 * The payment service reports outcomes here. The signature is checked over the raw bytes before they are
 * decoded or parsed, whatever the declared content type, so an unsigned request learns nothing, costs no
 * parsing and changes nothing (401). Only then is the body held to the same rules as every other.
 */
export const paymentCallbackRoutes: FastifyPluginAsyncTypebox<{
  context: OrderContext;
  /** Keys accepted now: the current one, plus the previous during a rotation's grace period. */
  callbackSecrets: () => readonly string[];
}> = async (app, { context, callbackSecrets }) => {
  const parseJson = strictJsonParser(app);
  const assertSigned = (request: FastifyRequest, rawBody: Buffer) => {
    const header = request.headers[SIGNATURE_HEADER];
    const signed = isValidSignature(
      typeof header === 'string' ? header : undefined,
      rawBody,
      callbackSecrets(),
      Math.floor(context.clock().getTime() / 1000),
    );
    if (!signed)
      throw new OrderError(
        'invalid_signature',
        'The Mallhive-Signature header is missing, wrong or too old.',
      );
  };

  // Encapsulated to this plugin: every body, of any declared type, arrives here as bytes.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'buffer' },
    async (request: FastifyRequest, rawBody: Buffer) => {
      assertSigned(request, rawBody);
      if (mediaTypeOf(request) !== 'application/json') {
        throw new HttpProblemError('unsupported_media_type', 'Send the body as application/json.');
      }
      return parseJson(request, rawBody);
    },
  );
  // A request without a body never reaches a parser: its signature (over no bytes) is checked at once.
  app.addHook('onRequest', async (request) => {
    if (!hasBody(request)) assertSigned(request, Buffer.alloc(0));
  });

  app.post(
    routePaths.paymentCallback,
    {
      schema: {
        tags: ['payments'],
        operationId: 'receivePaymentOutcome',
        // No bearer token: the payment service proves itself by signing the body (described below).
        security: [],
        summary: 'Payment outcome from the payment service (signed)',
        description:
          'Called by the payment service only. `Mallhive-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 ' +
          'of "<t>.<raw body>">` with the shared key; the signature is checked over the raw bytes before ' +
          'anything else, and timestamps more than five minutes off are refused. Delivering the same ' +
          'outcome again is harmless (`already_applied`).',
        headers: SignatureHeaderSchema,
        body: PaymentOutcomeSchema,
        response: {
          200: jsonResponse(PaymentCallbackAnswerSchema, 'The outcome is recorded'),
          ...problemResponses(
            'validation_failed',
            'malformed_request',
            'payload_too_large',
            'unsupported_media_type',
            'invalid_signature',
            'order_not_found',
            'invalid_transition',
            'version_conflict',
            'payment_mismatch',
          ),
        },
      },
    },
    async (request) => {
      const result = await applyPaymentOutcome(context, request.body);
      return { status: result.outcome === 'changed' ? 'applied' : 'already_applied' };
    },
  );
};

const mediaTypeOf = (request: FastifyRequest) =>
  request.headers['content-type']?.split(';', 1)[0]?.trim().toLowerCase();

/** Fastify's own test for "nothing to parse". */
const hasBody = (request: FastifyRequest) =>
  request.headers['transfer-encoding'] !== undefined ||
  (request.headers['content-length'] !== undefined && request.headers['content-length'] !== '0');

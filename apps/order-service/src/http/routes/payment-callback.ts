import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  isValidSignature,
  PaymentOutcomeSchema,
  routePaths,
  SIGNATURE_HEADER,
} from '@mallhive/order-contracts';
import type { OrderContext } from '../../application/context.ts';
import { applyPaymentOutcome } from '../../application/payment-results.ts';
import { OrderError } from '../../domain/errors.ts';
import { problemResponses } from '../schemas.ts';

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: string;
  }
}

/**
 * The payment service reports outcomes here. The signature is checked over the raw bytes before anything
 * else, so an unsigned request learns nothing and changes nothing.
 */
export const paymentCallbackRoutes: FastifyPluginAsyncTypebox<{
  context: OrderContext;
  /** Keys accepted now: the current one, plus the previous during a rotation's grace period. */
  callbackSecrets: () => readonly string[];
}> = async (app, { context, callbackSecrets }) => {
  // Keep the raw body (encapsulated to this plugin) — re-serialised JSON would not match the signature.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    request.rawBody = body as string;
    void parseJson(request, body as string, done);
  });

  app.addHook('preValidation', async (request) => {
    const header = request.headers[SIGNATURE_HEADER];
    const signed = isValidSignature(
      typeof header === 'string' ? header : undefined,
      request.rawBody ?? '',
      callbackSecrets(),
      Math.floor(context.clock().getTime() / 1000),
    );
    if (!signed)
      throw new OrderError(
        'invalid_signature',
        'The Mallhive-Signature header is missing, wrong or too old.',
      );
  });

  app.post(
    routePaths.paymentCallback,
    {
      schema: {
        tags: ['payments'],
        summary: 'Payment outcome from the payment service (signed)',
        headers: { type: 'object', properties: { [SIGNATURE_HEADER]: { type: 'string' } } },
        body: PaymentOutcomeSchema,
        response: {
          200: { type: 'object', properties: { status: { type: 'string' } } },
          ...problemResponses(400, 401, 404, 409, 422),
        },
      },
    },
    async (request) => {
      const result = await applyPaymentOutcome(context, request.body);
      return { status: result.outcome === 'changed' ? 'applied' : 'already_applied' };
    },
  );
};

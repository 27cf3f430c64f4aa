import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { simulatedPaymentDecision } from '@mallhive/order-contracts';
import { Type } from 'typebox';
import { injectFaults } from '../faults/fault-hook.ts';
import type { FaultPlan } from '../faults/fault-plan.ts';
import { Currency, IdempotencyKeyHeader } from '../schemas.ts';
import { deliverCallback, paymentOutcome } from './callback-sender.ts';
import type { Payment, PaymentBook } from './payment-book.ts';

export interface PaymentRoutesOptions {
  readonly book: PaymentBook;
  readonly faults: FaultPlan;
  readonly callbackSecret: string;
  readonly callbackDelayMs: number;
  /** Aborted when the app closes, so no callback outlives it. */
  readonly shutdown: AbortSignal;
}

/** The payment service's API (docs/contracts/payments.openapi.yaml). Amounts in minor units. */
export const paymentRoutes: FastifyPluginAsyncTypebox<PaymentRoutesOptions> = async (
  app,
  options,
) => {
  const { book, faults } = options;
  injectFaults(app, 'payment', faults);

  app.post(
    '/api/v1/payments',
    {
      schema: {
        headers: IdempotencyKeyHeader,
        body: Type.Object(
          {
            orderId: Type.String({ minLength: 1, maxLength: 64 }),
            userId: Type.String({ minLength: 1, maxLength: 64 }),
            amount: Type.Integer({ minimum: 1 }),
            currency: Currency,
            callbackUrl: Type.String({ pattern: '^https?://' }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      if (key === undefined) return reply.code(400).send(missingKey());
      const result = book.initiate(key, request.body);
      if (result.kind === 'key_reused') return reply.code(422).send(keyReused());
      if (result.kind === 'created') decideLater(result.payment);
      return reply.code(202).send({
        paymentId: result.payment.paymentId,
        status: result.payment.status,
      });
    },
  );

  const params = Type.Object({ paymentId: Type.String({ minLength: 1, maxLength: 100 }) });

  app.get('/api/v1/payments/:paymentId', { schema: { params } }, async (request, reply) => {
    const payment = book.get(request.params.paymentId);
    if (!payment) return reply.code(404).send(paymentNotFound());
    return view(payment);
  });

  app.post(
    '/api/v1/payments/:paymentId/refunds',
    {
      schema: {
        params,
        headers: IdempotencyKeyHeader,
        body: Type.Object(
          {
            orderId: Type.String({ minLength: 1, maxLength: 64 }),
            amount: Type.Integer({ minimum: 1 }),
            currency: Currency,
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      if (key === undefined) return reply.code(400).send(missingKey());
      const result = book.refund(key, request.params.paymentId, request.body);
      switch (result.kind) {
        case 'ok':
        case 'replayed':
          return reply.code(202).send(result.refund);
        case 'not_found':
          return reply.code(404).send(paymentNotFound());
        case 'key_reused':
          return reply.code(422).send(keyReused());
        case 'mismatch':
          return reply.code(422).send({
            code: 'refund_mismatch',
            message: 'The order id or currency differs from the payment.',
          });
        case 'exceeds':
          return reply.code(422).send({
            code: 'refund_exceeds_payment',
            message: 'The refund exceeds what is left of the payment.',
          });
        case 'not_refundable':
          return reply.code(409).send({
            code: 'payment_not_refundable',
            message: 'Only a succeeded payment can be refunded.',
          });
      }
    },
  );

  function decideLater(payment: Payment): void {
    const outcome = simulatedPaymentDecision(payment.userId);
    if (outcome.status === 'never') return;
    const run = async () => {
      await sleep(options.callbackDelayMs, undefined, { signal: options.shutdown });
      payment.status = outcome.status;
      if (outcome.status === 'failed') payment.failureReason = outcome.failureReason;
      await deliverCallback(payment, options.callbackSecret, app.log, options.shutdown);
    };
    run().catch((error: unknown) => {
      if (!options.shutdown.aborted) app.log.error({ err: error }, 'payment decision failed');
    });
  }
};

function view(payment: Payment) {
  return { ...paymentOutcome(payment), refunds: payment.refunds };
}

function missingKey() {
  return { code: 'idempotency_key_missing', message: 'The Idempotency-Key header is required.' };
}

function keyReused() {
  return {
    code: 'idempotency_key_reused',
    message: 'This Idempotency-Key was used with a different request.',
  };
}

function paymentNotFound() {
  return { code: 'payment_not_found', message: 'No payment has this id.' };
}

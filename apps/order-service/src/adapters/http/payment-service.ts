import { z } from 'zod';
import type { PaymentRequest, PaymentVerification, PaymentsPort } from '../../application/ports.ts';
import type { Money } from '../../domain/money.ts';
import { readBody } from './peer-answer.ts';
import type { PeerClient } from './peer-client.ts';
import { PeerRejectionError } from './peer-errors.ts';

/** Payments at the payment service, per docs/contracts/payments.openapi.yaml. Amounts in minor units. */
const acceptedSchema = z.object({ paymentId: z.string().min(1), status: z.string() });
const paymentSchema = z.object({
  paymentId: z.string(),
  orderId: z.string(),
  status: z.enum(['pending', 'succeeded', 'failed']),
  amount: z.number().int().nonnegative(),
  currency: z.string().length(3),
  failureReason: z.string().optional(),
});
const refundSchema = z.object({ refundId: z.string().min(1) });

export class PaymentService implements PaymentsPort {
  readonly #client: PeerClient;

  constructor(client: PeerClient) {
    this.#client = client;
  }

  async initiate(request: PaymentRequest): Promise<{ paymentId: string }> {
    const answer = await this.#client.request({
      operation: 'initiate',
      method: 'POST',
      path: '/api/v1/payments',
      body: {
        orderId: request.orderId,
        userId: request.userId,
        amount: request.amount.amount,
        currency: request.amount.currency,
        callbackUrl: request.callbackUrl,
      },
      idempotencyKey: request.idempotencyKey,
      idempotent: true,
    });
    if (answer.status !== 200 && answer.status !== 201 && answer.status !== 202) {
      throw new PeerRejectionError('payment', 'initiate', answer.status, answer.body);
    }
    const { paymentId } = readBody(acceptedSchema, answer, 'payment', 'initiate');
    return { paymentId };
  }

  async verify(paymentId: string): Promise<PaymentVerification | undefined> {
    const answer = await this.#client.request({
      operation: 'verify',
      method: 'GET',
      path: `/api/v1/payments/${encodeURIComponent(paymentId)}`,
      idempotent: true,
    });
    if (answer.status !== 200) {
      const refusal = new PeerRejectionError('payment', 'verify', answer.status, answer.body);
      // Only the documented code means "no such payment": a bare 404 (a wrong base URL, a proxy) must not
      // make the sweeper fail orders whose payment may well exist.
      if (refusal.status === 404 && refusal.code === 'payment_not_found') return undefined;
      throw refusal;
    }
    const payment = readBody(paymentSchema, answer, 'payment', 'verify');
    const amount: Money = { amount: payment.amount, currency: payment.currency };
    return {
      paymentId: payment.paymentId,
      orderId: payment.orderId,
      status: payment.status,
      amount,
      ...(payment.failureReason === undefined ? {} : { failureReason: payment.failureReason }),
    };
  }

  async refund(request: {
    paymentId: string;
    orderId: string;
    amount: Money;
    idempotencyKey: string;
  }): Promise<{ refundId: string }> {
    const answer = await this.#client.request({
      operation: 'refund',
      method: 'POST',
      path: `/api/v1/payments/${encodeURIComponent(request.paymentId)}/refunds`,
      body: {
        orderId: request.orderId,
        amount: request.amount.amount,
        currency: request.amount.currency,
      },
      idempotencyKey: request.idempotencyKey,
      idempotent: true,
    });
    if (answer.status !== 200 && answer.status !== 201 && answer.status !== 202) {
      throw new PeerRejectionError('payment', 'refund', answer.status, answer.body);
    }
    const { refundId } = readBody(refundSchema, answer, 'payment', 'refund');
    return { refundId };
  }
}

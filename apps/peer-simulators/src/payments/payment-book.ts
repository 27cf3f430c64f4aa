import { randomUUID } from 'node:crypto';

/** Payments and refunds of the simulated payment service (docs/contracts/payments.openapi.yaml). */
export interface PaymentRequestBody {
  readonly orderId: string;
  readonly userId: string;
  readonly amount: number;
  readonly currency: string;
  readonly callbackUrl: string;
}

interface CallbackAttempt {
  readonly at: string;
  /** The HTTP status of the answer, or the error when there was none. */
  readonly status: number | string;
}

export interface Refund {
  readonly refundId: string;
  readonly paymentId: string;
  readonly amount: number;
  readonly status: 'succeeded';
  readonly createdAt: string;
}

export interface Payment extends PaymentRequestBody {
  readonly paymentId: string;
  status: 'pending' | 'succeeded' | 'failed';
  failureReason?: string;
  readonly createdAt: string;
  readonly callbackAttempts: CallbackAttempt[];
  readonly refunds: Refund[];
}

export type RefundResult =
  | { readonly kind: 'ok' | 'replayed'; readonly refund: Refund }
  | { readonly kind: 'not_found' | 'not_refundable' | 'mismatch' | 'exceeds' | 'key_reused' };

/**
 * Idempotency: a key names one request. The same key with the same body gets the first answer again;
 * with a different body it is refused.
 */
export class PaymentBook {
  readonly #payments = new Map<string, Payment>();
  readonly #paymentsByKey = new Map<string, { paymentId: string; fingerprint: string }>();
  readonly #refundsByKey = new Map<string, { refund: Refund; fingerprint: string }>();

  initiate(
    key: string,
    body: PaymentRequestBody,
  ): { kind: 'created' | 'replayed'; payment: Payment } | { kind: 'key_reused' } {
    const fingerprint = JSON.stringify([
      body.orderId,
      body.userId,
      body.amount,
      body.currency,
      body.callbackUrl,
    ]);
    const seen = this.#paymentsByKey.get(key);
    if (seen) {
      if (seen.fingerprint !== fingerprint) return { kind: 'key_reused' };
      return { kind: 'replayed', payment: this.#payments.get(seen.paymentId) as Payment };
    }
    const payment: Payment = {
      ...body,
      paymentId: `pay_${randomUUID()}`,
      status: 'pending',
      createdAt: new Date().toISOString(),
      callbackAttempts: [],
      refunds: [],
    };
    this.#payments.set(payment.paymentId, payment);
    this.#paymentsByKey.set(key, { paymentId: payment.paymentId, fingerprint });
    return { kind: 'created', payment };
  }

  get(paymentId: string): Payment | undefined {
    return this.#payments.get(paymentId);
  }

  list(): Payment[] {
    return [...this.#payments.values()];
  }

  refund(
    key: string,
    paymentId: string,
    request: { orderId: string; amount: number; currency: string },
  ): RefundResult {
    const fingerprint = JSON.stringify([
      paymentId,
      request.orderId,
      request.amount,
      request.currency,
    ]);
    const seen = this.#refundsByKey.get(key);
    if (seen) {
      return seen.fingerprint === fingerprint
        ? { kind: 'replayed', refund: seen.refund }
        : { kind: 'key_reused' };
    }
    const payment = this.#payments.get(paymentId);
    if (!payment) return { kind: 'not_found' };
    if (payment.orderId !== request.orderId || payment.currency !== request.currency) {
      return { kind: 'mismatch' };
    }
    if (payment.status !== 'succeeded') return { kind: 'not_refundable' };
    const refunded = payment.refunds.reduce((total, refund) => total + refund.amount, 0);
    if (request.amount > payment.amount - refunded) return { kind: 'exceeds' };

    const refund: Refund = {
      refundId: `ref_${randomUUID()}`,
      paymentId,
      amount: request.amount,
      status: 'succeeded',
      createdAt: new Date().toISOString(),
    };
    payment.refunds.push(refund);
    this.#refundsByKey.set(key, { refund, fingerprint });
    return { kind: 'ok', refund };
  }
}

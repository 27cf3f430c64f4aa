import { setTimeout as sleep } from 'node:timers/promises';
import { SIGNATURE_HEADER, signPayload } from '@mallhive/order-contracts';
import type { FastifyBaseLogger } from 'fastify';
import type { Payment } from './payment-book.ts';

/** Delivery attempts of one callback, like a payment provider's webhook retries (shortened). */
const RETRY_DELAYS_MS = [250, 1_000, 3_000, 10_000];

/** The payment as the contract describes its outcome: the callback body, and the core of `GET`. */
export function paymentOutcome(payment: Payment) {
  return {
    paymentId: payment.paymentId,
    orderId: payment.orderId,
    status: payment.status,
    amount: payment.amount,
    currency: payment.currency,
    ...(payment.failureReason === undefined ? {} : { failureReason: payment.failureReason }),
  };
}

/**
 * POSTs the decided outcome to the payment's callbackUrl, signed with `Mallhive-Signature`, until the
 * receiver answers 2xx or the retries run out. Each attempt is recorded on the payment.
 */
export async function deliverCallback(
  payment: Payment,
  secret: string,
  logger: FastifyBaseLogger,
  signal: AbortSignal,
): Promise<void> {
  const rawBody = JSON.stringify(paymentOutcome(payment));
  for (let attempt = 0; attempt <= RETRY_DELAYS_MS.length; attempt += 1) {
    if (signal.aborted) return;
    const signature = signPayload(rawBody, secret, Math.floor(Date.now() / 1000));
    let status: number | string;
    try {
      const response = await fetch(payment.callbackUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature },
        body: rawBody,
        signal: AbortSignal.any([signal, AbortSignal.timeout(5_000)]),
      });
      await response.arrayBuffer();
      status = response.status;
    } catch (error) {
      status = error instanceof Error ? error.message : String(error);
    }
    payment.callbackAttempts.push({ at: new Date().toISOString(), status });
    if (typeof status === 'number' && status >= 200 && status < 300) return;
    logger.warn({ paymentId: payment.paymentId, attempt, status }, 'payment callback not accepted');
    const delay = RETRY_DELAYS_MS[attempt];
    if (delay === undefined) return;
    try {
      await sleep(delay, undefined, { signal });
    } catch {
      return; // shutting down
    }
  }
}

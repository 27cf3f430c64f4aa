import { setTimeout as sleep } from 'node:timers/promises';
import { createOrderClient } from '@mallhive/order-client';
import { routePaths, SIGNATURE_HEADER, signPayload } from '@mallhive/order-contracts';
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

const CALLBACK_PATH = `${routePaths.apiPrefix}${routePaths.paymentCallback}`;

/**
 * POSTs the decided outcome to the payment's callbackUrl (the order service's callback route, called through
 * its generated client), signed with `Mallhive-Signature`, until the receiver answers 2xx or the retries
 * run out. Each attempt is recorded on the payment.
 */
export async function deliverCallback(
  payment: Payment,
  secret: string,
  logger: FastifyBaseLogger,
  signal: AbortSignal,
): Promise<void> {
  const { status: decided } = payment;
  if (decided === 'pending') throw new Error(`payment ${payment.paymentId} is not decided yet`);
  const outcome = { ...paymentOutcome(payment), status: decided };
  // The signature covers these exact bytes, so the client sends them as they are.
  const rawBody = JSON.stringify(outcome);
  const orderService = orderServiceOf(payment.callbackUrl);
  if (!orderService) {
    const status = `callbackUrl is not the order service's ${CALLBACK_PATH}`;
    payment.callbackAttempts.push({ at: new Date().toISOString(), status });
    logger.warn({ paymentId: payment.paymentId, status }, 'payment callback not sent');
    return;
  }
  for (let attempt = 0; attempt <= RETRY_DELAYS_MS.length; attempt += 1) {
    if (signal.aborted) return;
    const signature = signPayload(rawBody, secret, Math.floor(Date.now() / 1000));
    let status: number | string;
    try {
      const { response } = await orderService.POST('/api/v1/payments/callback', {
        params: { header: { [SIGNATURE_HEADER]: signature } },
        body: outcome,
        bodySerializer: () => rawBody,
        signal: AbortSignal.any([signal, AbortSignal.timeout(5_000)]),
      });
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

/** The order service behind a callbackUrl, which the service builds as its base URL plus the callback route. */
function orderServiceOf(callbackUrl: string) {
  return callbackUrl.endsWith(CALLBACK_PATH)
    ? createOrderClient({ baseUrl: callbackUrl.slice(0, -CALLBACK_PATH.length) })
    : undefined;
}

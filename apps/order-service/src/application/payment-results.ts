import type { PaymentOutcome } from '@mallhive/order-contracts';
import { OrderError } from '../domain/errors.ts';
import type { Order } from '../domain/order.ts';
import { eventFor } from '../domain/order-events.ts';
import { OrderStatus } from '../domain/order-status.ts';
import type { OrderContext } from './context.ts';
import type { ModifyResult, OrderChange } from './modify-order.ts';
import { modifyOrder, stepTo } from './modify-order.ts';

/**
 * Applies a payment outcome: succeeded → PAID, failed → PAYMENT_FAILED. Repeats are no-ops; an outcome
 * that does not match the order (amount, currency, payment id) is refused and changes nothing; a success
 * for an order cancelled meanwhile is recorded and refunded.
 */
export async function applyPaymentOutcome(
  context: OrderContext,
  outcome: PaymentOutcome,
  options: { messageId?: string } = {},
): Promise<ModifyResult> {
  return modifyOrder(context, outcome.orderId, (order) => decide(context, order, outcome), options);
}

function decide(
  context: OrderContext,
  order: Order,
  outcome: PaymentOutcome,
): OrderChange | undefined {
  const mismatch =
    outcome.amount !== order.total
      ? 'amount'
      : outcome.currency !== order.currency
        ? 'currency'
        : order.payment && order.payment.paymentId !== outcome.paymentId
          ? 'paymentId'
          : undefined;
  if (mismatch) {
    context.metrics.paymentMismatches.inc();
    context.logger.warn(
      { orderId: order.id, paymentId: outcome.paymentId, mismatch },
      'payment outcome does not match the order',
    );
    throw new OrderError(
      'payment_mismatch',
      `The payment's ${mismatch} does not match the order.`,
      { field: mismatch },
    );
  }

  // A repeated delivery of an outcome we already applied.
  if (order.payment?.status === outcome.status) return undefined;

  const payment = { paymentId: outcome.paymentId, status: outcome.status };
  if (order.status === OrderStatus.Cancelled) {
    if (outcome.status === 'failed')
      return { after: { ...order, payment, version: order.version + 1 }, outbox: [] };
    // Charged after the customer cancelled: keep the record and give the money back.
    const after = { ...order, payment, version: order.version + 1, updatedAt: context.clock() };
    const event = eventFor(order);
    return {
      after,
      outbox: [
        {
          id: context.newId(),
          orderId: order.id,
          followUp: { kind: 'payment.refund', paymentId: outcome.paymentId },
          event: { ...event, occurredAt: event.occurredAt.toISOString() },
        },
      ],
    };
  }

  return stepTo(context, order, {
    to: outcome.status === 'succeeded' ? OrderStatus.Paid : OrderStatus.PaymentFailed,
    reason: outcome.failureReason ?? null,
    actor: 'payment-service',
    payment,
  });
}

import { routePaths } from '@mallhive/order-contracts';
import type { OrderContext } from '../application/context.ts';
import { modifyOrder, stepTo } from '../application/modify-order.ts';
import { toMajorUnits } from '../domain/money.ts';
import { OrderEventType } from '../domain/order-events.ts';
import { OrderStatus } from '../domain/order-status.ts';
import { findOrder } from '../adapters/postgres/order-repository.ts';
import type { TaskEntry } from './outbox-entry.ts';

export interface FollowUpSettings {
  /** Base of the URL the payment service calls back (`…/api/v1/payments/callback`). */
  readonly publicBaseUrl: string;
}

/**
 * How each follow-up is carried out. Every handler is idempotent (it sends the entry id or order id as the
 * peer's idempotency key, or checks the order's state first), so running one twice is harmless.
 * Event publishing is not here: the dispatcher publishes events in batches.
 */
export type FollowUpHandler = (entry: TaskEntry) => Promise<void>;

export function createFollowUpHandlers(
  context: OrderContext,
  settings: FollowUpSettings,
): Record<TaskEntry['followUp']['kind'], FollowUpHandler> {
  const { inventory, payments, notifications, analytics } = context.peers;
  const amountOf = (entry: TaskEntry) => ({
    amount: entry.event.data.total.amount,
    currency: entry.event.data.total.currency,
  });

  return {
    async 'payment.initiate'(entry) {
      const order = await findOrder(context.db, entry.orderId);
      if (order?.status !== OrderStatus.Pending) return; // cancelled, or the outcome already arrived
      const { paymentId } = await payments.initiate({
        orderId: order.id,
        userId: order.userId,
        amount: { amount: order.total, currency: order.currency },
        callbackUrl: `${settings.publicBaseUrl}${routePaths.apiPrefix}${routePaths.paymentCallback}`,
        idempotencyKey: order.id,
      });
      await modifyOrder(context, order.id, (current) =>
        current.status === OrderStatus.Pending
          ? stepTo(context, current, {
              to: OrderStatus.AwaitingPayment,
              actor: 'dispatcher',
              payment: { paymentId, status: 'pending' },
            })
          : undefined,
      );
    },

    async 'payment.refund'(entry) {
      if (entry.followUp.kind !== 'payment.refund') return;
      await payments.refund({
        paymentId: entry.followUp.paymentId,
        orderId: entry.orderId,
        amount: amountOf(entry),
        idempotencyKey: entry.id,
      });
    },

    async 'stock.commit'(entry) {
      await inventory.commit(entry.orderId);
    },

    async 'stock.release'(entry) {
      await inventory.release(entry.orderId);
    },

    async 'notification.send'(entry) {
      if (!entry.recipient) return;
      const { subject, message } = emailFor(entry);
      await notifications.sendEmail({
        to: entry.recipient,
        subject,
        message,
        idempotencyKey: entry.id,
      });
    },

    async 'analytics.record'(entry) {
      await analytics.record({
        userId: entry.event.data.userId,
        eventSubtype: `order_${entry.event.type}`,
        value: toMajorUnits(amountOf(entry)),
        orderId: entry.orderId,
        currency: entry.event.data.total.currency,
        idempotencyKey: entry.id,
      });
    },
  };
}

function emailFor(entry: TaskEntry): { subject: string; message: string } {
  const { data } = entry.event;
  const reference = data.orderId.slice(0, 8).toUpperCase();
  const total = `${toMajorUnits({ amount: data.total.amount, currency: data.total.currency }).toFixed(2)} ${data.total.currency}`;
  switch (entry.event.type) {
    case OrderEventType.Placed:
      return {
        subject: `Order ${reference} received`,
        message: `Thank you! We received your order ${reference} of ${total}.`,
      };
    case OrderEventType.Paid:
      return {
        subject: `Order ${reference} paid`,
        message: `Your payment of ${total} for order ${reference} went through.`,
      };
    case OrderEventType.PaymentFailed:
      return {
        subject: `Payment for order ${reference} failed`,
        message: `We could not take the payment for order ${reference}. No money was taken.`,
      };
    case OrderEventType.Cancelled:
      return {
        subject: `Order ${reference} cancelled`,
        message: `Your order ${reference} was cancelled.${data.previousStatus === OrderStatus.Paid || data.previousStatus === OrderStatus.Fulfilling ? ` ${total} will be refunded.` : ''}`,
      };
    case OrderEventType.Shipped:
      return {
        subject: `Order ${reference} shipped`,
        message: `Your order ${reference} is on its way with ${data.shipment?.carrier ?? 'our carrier'}, tracking number ${data.shipment?.trackingNumber ?? 'to follow'}.`,
      };
    case OrderEventType.Delivered:
      return {
        subject: `Order ${reference} delivered`,
        message: `Your order ${reference} was delivered. Enjoy!`,
      };
    default:
      return {
        subject: `Order ${reference} updated`,
        message: `Your order ${reference} is now ${data.status}.`,
      };
  }
}

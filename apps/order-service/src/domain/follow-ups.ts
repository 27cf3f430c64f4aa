import type { OrderEvent } from './order-events.ts';
import { OrderEventType } from './order-events.ts';
import { isCharged } from './order-status.ts';
import type { OrderStatus } from './order-status.ts';

/**
 * The work that must happen after a step, decided here (pure) and carried out by the outbox dispatcher.
 * Each task is written to the outbox in the same transaction as the step, so none is ever lost.
 */
export type FollowUp =
  | { readonly kind: 'event.publish' }
  | { readonly kind: 'payment.initiate' }
  | { readonly kind: 'payment.refund'; readonly paymentId: string }
  | { readonly kind: 'stock.commit' }
  | { readonly kind: 'stock.release' }
  | { readonly kind: 'notification.send' }
  | { readonly kind: 'analytics.record' };

/** Lifecycle steps the customer hears about by email. */
const notified: ReadonlySet<OrderEventType> = new Set([
  OrderEventType.Placed,
  OrderEventType.Paid,
  OrderEventType.PaymentFailed,
  OrderEventType.Cancelled,
  OrderEventType.Shipped,
  OrderEventType.Delivered,
]);

export function followUpsOf(event: OrderEvent): FollowUp[] {
  const tasks: FollowUp[] = [{ kind: 'event.publish' }, { kind: 'analytics.record' }];
  if (notified.has(event.type)) tasks.push({ kind: 'notification.send' });

  switch (event.type) {
    case OrderEventType.Placed:
      tasks.push({ kind: 'payment.initiate' });
      break;
    case OrderEventType.Paid:
      tasks.push({ kind: 'stock.commit' });
      break;
    case OrderEventType.PaymentFailed:
      tasks.push({ kind: 'stock.release' });
      break;
    case OrderEventType.Cancelled: {
      tasks.push({ kind: 'stock.release' });
      const previous = event.data.previousStatus as OrderStatus;
      if (isCharged(previous) && event.data.payment) {
        tasks.push({ kind: 'payment.refund', paymentId: event.data.payment.paymentId });
      }
      break;
    }
    default:
      break;
  }
  return tasks;
}

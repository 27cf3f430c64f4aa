import type { Order } from './order.ts';
import { OrderStatus } from './order-status.ts';

/** One event per lifecycle step; the names are the stable part of the event catalogue (docs/events.md). */
export const OrderEventType = {
  Placed: 'placed',
  PaymentInitiated: 'payment_initiated',
  Paid: 'paid',
  PaymentFailed: 'payment_failed',
  Cancelled: 'cancelled',
  FulfilmentStarted: 'fulfilment_started',
  Shipped: 'shipped',
  Delivered: 'delivered',
} as const;

export type OrderEventType = (typeof OrderEventType)[keyof typeof OrderEventType];

const eventForStatus: Readonly<Record<OrderStatus, OrderEventType>> = {
  [OrderStatus.Pending]: OrderEventType.Placed,
  [OrderStatus.AwaitingPayment]: OrderEventType.PaymentInitiated,
  [OrderStatus.Paid]: OrderEventType.Paid,
  [OrderStatus.PaymentFailed]: OrderEventType.PaymentFailed,
  [OrderStatus.Cancelled]: OrderEventType.Cancelled,
  [OrderStatus.Fulfilling]: OrderEventType.FulfilmentStarted,
  [OrderStatus.Shipped]: OrderEventType.Shipped,
  [OrderStatus.Delivered]: OrderEventType.Delivered,
};

/** What consumers learn about the order with every event: its state right after the step. */
export interface OrderEventData {
  readonly orderId: string;
  readonly userId: string;
  readonly status: OrderStatus;
  readonly previousStatus: OrderStatus | null;
  readonly reason: string | null;
  readonly total: { readonly amount: number; readonly currency: string };
  readonly items: readonly {
    readonly productId: string;
    readonly quantity: number;
    readonly unitPrice: number;
    readonly lineTotal: number;
  }[];
  readonly payment: { readonly paymentId: string; readonly status: string } | null;
  readonly shipment: { readonly carrier: string; readonly trackingNumber: string } | null;
}

export interface OrderEvent {
  readonly type: OrderEventType;
  readonly orderId: string;
  readonly occurredAt: Date;
  readonly data: OrderEventData;
}

/** The event describing the order's latest step (its last status change). */
export function eventFor(order: Order): OrderEvent {
  const last = order.statusHistory.at(-1);
  if (!last) throw new Error(`order ${order.id} has no status history`);
  return {
    type: eventForStatus[order.status],
    orderId: order.id,
    occurredAt: last.at,
    data: {
      orderId: order.id,
      userId: order.userId,
      status: order.status,
      previousStatus: last.from,
      reason: last.reason,
      total: { amount: order.total, currency: order.currency },
      items: order.items.map(({ productId, quantity, unitPrice, lineTotal }) => ({
        productId,
        quantity,
        unitPrice,
        lineTotal,
      })),
      payment: order.payment,
      shipment: order.shipment,
    },
  };
}

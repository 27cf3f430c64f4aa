import type { FollowUp } from '../domain/follow-ups.ts';
import { followUpsOf } from '../domain/follow-ups.ts';
import type { Order } from '../domain/order.ts';
import type { OrderEventData, OrderEventType } from '../domain/order-events.ts';
import { eventFor } from '../domain/order-events.ts';

/** One unit of follow-up work as stored in the outbox table. */
export interface OutboxEntry {
  /** Stable across retries: the event id consumers deduplicate by, and the idempotency key sent to peers. */
  readonly id: string;
  readonly orderId: string;
  readonly followUp: FollowUp;
  readonly event: {
    readonly type: OrderEventType;
    readonly orderId: string;
    readonly occurredAt: string;
    readonly data: OrderEventData;
  };
  /** Only on notification tasks: the address stays out of events, which many consumers read. */
  readonly recipient?: string;
}

/** The outbox entries for the order's latest step: its event plus every follow-up it requires. */
export function outboxEntriesFor(order: Order, newId: () => string): OutboxEntry[] {
  const event = eventFor(order);
  const stored = { ...event, occurredAt: event.occurredAt.toISOString() };
  return followUpsOf(event).map((followUp) => ({
    id: newId(),
    orderId: order.id,
    followUp,
    event: stored,
    ...(followUp.kind === 'notification.send' ? { recipient: order.customerEmail } : {}),
  }));
}

import type { FollowUp } from '../domain/follow-ups.ts';
import { followUpsOf } from '../domain/follow-ups.ts';
import type { Order } from '../domain/order.ts';
import type { OrderEventData, OrderEventType } from '../domain/order-events.ts';
import { eventFor } from '../domain/order-events.ts';

/** An order event as stored in the outbox (occurredAt as ISO text). */
export interface StoredEvent {
  readonly type: OrderEventType;
  readonly orderId: string;
  readonly occurredAt: string;
  readonly data: OrderEventData;
}

/**
 * What a follow-up other than publishing knows of its step: a subset of the event, in the event's own
 * shape. The items, payment and the rest stay in the one event.publish entry of the step (issue 14: each
 * event written once, not once per follow-up). Being a subset, an entry written before this layout (full
 * event in every entry) still reads as one of these, and the previous release's dispatcher — which reads
 * exactly these fields — can carry out entries of this layout during a rolling deploy.
 */
export interface StepFacts {
  readonly type: OrderEventType;
  readonly data: Pick<
    OrderEventData,
    'orderId' | 'userId' | 'status' | 'previousStatus' | 'total' | 'shipment'
  >;
}

interface EntryBase {
  /** Stable across retries: the event id consumers deduplicate by, and the idempotency key sent to peers. */
  readonly id: string;
  readonly orderId: string;
}

/** Publishes the step's event: the only entry that carries the whole event. */
export interface PublishEntry extends EntryBase {
  readonly followUp: Extract<FollowUp, { kind: 'event.publish' }>;
  readonly event: StoredEvent;
}

/** Any other follow-up of the step. */
export interface TaskEntry extends EntryBase {
  readonly followUp: Exclude<FollowUp, { kind: 'event.publish' }>;
  readonly event: StepFacts;
  /** Only on notification tasks: the address stays out of events, which many consumers read. */
  readonly recipient?: string;
}

/** One unit of follow-up work as stored in the outbox table. */
export type OutboxEntry = PublishEntry | TaskEntry;

/** The outbox entries for the order's latest step: its event plus every follow-up it requires. */
export function outboxEntriesFor(order: Order, newId: () => string): OutboxEntry[] {
  const event = eventFor(order);
  const stored: StoredEvent = { ...event, occurredAt: event.occurredAt.toISOString() };
  const { orderId, userId, status, previousStatus, total, shipment } = event.data;
  const facts: StepFacts = {
    type: event.type,
    data: { orderId, userId, status, previousStatus, total, shipment },
  };
  return followUpsOf(event).map((followUp): OutboxEntry => {
    const base = { id: newId(), orderId: order.id };
    if (followUp.kind === 'event.publish') return { ...base, followUp, event: stored };
    return {
      ...base,
      followUp,
      event: facts,
      ...(followUp.kind === 'notification.send' ? { recipient: order.customerEmail } : {}),
    };
  });
}

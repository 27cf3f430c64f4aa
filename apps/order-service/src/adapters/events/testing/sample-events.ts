/** Realistic order events for the publisher tests, built through the domain. Test support only. */
import { randomUUID } from 'node:crypto';
import { transition } from '../../../domain/order.ts';
import { samplePlacedOrder } from '../../../testing/sample-order.ts';
import { eventFor } from '../../../domain/order-events.ts';
import { OrderStatus } from '../../../domain/order-status.ts';
import { toCloudEvent, type CloudEvent } from '../../../events/cloud-event.ts';

/** `count` events: for each order its `placed` and then its `payment initiated` event. */
export function orderEvents(count: number): CloudEvent[] {
  const events: CloudEvent[] = [];
  for (let index = 0; events.length < count; index += 1) {
    const at = new Date(Date.UTC(2026, 10, 25, 10, 0, index));
    const order = samplePlacedOrder({ userId: `user-${index}`, at });
    events.push(toCloudEvent(randomUUID(), eventFor(order)));
    if (events.length === count) break;
    const awaiting = transition(order, {
      to: OrderStatus.AwaitingPayment,
      actor: 'dispatcher',
      at: new Date(at.getTime() + 500),
      payment: { paymentId: `pay-${index}`, status: 'pending' },
    });
    events.push(toCloudEvent(randomUUID(), eventFor(awaiting)));
  }
  return events;
}

import { describe, expect, it } from 'vitest';
import { transition, type Order, type TransitionRequest } from '../domain/order.ts';
import { samplePlacedOrder } from '../testing/sample-order.ts';
import { eventFor, OrderEventType } from '../domain/order-events.ts';
import { canTransition, ORDER_STATUSES, OrderStatus } from '../domain/order-status.ts';
import { cloudEventType, toCloudEvent, type CloudEvent } from './cloud-event.ts';
import { eventSchemas, validateEvent } from './event-catalogue.ts';

const orderId = '0b8a5f0e-7c1d-4e0a-9a53-3f2d0c4b9e11';
let clock = Date.parse('2026-11-25T10:00:00Z');
let eventNumber = 0;

function placed(userId = 'user-42'): Order {
  return samplePlacedOrder({
    id: orderId,
    userId,
    lines: [
      { productId: 'sku-1', quantity: 2, unitPrice: 1250 },
      { productId: 'sku-2', quantity: 1, unitPrice: 999 },
    ],
    at: new Date(clock),
  });
}

function step(order: Order, request: Omit<TransitionRequest, 'at' | 'actor'>): Order {
  clock += 1000;
  return transition(order, { actor: 'test', at: new Date(clock), ...request });
}

function published(order: Order): CloudEvent {
  eventNumber += 1;
  return toCloudEvent(`evt-${eventNumber}`, eventFor(order));
}

/** Every order the lifecycle can produce, in the order the steps happen. */
function everyLifecycleStep(): Order[] {
  const pending = placed();
  const awaiting = step(pending, {
    to: OrderStatus.AwaitingPayment,
    payment: { paymentId: 'pay-1', status: 'pending' },
  });
  const paid = step(awaiting, {
    to: OrderStatus.Paid,
    payment: { paymentId: 'pay-1', status: 'succeeded' },
  });
  const fulfilling = step(paid, { to: OrderStatus.Fulfilling });
  const shipped = step(fulfilling, {
    to: OrderStatus.Shipped,
    shipment: { carrier: 'DHL', trackingNumber: 'JD0146000' },
  });
  const delivered = step(shipped, { to: OrderStatus.Delivered });
  const paymentFailed = step(awaiting, {
    to: OrderStatus.PaymentFailed,
    reason: 'card_declined',
    payment: { paymentId: 'pay-1', status: 'failed' },
  });
  const paidBeforeInitiationRecorded = step(pending, {
    to: OrderStatus.Paid,
    payment: { paymentId: 'pay-2', status: 'succeeded' },
  });
  const cancelledAfterPayment = step(paid, {
    to: OrderStatus.Cancelled,
    reason: 'changed my mind',
  });
  const cancelledWhilePending = step(pending, { to: OrderStatus.Cancelled, reason: 'duplicate' });
  return [
    pending,
    awaiting,
    paid,
    fulfilling,
    shipped,
    delivered,
    paymentFailed,
    paidBeforeInitiationRecorded,
    cancelledAfterPayment,
    cancelledWhilePending,
  ];
}

describe('event catalogue', () => {
  it('has a schema for every event type the domain defines', () => {
    const types = Object.values(OrderEventType).map(cloudEventType);
    expect([...eventSchemas.keys()].sort()).toEqual(types.sort());
  });

  it.each(everyLifecycleStep().map((order) => [order.status, order] as const))(
    'accepts the event of a step to %s, built by the domain',
    (_status, order) => {
      const event = published(order);
      expect(validateEvent(event)).toEqual({ valid: true });
      // What a consumer actually receives: the event after a JSON round trip.
      expect(validateEvent(JSON.parse(JSON.stringify(event)))).toEqual({ valid: true });
    },
  );

  it('covers every event type with the lifecycle above', () => {
    const emitted = new Set(everyLifecycleStep().map((order) => published(order).type));
    expect(emitted).toEqual(new Set(eventSchemas.keys()));
  });

  it('allows exactly the previous statuses the transition table allows', () => {
    const orders = ordersByStatus();
    for (const target of ORDER_STATUSES) {
      const type = cloudEventType(eventFor(orders[target]).type);
      const schema = eventSchemas.get(type) as {
        properties: {
          data: { allOf: [unknown, { properties: { previousStatus: PreviousRule } }] };
        };
      };
      const rule = schema.properties.data.allOf[1].properties.previousStatus;
      const allowed = ORDER_STATUSES.filter((from) => canTransition(from, target));
      if (allowed.length === 0) expect(rule, type).toEqual({ const: null });
      else expect([...(rule.enum ?? [])].sort(), type).toEqual([...allowed].sort());
    }
  });
});

describe('validateEvent rejects a malformed event', () => {
  const good = (): Record<string, unknown> =>
    JSON.parse(JSON.stringify(published(everyLifecycleStep()[4]!))) as Record<string, unknown>;

  it('without a subject', () => {
    const event = good();
    delete event.subject;
    expect(validateEvent(event)).toEqual({
      valid: false,
      errors: ["/ must have required property 'subject'"],
    });
  });

  it('of a type outside the catalogue', () => {
    expect(validateEvent({ ...good(), type: 'com.mallhive.order.lost.v1' })).toEqual({
      valid: false,
      errors: ['type "com.mallhive.order.lost.v1" is not in the event catalogue'],
    });
  });

  it('whose data contradicts its type', () => {
    const event = good();
    const data = event.data as Record<string, unknown>;
    const result = validateEvent({
      ...event,
      data: { ...data, status: 'DELIVERED', shipment: null },
    });
    expect(result.valid).toBe(false);
    expect(!result.valid && result.errors).toEqual(
      expect.arrayContaining([
        '/data/status must be equal to constant',
        '/data/shipment must be object',
      ]),
    );
  });

  it('with money as a fraction or a field nobody declared', () => {
    const event = good();
    const data = event.data as Record<string, unknown>;
    const result = validateEvent({
      ...event,
      data: { ...data, total: { amount: 12.5, currency: 'EUR' }, discount: 3 },
    });
    expect(!result.valid && result.errors).toEqual(
      expect.arrayContaining([
        '/data/total/amount must be integer',
        '/data must NOT have additional properties',
      ]),
    );
  });

  it('with a time that is not RFC 3339', () => {
    const result = validateEvent({ ...good(), time: 'yesterday' });
    expect(!result.valid && result.errors).toEqual(['/time must match format "date-time"']);
  });
});

type PreviousRule = { const?: null; enum?: string[] };

function ordersByStatus(): Record<OrderStatus, Order> {
  const byStatus = {} as Record<OrderStatus, Order>;
  for (const order of everyLifecycleStep()) byStatus[order.status] = order;
  return byStatus;
}

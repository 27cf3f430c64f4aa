import { describe, expect, it } from 'vitest';
import { OrderError } from './errors.ts';
import { followUpsOf } from './follow-ups.ts';
import { multiply, sum, toMajorUnits } from './money.ts';
import { transition } from './order.ts';
import { samplePlacedOrder } from '../testing/sample-order.ts';
import type { Order } from './order.ts';
import { eventFor } from './order-events.ts';
import { OrderStatus } from './order-status.ts';

const at = new Date('2026-11-25T10:00:00.000Z');
const later = new Date('2026-11-25T10:05:00.000Z');

function anOrder(): Order {
  return samplePlacedOrder({
    id: '00000000-0000-4000-8000-000000000001',
    lines: [
      { productId: 'a', quantity: 3, unitPrice: 199 },
      { productId: 'b', quantity: 1, unitPrice: 1000 },
    ],
    at,
  });
}

describe('placing an order', () => {
  it('prices each line from the product side and totals in minor units', () => {
    const order = anOrder();
    expect(order.items.map((item) => item.lineTotal)).toEqual([597, 1000]);
    expect(order.subtotal).toBe(1597);
    expect(order.total).toBe(1597);
  });

  it('starts PENDING at version 1 with one history entry', () => {
    const order = anOrder();
    expect(order.status).toBe(OrderStatus.Pending);
    expect(order.version).toBe(1);
    expect(order.statusHistory).toEqual([
      { from: null, to: 'PENDING', reason: null, actor: 'user-1', at },
    ]);
  });
});

describe('changing status', () => {
  it('bumps the version and appends who did what, when and why', () => {
    const cancelled = transition(anOrder(), {
      to: OrderStatus.Cancelled,
      reason: 'changed my mind',
      actor: 'api',
      at: later,
    });
    expect(cancelled.version).toBe(2);
    expect(cancelled.updatedAt).toEqual(later);
    expect(cancelled.statusHistory.at(-1)).toEqual({
      from: 'PENDING',
      to: 'CANCELLED',
      reason: 'changed my mind',
      actor: 'api',
      at: later,
    });
  });

  it('refuses an illegal step with invalid_transition and leaves the order as it was', () => {
    const order = anOrder();
    const attempt = () => transition(order, { to: OrderStatus.Shipped, actor: 'api', at: later });
    expect(attempt).toThrow(OrderError);
    expect(attempt).toThrow(expect.objectContaining({ code: 'invalid_transition' }));
    expect(order.status).toBe(OrderStatus.Pending);
    expect(order.version).toBe(1);
  });
});

describe('follow-up work of each step', () => {
  const kinds = (order: Order) =>
    followUpsOf(eventFor(order))
      .map((task) => task.kind)
      .sort();

  it('after placing: publish, initiate payment, confirm by email, record analytics', () => {
    expect(kinds(anOrder())).toEqual([
      'analytics.record',
      'event.publish',
      'notification.send',
      'payment.initiate',
    ]);
  });

  it('a cancelled paid order releases stock and is refunded', () => {
    const paid = transition(anOrder(), {
      to: OrderStatus.Paid,
      actor: 'payment-service',
      at,
      payment: { paymentId: 'pay-1', status: 'succeeded' },
    });
    const cancelled = transition(paid, { to: OrderStatus.Cancelled, actor: 'api', at: later });
    expect(followUpsOf(eventFor(cancelled))).toContainEqual({
      kind: 'payment.refund',
      paymentId: 'pay-1',
    });
    expect(kinds(cancelled)).toContain('stock.release');
  });

  it('a cancelled unpaid order releases stock and owes no refund', () => {
    const cancelled = transition(anOrder(), { to: OrderStatus.Cancelled, actor: 'api', at: later });
    expect(kinds(cancelled)).toContain('stock.release');
    expect(kinds(cancelled)).not.toContain('payment.refund');
  });

  it('payment commits the reservation; a failed payment releases it', () => {
    const paid = transition(anOrder(), { to: OrderStatus.Paid, actor: 'payment-service', at });
    const failed = transition(anOrder(), {
      to: OrderStatus.PaymentFailed,
      actor: 'payment-service',
      at,
    });
    expect(kinds(paid)).toContain('stock.commit');
    expect(kinds(failed)).toContain('stock.release');
  });
});

describe('money', () => {
  it('refuses amounts beyond the safe integer range instead of losing cents', () => {
    expect(() => multiply(Number.MAX_SAFE_INTEGER, 2)).toThrow(RangeError);
    expect(() => sum([Number.MAX_SAFE_INTEGER, 1])).toThrow(RangeError);
  });

  it('converts to major units by the currency exponent', () => {
    expect(toMajorUnits({ amount: 1234, currency: 'EUR' })).toBe(12.34);
    expect(toMajorUnits({ amount: 1234, currency: 'JPY' })).toBe(1234);
    expect(toMajorUnits({ amount: 1234, currency: 'KWD' })).toBe(1.234);
  });
});

import { describe, expect, it } from 'vitest';
import { canTransition, isTerminal, ORDER_STATUSES, OrderStatus } from './order-status.ts';

const { Pending, AwaitingPayment, Paid, PaymentFailed, Fulfilling, Shipped, Delivered, Cancelled } =
  OrderStatus;

/** The lifecycle from the product brief, written out pair by pair. */
const legal = new Set([
  `${Pending}->${AwaitingPayment}`,
  `${Pending}->${Paid}`,
  `${Pending}->${PaymentFailed}`,
  `${Pending}->${Cancelled}`,
  `${AwaitingPayment}->${Paid}`,
  `${AwaitingPayment}->${PaymentFailed}`,
  `${AwaitingPayment}->${Cancelled}`,
  `${Paid}->${Fulfilling}`,
  `${Paid}->${Cancelled}`,
  `${Fulfilling}->${Shipped}`,
  `${Fulfilling}->${Cancelled}`,
  `${Shipped}->${Delivered}`,
]);

describe('order status transitions', () => {
  const pairs = ORDER_STATUSES.flatMap((from) => ORDER_STATUSES.map((to) => [from, to] as const));

  it.each(pairs)('%s → %s is allowed only if the lifecycle says so', (from, to) => {
    expect(canTransition(from, to)).toBe(legal.has(`${from}->${to}`));
  });

  it('covers all 64 pairs of the 8 statuses', () => {
    expect(pairs).toHaveLength(64);
  });

  it('ends in DELIVERED, CANCELLED and PAYMENT_FAILED and nowhere else', () => {
    expect(ORDER_STATUSES.filter(isTerminal).sort()).toEqual(
      [Cancelled, Delivered, PaymentFailed].sort(),
    );
  });
});

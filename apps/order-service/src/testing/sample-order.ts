import { randomUUID } from 'node:crypto';
import type { NewOrder, Order } from '../domain/order.ts';
import { placeOrder } from '../domain/order.ts';

/** A placed order built through the domain, for tests that need one without a database. */
export function samplePlacedOrder(overrides: Partial<NewOrder> = {}): Order {
  return placeOrder({
    id: randomUUID(),
    userId: 'user-1',
    currency: 'EUR',
    customerEmail: 'ada@example.com',
    shippingAddress: {
      name: 'Ada',
      line1: '1 Main St',
      city: 'Berlin',
      postalCode: '10115',
      country: 'DE',
    },
    lines: [{ productId: 'sku-1', quantity: 1, unitPrice: 1999 }],
    at: new Date('2026-11-25T10:00:00.000Z'),
    actor: 'user-1',
    ...overrides,
  });
}

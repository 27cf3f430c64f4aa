import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateEvent } from './events/event-catalogue.ts';
import type { TestServer } from './testing/test-server.ts';
import { eventually, recordingPublisher, startTestServer } from './testing/test-server.ts';

const sink = recordingPublisher();
const { published } = sink;

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({
    workers: true,
    overrides: { publisher: sink },
    // The payment's outcome comes well after its initiation is recorded, as it does in life; a faster one
    // (PENDING → PAID directly) is allowed by the state machine and specified in domain/order-status.test.ts.
    env: { SIMULATED_PAYMENT_DELAY_MS: '500' },
  });
});
afterAll(async () => {
  await t.stop();
});

const read = async (id: string) => (await t.inject({ url: `/api/v1/orders/${id}` })).json();
const statusBecomes = (id: string, status: string) =>
  eventually(async () => {
    const order = await read(id);
    return order.status === status ? order : undefined;
  });
const command = (id: string, path: string, payload?: object) =>
  t.inject({
    method: 'POST',
    url: `/api/v1/orders/${id}/${path}`,
    ...(payload ? { payload } : {}),
  });

describe('an order through the simulated peers', () => {
  it('goes from placement to DELIVERED, telling the customer, analytics and the event bus along the way', async () => {
    const { id } = (
      await t.placeOrder({ userId: 'happy-path', customerEmail: 'grace@example.com' })
    ).json();
    const paid = await statusBecomes(id, 'PAID');
    expect(paid.statusHistory.map((change: { to: string }) => change.to)).toEqual([
      'PENDING',
      'AWAITING_PAYMENT',
      'PAID',
    ]);
    expect(paid.payment).toEqual({ paymentId: `sim-pay-${id}`, status: 'succeeded' });
    await eventually(() =>
      t.peers.inventory.reservations.get(id) === 'committed' ? true : undefined,
    );

    expect((await command(id, 'fulfilment')).statusCode).toBe(200);
    expect(
      (await command(id, 'shipment', { carrier: 'UPS', trackingNumber: '1Z999' })).statusCode,
    ).toBe(200);
    expect((await command(id, 'delivery')).statusCode).toBe(200);

    const types = await eventually(() => {
      const mine = published
        .filter((event) => event.subject === id)
        .map((event) => event.type.split('.')[3]);
      return mine.length === 6 ? mine : undefined;
    });
    expect(types).toEqual([
      'placed',
      'payment-initiated',
      'paid',
      'fulfilment-started',
      'shipped',
      'delivered',
    ]);
    for (const event of published.filter((e) => e.subject === id))
      expect(validateEvent(event)).toEqual({ valid: true });

    const emails = await eventually(() => {
      const mine = [...t.peers.notifications.sent.values()].filter((email) =>
        email.subject.includes(id.slice(0, 8).toUpperCase()),
      );
      return mine.length === 4 ? mine : undefined;
    });
    expect(emails.every((email) => email.to === 'grace@example.com')).toBe(true);
    expect(emails.map((email) => email.subject.split(' ').at(-1)).sort()).toEqual([
      'delivered',
      'paid',
      'received',
      'shipped',
    ]);

    const analytics = [...t.peers.analytics.recorded.values()].filter(
      (metric) => metric.orderId === id,
    );
    expect(analytics.map((metric) => metric.eventSubtype)).toContain('order_placed');
    expect(analytics[0]?.value).toBe(paid.total / 100);
  });

  it('ends in PAYMENT_FAILED and releases the stock when the payment is declined', async () => {
    const { id } = (await t.placeOrder({ userId: 'payfail-bob' })).json();
    const failed = await statusBecomes(id, 'PAYMENT_FAILED');
    expect(failed.statusHistory.at(-1)).toMatchObject({ reason: 'card_declined' });
    await eventually(() =>
      t.peers.inventory.reservations.get(id) === 'released' ? true : undefined,
    );
  });

  it('refunds and releases stock when a paid order is cancelled', async () => {
    const { id } = (await t.placeOrder({ userId: 'changes-mind' })).json();
    await statusBecomes(id, 'PAID');
    expect((await command(id, 'cancel', { reason: 'changed my mind' })).statusCode).toBe(200);
    await eventually(() => t.peers.payments.refundOf(`sim-pay-${id}`));
    await eventually(() =>
      t.peers.inventory.reservations.get(id) === 'released' ? true : undefined,
    );
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_PAYMENT_CALLBACK_SECRET, signPayload } from '@mallhive/order-contracts';
import type { TestServer } from '../../testing/test-server.ts';
import { startTestServer } from '../../testing/test-server.ts';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.stop();
});

const now = () => Math.floor(Date.now() / 1000);

function callback(
  body: object,
  options: { secret?: string; timestamp?: number; signature?: string | null } = {},
) {
  const raw = JSON.stringify(body);
  const signature =
    options.signature === undefined
      ? signPayload(raw, options.secret ?? DEV_PAYMENT_CALLBACK_SECRET, options.timestamp ?? now())
      : options.signature;
  return t.server.app.inject({
    method: 'POST',
    url: '/api/v1/payments/callback',
    headers: {
      'content-type': 'application/json',
      ...(signature === null ? {} : { 'mallhive-signature': signature }),
    },
    payload: raw,
  });
}

async function placed() {
  const order = (await t.placeOrder()).json();
  return {
    order,
    outcome: {
      paymentId: `pay-${order.id}`,
      orderId: order.id,
      status: 'succeeded',
      amount: order.total,
      currency: order.currency,
    },
  };
}

const read = async (id: string) => (await t.inject({ url: `/api/v1/orders/${id}` })).json();

describe('POST /api/v1/payments/callback', () => {
  it('marks the order PAID on a signed success', async () => {
    const { order, outcome } = await placed();
    const response = await callback(outcome);
    expect(response.statusCode).toBe(200);
    expect(await read(order.id)).toMatchObject({
      status: 'PAID',
      payment: { paymentId: outcome.paymentId, status: 'succeeded' },
    });
  });

  it('marks the order PAYMENT_FAILED on a signed failure and schedules the stock release', async () => {
    const { order, outcome } = await placed();
    await callback({ ...outcome, status: 'failed', failureReason: 'card_declined' });
    const stored = await read(order.id);
    expect(stored.status).toBe('PAYMENT_FAILED');
    expect(stored.statusHistory.at(-1)).toMatchObject({
      reason: 'card_declined',
      actor: 'payment-service',
    });
    const release = await t.server.context.db.query(
      `SELECT 1 FROM outbox WHERE order_id = $1 AND kind = 'stock.release'`,
      [order.id],
    );
    expect(release.rowCount).toBe(1);
  });

  it.each([
    ['no signature', { signature: null }],
    ['a signature made with another key', { secret: 'not-the-key' }],
    ['a signature over six minutes old', { timestamp: now() - 360 }],
    ['a garbled signature', { signature: 't=1,v1=zz' }],
  ])('refuses %s with 401 invalid_signature and changes nothing', async (_case, options) => {
    const { order, outcome } = await placed();
    const response = await callback(outcome, options);
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('invalid_signature');
    expect(await read(order.id)).toMatchObject({ status: 'PENDING', version: 1 });
  });

  it('answers 404 order_not_found for an unknown order', async () => {
    const response = await callback({
      paymentId: 'p',
      orderId: '00000000-0000-4000-8000-000000000009',
      status: 'succeeded',
      amount: 1,
      currency: 'EUR',
    });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('order_not_found');
  });

  it.each([
    ['amount', { amount: 1 }],
    ['currency', { currency: 'USD' }],
  ])(
    'refuses a different %s with 422 payment_mismatch, counted, order unchanged',
    async (_field, change) => {
      const { order, outcome } = await placed();
      const response = await callback({ ...outcome, ...change });
      expect(response.statusCode).toBe(422);
      expect(response.json().code).toBe('payment_mismatch');
      expect((await read(order.id)).status).toBe('PENDING');
      const metrics = await t.server.metricsApp.inject({ url: '/metrics' });
      expect(metrics.body).toMatch(/order_service_payment_mismatches_total [1-9]/);
    },
  );

  it('refuses a payment id other than the recorded one', async () => {
    const { order, outcome } = await placed();
    await callback(outcome);
    const response = await callback({ ...outcome, paymentId: 'someone-elses-payment' });
    expect(response.statusCode).toBe(422);
    expect((await read(order.id)).payment.paymentId).toBe(outcome.paymentId);
  });

  it('treats a repeated delivery as a 200 no-op', async () => {
    const { order, outcome } = await placed();
    await callback(outcome);
    const again = await callback(outcome);
    expect(again.statusCode).toBe(200);
    expect(again.json().status).toBe('already_applied');
    expect((await read(order.id)).version).toBe(2);
  });

  it('refunds a success that arrives after the order was cancelled', async () => {
    const { order, outcome } = await placed();
    await t.inject({
      method: 'POST',
      url: `/api/v1/orders/${order.id}/cancel`,
      payload: { reason: 'too slow' },
    });
    const response = await callback(outcome);
    expect(response.statusCode).toBe(200);
    const stored = await read(order.id);
    expect(stored).toMatchObject({ status: 'CANCELLED', payment: { status: 'succeeded' } });
    const refund = await t.server.context.db.query(
      `SELECT payload FROM outbox WHERE order_id = $1 AND kind = 'payment.refund'`,
      [order.id],
    );
    expect(refund.rows[0]?.payload.followUp).toEqual({
      kind: 'payment.refund',
      paymentId: outcome.paymentId,
    });
  });
});

import { simulatedUnitPrice } from '@mallhive/order-contracts';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpPeers } from '../../adapters/http/http-peers.ts';
import { quietLogger } from '../../adapters/http/testing/quiet-logger.ts';
import { startScriptedPeer } from '../../adapters/http/testing/scripted-peer.ts';
import type { InventoryPort } from '../../application/ports.ts';
import { DependencyUnavailableError } from '../../domain/errors.ts';
import type { TestServer } from '../../testing/test-server.ts';
import { orderBody, startTestServer, uniqueKey } from '../../testing/test-server.ts';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.stop();
});

const count = async (table: string) =>
  (await t.server.context.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))
    .rows[0]?.n;

describe('POST /api/v1/orders', () => {
  it('places an order priced by the product side: 201 with Location and ETag', async () => {
    const response = await t.placeOrder({ items: [{ productId: 'sku-1', quantity: 3 }] });
    expect(response.statusCode).toBe(201);
    const order = response.json();
    const unitPrice = simulatedUnitPrice('sku-1', 'EUR');
    expect(order).toMatchObject({
      status: 'PENDING',
      currency: 'EUR',
      items: [{ productId: 'sku-1', quantity: 3, unitPrice, lineTotal: 3 * unitPrice }],
      subtotal: 3 * unitPrice,
      total: 3 * unitPrice,
      payment: null,
      shipment: null,
      version: 1,
    });
    expect(response.headers.location).toBe(`/api/v1/orders/${order.id}`);
    expect(response.headers.etag).toBe('"1"');
    const stored = await t.inject({ url: response.headers.location as string });
    expect(stored.json()).toEqual(order);
  });

  it('stores the order, its history and its follow-up work together', async () => {
    const response = await t.placeOrder();
    const { id } = response.json();
    const outbox = await t.server.context.db.query(
      'SELECT kind FROM outbox WHERE order_id = $1 ORDER BY kind',
      [id],
    );
    expect(outbox.rows.map((row) => row.kind)).toEqual([
      'analytics.record',
      'event.publish',
      'notification.send',
      'payment.initiate',
    ]);
  });

  it('requires an Idempotency-Key of 1–255 safe characters', async () => {
    const missing = await t.inject({
      method: 'POST',
      url: '/api/v1/orders',
      payload: orderBody(),
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.headers['content-type']).toContain('application/problem+json');
    expect(missing.json().code).toBe('idempotency_key_missing');

    const tooLong = await t.placeOrder({}, 'k'.repeat(256));
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().code).toBe('validation_failed');
  });

  it('lists every problem of a malformed body and stores nothing', async () => {
    const before = await count('orders');
    const response = await t.inject({
      method: 'POST',
      url: '/api/v1/orders',
      headers: { 'idempotency-key': uniqueKey() },
      payload: {
        ...orderBody(),
        currency: 'euro',
        items: [{ productId: 'a', quantity: '2' }],
        customerEmail: 'not-an-email',
        price: 1,
      },
    });
    expect(response.statusCode).toBe(400);
    const problem = response.json();
    expect(problem.code).toBe('validation_failed');
    const paths = problem.errors.map((error: { path: string }) => error.path);
    expect(paths).toEqual(
      expect.arrayContaining(['/currency', '/items/0/quantity', '/customerEmail', '/']),
    );
    expect(problem.errors).toContainEqual(expect.objectContaining({ property: 'price' }));
    expect(await count('orders')).toBe(before);
  });

  it.each([
    ['no items', { items: [] }],
    [
      '101 items',
      { items: Array.from({ length: 101 }, (_, i) => ({ productId: `p${i}`, quantity: 1 })) },
    ],
    ['quantity 0', { items: [{ productId: 'a', quantity: 0 }] }],
    ['quantity 1000', { items: [{ productId: 'a', quantity: 1000 }] }],
    ['fractional quantity', { items: [{ productId: 'a', quantity: 1.5 }] }],
    [
      'a repeated product',
      {
        items: [
          { productId: 'a', quantity: 1 },
          { productId: 'a', quantity: 2 },
        ],
      },
    ],
    ['an empty userId', { userId: '' }],
    [
      'a lowercase country',
      { shippingAddress: { name: 'A', line1: 'B', city: 'C', postalCode: 'D', country: 'gb' } },
    ],
  ])('refuses %s with 400 validation_failed', async (_case, override) => {
    const response = await t.inject({
      method: 'POST',
      url: '/api/v1/orders',
      headers: { 'idempotency-key': uniqueKey() },
      payload: orderBody(override as never),
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('validation_failed');
  });

  it('refuses a body over 1 MiB with 413 and other content types with 415', async () => {
    const big = await t.inject({
      method: 'POST',
      url: '/api/v1/orders',
      headers: { 'idempotency-key': uniqueKey(), 'content-type': 'application/json' },
      payload: JSON.stringify({ ...orderBody(), padding: 'x'.repeat(1024 * 1024) }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe('payload_too_large');

    const text = await t.inject({
      method: 'POST',
      url: '/api/v1/orders',
      headers: { 'idempotency-key': uniqueKey(), 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(text.statusCode).toBe(415);
    expect(text.json().code).toBe('unsupported_media_type');
  });

  it('answers 409 insufficient_stock naming the items, and stores nothing', async () => {
    const before = await count('orders');
    const response = await t.placeOrder({
      items: [
        { productId: 'sku-ok', quantity: 1 },
        { productId: 'oos-lamp', quantity: 2 },
      ],
    });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({
      code: 'insufficient_stock',
      items: [{ productId: 'oos-lamp', requested: 2 }],
    });
    expect(await count('orders')).toBe(before);
  });

  it('answers 422 unknown_product for products that do not exist', async () => {
    const response = await t.placeOrder({ items: [{ productId: 'unknown-thing', quantity: 1 }] });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toMatchObject({
      code: 'unknown_product',
      productIds: ['unknown-thing'],
    });
  });

  it('lets a client retry with the same key after a failure (only a 201 is remembered)', async () => {
    const key = uniqueKey();
    const failed = await t.placeOrder({ items: [{ productId: 'oos-x', quantity: 1 }] }, key);
    expect(failed.statusCode).toBe(409);
    const retried = await t.placeOrder({ items: [{ productId: 'oos-x', quantity: 1 }] }, key);
    expect(retried.statusCode).toBe(409);
    expect(retried.json().code).toBe('insufficient_stock');
  });
});

describe('idempotency', () => {
  it('replays the first response verbatim for the same key and body, reserving nothing again', async () => {
    const key = uniqueKey();
    const first = await t.placeOrder({}, key);
    const reservationsBefore = t.peers.inventory.reservations.size;
    const again = await t.placeOrder({}, key);
    expect(again.statusCode).toBe(201);
    expect(again.body).toBe(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.headers.location).toBe(first.headers.location);
    expect(t.peers.inventory.reservations.size).toBe(reservationsBefore);
  });

  it('refuses the same key with a different body: 422 idempotency_key_reused', async () => {
    const key = uniqueKey();
    await t.placeOrder({}, key);
    const different = await t.placeOrder({ items: [{ productId: 'sku-other', quantity: 1 }] }, key);
    expect(different.statusCode).toBe(422);
    expect(different.json().code).toBe('idempotency_key_reused');
  });

  it('creates exactly one order from twenty concurrent identical requests', async () => {
    const key = uniqueKey();
    const userId = `concurrent-${key}`;
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => t.placeOrder({ userId }, key)),
    );
    const statuses = responses.map((response) => response.statusCode);
    expect(statuses.every((status) => status === 201 || status === 409)).toBe(true);
    const created = responses.filter((response) => response.statusCode === 201);
    expect(new Set(created.map((response) => response.json().id)).size).toBe(1);
    for (const conflict of responses.filter((response) => response.statusCode === 409)) {
      expect(conflict.json().code).toBe('idempotency_request_in_progress');
    }
    const stored = await t.server.context.db.query(
      'SELECT count(*)::int AS n FROM orders WHERE user_id = $1',
      [userId],
    );
    expect(stored.rows[0]?.n).toBe(1);
  });
});

describe('GET /api/v1/orders/{id}', () => {
  it('answers 404 order_not_found for an unknown id and 400 for a malformed one', async () => {
    const unknown = await t.inject({
      url: '/api/v1/orders/00000000-0000-4000-8000-000000000000',
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('order_not_found');
    const malformed = await t.inject({ url: '/api/v1/orders/not-a-uuid' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('validation_failed');
  });
});

describe('order commands', () => {
  const command = (
    id: string,
    path: string,
    payload?: object,
    headers: Record<string, string> = {},
  ) =>
    t.inject({
      method: 'POST',
      url: `/api/v1/orders/${id}/${path}`,
      headers,
      ...(payload ? { payload } : {}),
    });

  async function paidOrder() {
    const { id } = (await t.placeOrder()).json();
    const order = (await t.inject({ url: `/api/v1/orders/${id}` })).json();
    const { applyPaymentOutcome } = await import('../../application/payment-results.ts');
    await applyPaymentOutcome(t.server.context, {
      paymentId: 'pay-1',
      orderId: id,
      status: 'succeeded',
      amount: order.total,
      currency: 'EUR',
    });
    return id as string;
  }

  it('move a paid order through fulfilment, shipment and delivery, each with a new ETag', async () => {
    const id = await paidOrder();
    const fulfilling = await command(id, 'fulfilment');
    expect(fulfilling.statusCode).toBe(200);
    expect(fulfilling.json().status).toBe('FULFILLING');
    expect(fulfilling.headers.etag).toBe('"3"');

    const shipped = await command(
      id,
      'shipment',
      { carrier: 'DHL', trackingNumber: 'JD0001' },
      { 'if-match': '"3"' },
    );
    expect(shipped.json()).toMatchObject({
      status: 'SHIPPED',
      shipment: { carrier: 'DHL', trackingNumber: 'JD0001' },
    });

    const delivered = await command(id, 'delivery');
    expect(delivered.json().status).toBe('DELIVERED');
    expect(delivered.json().statusHistory.map((change: { to: string }) => change.to)).toEqual([
      'PENDING',
      'PAID',
      'FULFILLING',
      'SHIPPED',
      'DELIVERED',
    ]);
  });

  it('refuse an illegal step with 409 invalid_transition and change nothing', async () => {
    const { id } = (await t.placeOrder()).json();
    const response = await command(id, 'shipment', { carrier: 'DHL', trackingNumber: 'X' });
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe('invalid_transition');
    const order = (await t.inject({ url: `/api/v1/orders/${id}` })).json();
    expect(order).toMatchObject({ status: 'PENDING', version: 1 });
  });

  it('refuse a stale If-Match with 412 version_conflict', async () => {
    const { id } = (await t.placeOrder()).json();
    const response = await command(id, 'cancel', { reason: 'late' }, { 'if-match': '"7"' });
    expect(response.statusCode).toBe(412);
    expect(response.json().code).toBe('version_conflict');
  });

  it('check in the promised order: 400 malformed, then 404, then 412, then 409', async () => {
    const { id } = (await t.placeOrder()).json();
    const unknownId = '00000000-0000-4000-8000-00000000abcd';
    expect((await command(id, 'cancel', { reason: '' }, { 'if-match': '"9"' })).statusCode).toBe(
      400,
    );
    expect(
      (
        await command(
          unknownId,
          'shipment',
          { carrier: 'A', trackingNumber: 'B' },
          { 'if-match': '"9"' },
        )
      ).statusCode,
    ).toBe(404);
    expect(
      (await command(id, 'shipment', { carrier: 'A', trackingNumber: 'B' }, { 'if-match': '"9"' }))
        .statusCode,
    ).toBe(412);
    expect(
      (await command(id, 'shipment', { carrier: 'A', trackingNumber: 'B' }, { 'if-match': '"1"' }))
        .statusCode,
    ).toBe(409);
  });

  it('let exactly one of two racing commands win, losing no update', async () => {
    const id = await paidOrder();
    const [cancel, fulfil] = await Promise.all([
      command(id, 'cancel', { reason: 'race' }),
      command(id, 'fulfilment'),
    ]);
    const statuses = [cancel.statusCode, fulfil.statusCode].sort();
    // Either the cancel wins (fulfilment is then illegal) or fulfilment wins and the cancel applies after it.
    const order = (await t.inject({ url: `/api/v1/orders/${id}` })).json();
    const history = order.statusHistory.map((change: { to: string }) => change.to);
    if (statuses.includes(409)) {
      expect(statuses).toEqual([200, 409]);
      expect(history.slice(2)).toHaveLength(1);
    } else {
      expect(history.slice(2)).toEqual(['FULFILLING', 'CANCELLED']);
    }
    expect(order.version).toBe(history.length);
  });

  it('let exactly one of two racing cancels win; the other is refused', async () => {
    const { id } = (await t.placeOrder()).json();
    const responses = await Promise.all([
      command(id, 'cancel', { reason: 'a' }),
      command(id, 'cancel', { reason: 'b' }),
    ]);
    expect(responses.map((response) => response.statusCode).sort()).toEqual([200, 409]);
  });

  it('cancelling releases the stock and, for a paid order, asks for a refund — both through the outbox', async () => {
    const id = await paidOrder();
    await command(id, 'cancel', { reason: 'customer request' });
    const outbox = await t.server.context.db.query(
      `SELECT kind, payload->'followUp' AS follow_up FROM outbox WHERE order_id = $1 AND payload->'event'->>'type' = 'cancelled'`,
      [id],
    );
    const kinds = outbox.rows.map((row) => row.kind);
    expect(kinds).toEqual(expect.arrayContaining(['stock.release', 'payment.refund']));
  });
});

describe('when storing fails after the stock was reserved', () => {
  it('releases the reservation and the key, answers 500, and stores nothing', async () => {
    const released: string[] = [];
    const broken = await startTestServer({
      overrides: {
        peers: {
          inventory: {
            // A price no order total can hold: placing the order fails after the reservation.
            reserve: async (request) => ({
              lines: request.items.map((item) => ({ ...item, unitPrice: Number.MAX_SAFE_INTEGER })),
            }),
            commit: async () => undefined,
            release: async (orderId) => {
              released.push(orderId);
            },
          },
        },
      },
    });
    try {
      const key = uniqueKey();
      const response = await broken.placeOrder(
        { items: [{ productId: 'sku-1', quantity: 2 }] },
        key,
      );
      expect(response.statusCode).toBe(500);
      expect(response.json().code).toBe('internal_error');
      expect(released).toHaveLength(1);
      const stored = await broken.server.context.db.query('SELECT count(*)::int AS n FROM orders');
      expect(stored.rows[0]?.n).toBe(0);
      // The key is free again: a retry is processed, not refused as in progress.
      const retry = await broken.placeOrder({ items: [{ productId: 'sku-1', quantity: 2 }] }, key);
      expect(retry.json().code).toBe('internal_error');
      expect(released).toHaveLength(2);
    } finally {
      await broken.stop();
    }
  });
});

describe('when the product side is down', () => {
  it('answers 503 dependency_unavailable with Retry-After and stores nothing', async () => {
    const down = await startTestServer({
      overrides: {
        peers: {
          inventory: {
            reserve: async () => {
              throw new DependencyUnavailableError('product', 7);
            },
            commit: async () => undefined,
            release: async () => undefined,
          },
        },
      },
    });
    try {
      const response = await down.placeOrder();
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('7');
      expect(response.json().code).toBe('dependency_unavailable');
      const stored = await down.server.context.db.query('SELECT count(*)::int AS n FROM orders');
      expect(stored.rows[0]?.n).toBe(0);
    } finally {
      await down.stop();
    }
  });
});

describe('when the product side answers outside its contract', () => {
  /** Places an order against `inventory` and returns the answer and how many orders were stored. */
  async function placeWith(inventory: InventoryPort) {
    const server = await startTestServer({ overrides: { peers: { inventory } } });
    try {
      const response = await server.placeOrder({ items: [{ productId: 'sku-1', quantity: 1 }] });
      const stored = await server.server.context.db.query('SELECT count(*)::int AS n FROM orders');
      return { status: response.statusCode, body: response.json(), stored: stored.rows[0]?.n };
    } finally {
      await server.stop();
    }
  }

  it('answers 502 dependency_contract_violation whether the adapter or the use case notices', async () => {
    // The HTTP adapter notices: the reservation's body breaks the schema of the contract.
    const product = await startScriptedPeer();
    product.answer({ status: 201, body: { orderId: 'x', status: 'reserved', lines: [{}] } });
    const http = createHttpPeers(
      {
        kind: 'http',
        productUrl: product.url,
        paymentUrl: product.url,
        notificationUrl: product.url,
        analyticsUrl: product.url,
        analyticsApiKey: { value: 'unused' },
        timeoutMs: 500,
      },
      { registry: new Registry(), logger: quietLogger, analyticsApiKey: 'unused' },
    );
    let fromAdapter;
    try {
      fromAdapter = await placeWith(http.inventory);
    } finally {
      await http.close();
      await product.close();
    }

    // The use case notices: a well-formed reservation that leaves out the product asked for.
    const fromUseCase = await placeWith({
      reserve: async () => ({ lines: [{ productId: 'sku-other', quantity: 1, unitPrice: 100 }] }),
      commit: async () => undefined,
      release: async () => undefined,
    });

    for (const outcome of [fromAdapter, fromUseCase]) {
      expect(outcome).toMatchObject({
        status: 502,
        body: { code: 'dependency_contract_violation', dependency: 'product' },
        stored: 0,
      });
    }
    expect(fromAdapter.body.detail).toBe(fromUseCase.body.detail);
  });
});

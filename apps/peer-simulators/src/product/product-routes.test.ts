import { afterEach, describe, expect, it } from 'vitest';
import { buildSimulatorApp, type SimulatorApp } from '../app.ts';
import { simulatedUnitPrice } from '@mallhive/order-contracts';

let app: SimulatorApp;
afterEach(() => app.close());

function reserve(body: unknown) {
  return app.inject({ method: 'POST', url: '/api/v1/reservations', payload: body as object });
}

describe('product simulator: stock reservations', () => {
  it('reserves stock and prices each line from the catalogue, in minor units', async () => {
    app = buildSimulatorApp();
    const response = await reserve({
      orderId: 'order-1',
      currency: 'EUR',
      items: [{ productId: 'sku-1', quantity: 2 }],
    });
    expect(response.statusCode).toBe(201);
    const body = response.json<{ status: string; lines: unknown[]; expiresAt: string }>();
    expect(body.status).toBe('reserved');
    expect(body.lines).toEqual([
      { productId: 'sku-1', quantity: 2, unitPrice: simulatedUnitPrice('sku-1', 'EUR') },
    ]);
    expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now());
  });

  it('answers a repeated reservation for the same order with the first one (200), reserving nothing more', async () => {
    app = buildSimulatorApp();
    const request = {
      orderId: 'order-2',
      currency: 'EUR',
      items: [{ productId: 'sku-2', quantity: 3 }],
    };
    const first = await reserve(request);
    const second = await reserve(request);
    expect(second.statusCode).toBe(200);
    expect(second.json()).toEqual(first.json());
    const reservations = (await app.inject('/admin/reservations')).json<unknown[]>();
    expect(reservations).toHaveLength(1);
  });

  it('refuses out-of-stock items with 409 naming each item, and unknown products with 422', async () => {
    app = buildSimulatorApp();
    const outOfStock = await reserve({
      orderId: 'order-3',
      currency: 'EUR',
      items: [
        { productId: 'sku-3', quantity: 1 },
        { productId: 'oos-lamp', quantity: 2 },
      ],
    });
    expect(outOfStock.statusCode).toBe(409);
    expect(outOfStock.json()).toMatchObject({
      code: 'insufficient_stock',
      items: [{ productId: 'oos-lamp', requested: 2, available: 0 }],
    });

    const unknown = await reserve({
      orderId: 'order-4',
      currency: 'EUR',
      items: [{ productId: 'unknown-1', quantity: 1 }],
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json()).toMatchObject({ code: 'unknown_product', productIds: ['unknown-1'] });
  });

  it('refuses a second reservation for the same order with different items', async () => {
    app = buildSimulatorApp();
    await reserve({
      orderId: 'order-5',
      currency: 'EUR',
      items: [{ productId: 'a', quantity: 1 }],
    });
    const other = await reserve({
      orderId: 'order-5',
      currency: 'EUR',
      items: [{ productId: 'a', quantity: 2 }],
    });
    expect(other.statusCode).toBe(409);
    expect(other.json()).toMatchObject({ code: 'reservation_mismatch' });
  });

  it('commits and releases idempotently; release also returns committed stock', async () => {
    app = buildSimulatorApp();
    await reserve({
      orderId: 'order-6',
      currency: 'EUR',
      items: [{ productId: 'b', quantity: 5 }],
    });
    for (let i = 0; i < 2; i += 1) {
      const commit = await app.inject({
        method: 'POST',
        url: '/api/v1/reservations/order-6/commit',
      });
      expect(commit.statusCode).toBe(200);
      expect(commit.json()).toMatchObject({ status: 'committed' });
    }
    for (let i = 0; i < 2; i += 1) {
      const release = await app.inject({
        method: 'POST',
        url: '/api/v1/reservations/order-6/release',
      });
      expect(release.statusCode).toBe(200);
      expect(release.json()).toMatchObject({ status: 'released' });
    }
    const commitAfterRelease = await app.inject({
      method: 'POST',
      url: '/api/v1/reservations/order-6/commit',
    });
    expect(commitAfterRelease.statusCode).toBe(409);
    expect(commitAfterRelease.json()).toMatchObject({ code: 'reservation_released' });
  });

  it('answers 404 for commit or release of an order that reserved nothing', async () => {
    app = buildSimulatorApp();
    for (const step of ['commit', 'release']) {
      const response = await app.inject({
        method: 'POST',
        url: `/api/v1/reservations/none/${step}`,
      });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ code: 'reservation_not_found' });
    }
  });

  it('lets a reservation expire after its TTL: the stock returns and commit is refused', async () => {
    app = buildSimulatorApp({ reservationTtlMs: 30 });
    await reserve({
      orderId: 'order-7',
      currency: 'EUR',
      items: [{ productId: 'c', quantity: 1 }],
    });
    await new Promise((resolve) => setTimeout(resolve, 60));
    const commit = await app.inject({ method: 'POST', url: '/api/v1/reservations/order-7/commit' });
    expect(commit.statusCode).toBe(409);
    expect(commit.json()).toMatchObject({ code: 'reservation_expired' });
  });

  it('validates the request body', async () => {
    app = buildSimulatorApp();
    const response = await reserve({ orderId: 'order-8', currency: 'euro', items: [] });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'validation_failed' });
  });
});

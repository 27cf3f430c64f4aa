import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedInventory } from '../../adapters/simulated/simulated-inventory.ts';
import type { TestServer } from '../../testing/test-server.ts';
import { orderBody, startTestServer } from '../../testing/test-server.ts';
import { routePaths } from '@mallhive/order-contracts';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.stop();
});

describe('operations endpoints', () => {
  it('/healthz says the process is alive; /readyz that the database is reachable and migrated', async () => {
    expect((await t.inject({ url: routePaths.health })).json()).toEqual({
      status: 'ok',
    });
    const ready = await t.inject({ url: routePaths.readiness });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({
      status: 'ready',
      migrations: 'applied',
      outbox: { backlog: 0 },
    });
  });

  it('/metrics exposes the series that dashboards and alerts use', async () => {
    await t.placeOrder();
    await t.inject({ url: '/api/v1/orders/00000000-0000-4000-8000-000000000000' });
    const metrics = await t.server.metricsApp.inject({ url: routePaths.metrics });
    expect(metrics.headers['content-type']).toContain('text/plain');
    for (const series of [
      'http_request_duration_seconds_bucket{le="0.005",method="POST",route="/api/v1/orders",status_code="201"}',
      'http_request_duration_seconds_count{method="GET",route="/api/v1/orders/:id",status_code="404"}',
      'order_service_orders_created_total 1',
      'order_service_outbox_backlog 4',
      'order_service_outbox_oldest_age_seconds',
      'order_service_outbox_dead 0',
      'order_service_orders_awaiting_payment_overdue 0',
      'order_service_db_pool_in_use',
      'order_service_db_pool_waiting',
      'order_service_db_pool_max 10',
      'process_cpu_seconds_total',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(metrics.body).toContain(series);
    }
  });

  it('serves the OpenAPI document generated from the route schemas, and Swagger UI', async () => {
    const document = (await t.inject({ url: routePaths.openapi })).json();
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/orders',
        '/api/v1/orders/{id}',
        '/api/v1/orders/{id}/cancel',
        '/api/v1/orders/{id}/fulfilment',
        '/api/v1/orders/{id}/shipment',
        '/api/v1/orders/{id}/delivery',
        '/api/v1/users/{userId}/orders',
        '/api/v1/payments/callback',
      ]),
    );
    expect(
      document.paths['/api/v1/orders'].post.requestBody.content['application/json'].schema.required,
    ).toEqual(
      expect.arrayContaining(['userId', 'currency', 'items', 'customerEmail', 'shippingAddress']),
    );
    const ui = await t.inject({ url: `${routePaths.docs}/` });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toContain('swagger');
  });

  it('echoes the caller’s x-request-id, or makes one up', async () => {
    const given = await t.inject({
      url: routePaths.health,
      headers: { 'x-request-id': 'checkout-42' },
    });
    expect(given.headers['x-request-id']).toBe('checkout-42');
    const made = await t.inject({ url: routePaths.health });
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers unknown routes with a problem document', async () => {
    const response = await t.inject({ url: '/api/v1/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().code).toBe('route_not_found');
  });
});

describe('during shutdown', () => {
  it('lets a handler whose client hung up finish before the database closes', async () => {
    // A product side that takes its time, and says when the handler has reached it.
    const inventory = new SimulatedInventory();
    let reached: () => void = () => undefined;
    const handlerRunning = new Promise<void>((resolve) => (reached = resolve));
    const slow = await startTestServer({
      overrides: {
        peers: {
          inventory: {
            reserve: async (request) => {
              reached();
              await sleep(400);
              return inventory.reserve(request);
            },
            commit: (orderId) => inventory.commit(orderId),
            release: (orderId) => inventory.release(orderId),
          },
        },
      },
    });
    const address = await slow.server.app.listen({ port: 0, host: '127.0.0.1' });
    const aborted = new AbortController();
    const request = fetch(`${address}/api/v1/orders`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'idempotency-key': 'hung-up',
        authorization: `Bearer ${await slow.issuer.customer('hangs-up')}`,
      },
      body: JSON.stringify(orderBody({ userId: 'hangs-up' })),
      signal: aborted.signal,
    }).catch(() => 'aborted');
    await handlerRunning;
    aborted.abort();
    expect(await request).toBe('aborted');

    await slow.server.stop();
    const client = new pg.Client({ connectionString: slow.database.url });
    await client.connect();
    try {
      const stored = await client.query(
        `SELECT count(*)::int AS n FROM orders WHERE user_id = 'hangs-up'`,
      );
      expect(stored.rows[0]?.n).toBe(1);
    } finally {
      await client.end();
      await slow.database.drop();
    }
  });

  it('/readyz fails at once, so the load balancer stops sending traffic', async () => {
    const closing = await startTestServer();
    const stopping = closing.server.stop();
    const ready = await closing.server.app.inject({ url: routePaths.readiness });
    expect(ready.statusCode).toBe(503);
    await stopping;
    await closing.database.drop();
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { buildSimulatorApp, type SimulatorApp } from '../app.ts';

let app: SimulatorApp;
afterEach(() => app.close());

const reserve = (headers: Record<string, string> = {}, orderId = 'o-1') =>
  app.inject({
    method: 'POST',
    url: '/api/v1/reservations',
    headers,
    payload: { orderId, currency: 'EUR', items: [{ productId: 'p', quantity: 1 }] },
  });

describe('failure injection', () => {
  it('fails one request on demand through its own headers, with Retry-After', async () => {
    app = buildSimulatorApp();
    const failed = await reserve({ 'x-sim-fail': '503', 'x-sim-retry-after': '2' });
    expect(failed.statusCode).toBe(503);
    expect(failed.headers['retry-after']).toBe('2');
    expect((await reserve()).statusCode).toBe(201);
  });

  it('delays one request through x-sim-latency-ms', async () => {
    app = buildSimulatorApp();
    const started = Date.now();
    expect((await reserve({ 'x-sim-latency-ms': '80' })).statusCode).toBe(201);
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
  });

  it('fails the next `count` requests of one peer only, then recovers by itself', async () => {
    app = buildSimulatorApp();
    const plan = await app.inject({
      method: 'PUT',
      url: '/admin/faults/product',
      payload: { status: 429, retryAfterSeconds: 1, count: 2 },
    });
    expect(plan.json()).toMatchObject({ product: { status: 429, remaining: 2 } });

    const notification = await app.inject({
      method: 'POST',
      url: '/api/v1/notify/email',
      payload: { to: 'a@example.com', subject: 's', message: 'm' },
    });
    expect(notification.statusCode).toBe(201);
    expect((await reserve({}, 'a')).statusCode).toBe(429);
    expect((await reserve({}, 'b')).statusCode).toBe(429);
    expect((await reserve({}, 'c')).statusCode).toBe(201);
    expect((await app.inject('/admin/faults')).json()).toEqual({});
  });

  it('keeps a fault without count until it is cleared', async () => {
    app = buildSimulatorApp();
    await app.inject({ method: 'PUT', url: '/admin/faults/product', payload: { status: 500 } });
    for (const orderId of ['a', 'b', 'c'])
      expect((await reserve({}, orderId)).statusCode).toBe(500);
    await app.inject({ method: 'DELETE', url: '/admin/faults/product' });
    expect((await reserve({}, 'd')).statusCode).toBe(201);
  });

  it('hangs a `timeout` request until the caller gives up', async () => {
    app = buildSimulatorApp();
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    await app.inject({
      method: 'PUT',
      url: '/admin/faults/product',
      payload: { status: 'timeout' },
    });
    const call = fetch(`${address}/api/v1/reservations/o/release`, {
      method: 'POST',
      signal: AbortSignal.timeout(100),
    });
    await expect(call).rejects.toThrow(/timeout|aborted/i);
  });

  it('refuses a fault for a peer it does not simulate', async () => {
    app = buildSimulatorApp();
    const response = await app.inject({
      method: 'PUT',
      url: '/admin/faults/warehouse',
      payload: { status: 503 },
    });
    expect(response.statusCode).toBe(400);
  });
});

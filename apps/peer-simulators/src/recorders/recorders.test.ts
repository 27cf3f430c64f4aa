import { DEV_ANALYTICS_API_KEY } from '@mallhive/order-contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { buildSimulatorApp, type SimulatorApp } from '../app.ts';

let app: SimulatorApp;
afterEach(() => app.close());

const salesMetric = {
  user_id: 'u-1',
  event_type: 'sales_metric',
  event_subtype: 'order_placed',
  source_service: 'order-service',
  value: 12.5,
  metadata: { order_id: 'o-1' },
};

function postEvent(
  authorization = `Bearer ${DEV_ANALYTICS_API_KEY}`,
  payload: object = salesMetric,
) {
  return app.inject({ method: 'POST', url: '/events', headers: { authorization }, payload });
}

describe('notification simulator', () => {
  it('records each e-mail it is asked to send, readable under /admin/notifications', async () => {
    app = buildSimulatorApp();
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/notify/email',
      headers: { 'idempotency-key': 'n-1' },
      payload: { to: 'a@example.com', subject: 'Order placed', message: 'Thanks' },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ status: 'sent' });
    const emails = (await app.inject('/admin/notifications')).json();
    expect(emails).toMatchObject([
      { to: 'a@example.com', subject: 'Order placed', message: 'Thanks', idempotencyKey: 'n-1' },
    ]);
  });
});

describe('analytics simulator', () => {
  it('accepts a sales metric with the right key: 202 {event_id, status, timestamp}', async () => {
    app = buildSimulatorApp();
    const response = await postEvent();
    expect(response.statusCode).toBe(202);
    expect(response.json()).toMatchObject({ status: 'queued', event_id: expect.any(String) });
    expect((await app.inject('/admin/analytics')).json()).toMatchObject([{ body: salesMetric }]);
  });

  it('refuses a wrong key with 401 and a malformed event with 400, both as {error}', async () => {
    app = buildSimulatorApp();
    const unauthorised = await postEvent('Bearer wrong');
    expect(unauthorised.statusCode).toBe(401);
    expect(unauthorised.json()).toEqual({ error: expect.any(String) });
    const malformed = await postEvent(undefined, { ...salesMetric, event_type: 'other' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toEqual({ error: expect.any(String) });
  });

  it('rate-limits like the real service: after the burst, 429 with Retry-After', async () => {
    app = buildSimulatorApp({ analyticsRateLimit: { perSecond: 1, burst: 3 } });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await postEvent()).statusCode);
    expect(statuses).toEqual([202, 202, 202, 429]);
    const limited = await postEvent();
    expect(limited.headers['retry-after']).toBe('1');
    expect((await app.inject('/admin/analytics')).json()).toHaveLength(3);
  });
});

import { randomUUID } from 'node:crypto';
import {
  DEV_ANALYTICS_API_KEY,
  DEV_PAYMENT_CALLBACK_SECRET,
  isValidSignature,
} from '@mallhive/order-contracts';
import Fastify, { type FastifyInstance } from 'fastify';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSimulatorApp, type SimulatorApp } from '../app.ts';
import { responseValidator, webhookValidator, type ContractName } from './contract-documents.ts';

/**
 * The simulator answers exactly as docs/contracts/ say: every status it gives is documented for that
 * operation, and every JSON body matches the documented schema.
 */
function expectDocumented(
  contract: ContractName,
  path: string,
  method: 'get' | 'post',
  response: LightMyRequestResponse,
  expectedStatus: number,
): void {
  expect(response.statusCode).toBe(expectedStatus);
  const validate = responseValidator(contract, path, method, response.statusCode);
  if (!validate) return;
  const valid = validate(response.json());
  expect(validate.errors ?? [], `${method} ${path} ${response.statusCode}`).toEqual([]);
  expect(valid).toBe(true);
}

let app: SimulatorApp;
afterAll(() => app.close());
beforeAll(() => {
  app = buildSimulatorApp({
    paymentCallbackDelayMs: 10,
    analyticsRateLimit: { perSecond: 1, burst: 1 },
  });
});

describe('product simulator conforms to product-reservations.openapi.yaml', () => {
  const reserve = (orderId: string, productId: string, quantity = 1) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/reservations',
      payload: { orderId, currency: 'EUR', items: [{ productId, quantity }] },
    });
  const path = '/api/v1/reservations';

  it('documents every answer of reserve', async () => {
    expectDocumented('product', path, 'post', await reserve('c-1', 'sku-1'), 201);
    expectDocumented('product', path, 'post', await reserve('c-1', 'sku-1'), 200);
    expectDocumented('product', path, 'post', await reserve('c-1', 'sku-1', 2), 409);
    expectDocumented('product', path, 'post', await reserve('c-2', 'oos-1'), 409);
    expectDocumented('product', path, 'post', await reserve('c-3', 'unknown-1'), 422);
    expectDocumented('product', path, 'post', await reserve('c-4', ''), 400);
  });

  it('documents every answer of commit and release', async () => {
    await reserve('c-5', 'sku-5');
    const step = (orderId: string, name: 'commit' | 'release') =>
      app.inject({ method: 'POST', url: `/api/v1/reservations/${orderId}/${name}` });
    const commit = '/api/v1/reservations/{orderId}/commit';
    const release = '/api/v1/reservations/{orderId}/release';
    expectDocumented('product', commit, 'post', await step('c-5', 'commit'), 200);
    expectDocumented('product', release, 'post', await step('c-5', 'release'), 200);
    expectDocumented('product', commit, 'post', await step('c-5', 'commit'), 409);
    expectDocumented('product', commit, 'post', await step('none', 'commit'), 404);
    expectDocumented('product', release, 'post', await step('none', 'release'), 404);
  });

  it('documents injected failures', async () => {
    const failed = await app.inject({
      method: 'POST',
      url: '/api/v1/reservations/c-5/release',
      headers: { 'x-sim-fail': '503', 'x-sim-retry-after': '1' },
    });
    expectDocumented('product', '/api/v1/reservations/{orderId}/release', 'post', failed, 503);
  });
});

describe('payment simulator conforms to payments.openapi.yaml', () => {
  let receiver: FastifyInstance;
  const callbacks: { raw: string; signature: string }[] = [];
  let callbackUrl: string;

  beforeAll(async () => {
    receiver = Fastify();
    receiver.addContentTypeParser('application/json', { parseAs: 'string' }, (_r, body, done) =>
      done(null, body),
    );
    // The webhook's receiver is the order service's callback route (the simulator calls it through the
    // order service's client).
    receiver.post('/api/v1/payments/callback', async (request) => {
      callbacks.push({
        raw: request.body as string,
        signature: request.headers['mallhive-signature'] as string,
      });
      return {};
    });
    callbackUrl = `${await receiver.listen({ port: 0, host: '127.0.0.1' })}/api/v1/payments/callback`;
  });
  afterAll(() => receiver.close());

  // Order ids are UUIDs, as the order service sends them (the outcome's schema requires one).
  const orderIds = new Map<string, string>();
  const orderIdOf = (userId: string) => {
    if (!orderIds.has(userId)) orderIds.set(userId, randomUUID());
    return orderIds.get(userId) ?? '';
  };
  const initiate = (key: string | undefined, userId: string, amount = 500) =>
    app.inject({
      method: 'POST',
      url: '/api/v1/payments',
      headers: key === undefined ? {} : { 'idempotency-key': key },
      payload: { orderId: orderIdOf(userId), userId, amount, currency: 'EUR', callbackUrl },
    });

  it('documents every answer of initiate, verify and refund, and sends the documented webhook', async () => {
    const payments = '/api/v1/payments';
    const accepted = await initiate('k-1', 'u-1');
    expectDocumented('payment', payments, 'post', accepted, 202);
    expectDocumented('payment', payments, 'post', await initiate('k-1', 'u-1'), 202);
    expectDocumented('payment', payments, 'post', await initiate('k-1', 'u-1', 9), 422);
    expectDocumented('payment', payments, 'post', await initiate(undefined, 'u-1'), 400);

    const { paymentId } = accepted.json<{ paymentId: string }>();
    await expect.poll(() => callbacks.length).toBe(1);
    const [callback] = callbacks;
    const validOutcome = webhookValidator('payment', 'paymentOutcome');
    expect(validOutcome(JSON.parse(callback!.raw))).toBe(true);
    expect(callback!.signature).toMatch(/^t=\d+(,v1=[0-9a-f]{64})+$/);
    expect(
      isValidSignature(
        callback!.signature,
        callback!.raw,
        [DEV_PAYMENT_CALLBACK_SECRET],
        Math.floor(Date.now() / 1000),
      ),
    ).toBe(true);

    const payment = '/api/v1/payments/{paymentId}';
    expectDocumented(
      'payment',
      payment,
      'get',
      await app.inject(`/api/v1/payments/${paymentId}`),
      200,
    );
    expectDocumented('payment', payment, 'get', await app.inject('/api/v1/payments/nope'), 404);

    const refunds = '/api/v1/payments/{paymentId}/refunds';
    const refund = (id: string, key: string, amount: number, orderId = orderIdOf('u-1')) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/payments/${id}/refunds`,
        headers: { 'idempotency-key': key },
        payload: { orderId, amount, currency: 'EUR' },
      });
    expectDocumented('payment', refunds, 'post', await refund(paymentId, 'r-1', 200), 202);
    expectDocumented('payment', refunds, 'post', await refund(paymentId, 'r-2', 301), 422);
    expectDocumented('payment', refunds, 'post', await refund('nope', 'r-3', 1), 404);

    const lost = (await initiate('k-2', 'paylost-1')).json<{ paymentId: string }>();
    expectDocumented(
      'payment',
      refunds,
      'post',
      await refund(lost.paymentId, 'r-4', 1, orderIdOf('paylost-1')),
      409,
    );
  });
});

describe('notification and analytics simulators conform to their documents', () => {
  it('answers e-mails as documented', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/notify/email',
      payload: { to: 'a@example.com', subject: 's', message: 'm' },
    });
    expectDocumented('notification', '/api/v1/notify/email', 'post', response, 201);
  });

  it('answers events as documented, including refusals', async () => {
    const post = (authorization: string, payload: object) =>
      app.inject({ method: 'POST', url: '/events', headers: { authorization }, payload });
    const event = {
      user_id: 'u',
      event_type: 'sales_metric',
      event_subtype: 'order_paid',
      source_service: 'order-service',
      value: 1.5,
    };
    const key = `Bearer ${DEV_ANALYTICS_API_KEY}`;
    expectDocumented('analytics', '/events', 'post', await post(key, event), 202);
    expectDocumented('analytics', '/events', 'post', await post('Bearer x', event), 401);
    expectDocumented('analytics', '/events', 'post', await post(key, event), 429);
  });

  it('refuses a malformed event as documented', async () => {
    const fresh = buildSimulatorApp();
    const response = await fresh.inject({
      method: 'POST',
      url: '/events',
      headers: { authorization: `Bearer ${DEV_ANALYTICS_API_KEY}` },
      payload: { user_id: 'u' },
    });
    await fresh.close();
    expectDocumented('analytics', '/events', 'post', response, 400);
  });
});

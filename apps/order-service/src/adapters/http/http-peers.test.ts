import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Peers } from '../../application/ports.ts';
import { DependencyUnavailableError, OrderError, PeerContractError } from '../../domain/errors.ts';
import { createHttpPeers } from './http-peers.ts';
import { PeerRejectionError } from './peer-errors.ts';
import { quietLogger } from './testing/quiet-logger.ts';
import { startScriptedPeer, type ScriptedPeer } from './testing/scripted-peer.ts';

let peer: ScriptedPeer;
let peers: Peers & { close(): Promise<void> };

beforeEach(async () => {
  peer = await startScriptedPeer();
  peers = createHttpPeers(
    {
      kind: 'http',
      productUrl: peer.url,
      paymentUrl: peer.url,
      notificationUrl: peer.url,
      analyticsUrl: peer.url,
      analyticsApiKey: { value: 'unused: resolved by the caller' },
      timeoutMs: 500,
    },
    {
      registry: new Registry(),
      logger: quietLogger,
      analyticsApiKey: 'test-analytics-key',
      retry: { maxRetries: 1, initialDelayMs: 5, maxDelayMs: 10 },
    },
  );
});

afterEach(async () => {
  await peers.close();
  await peer.close();
});

async function rejection(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => expect.fail('expected the call to fail'),
    (error: unknown) => error,
  );
}

const reservationRequest = {
  orderId: '0b6f3c9e-2a51-4a8e-9a53-0f1d7d0c6a11',
  currency: 'EUR',
  items: [
    { productId: 'sku-1', quantity: 2 },
    { productId: 'sku-2', quantity: 1 },
  ],
};

describe('inventory over HTTP (product service)', () => {
  it('reserves with the order id as idempotency key and returns the unit prices', async () => {
    const lines = [
      { productId: 'sku-1', quantity: 2, unitPrice: 1250 },
      { productId: 'sku-2', quantity: 1, unitPrice: 999 },
    ];
    peer.answer({
      status: 201,
      body: { orderId: reservationRequest.orderId, status: 'reserved', lines, expiresAt: 'later' },
    });
    const reservation = await peers.inventory.reserve(reservationRequest);
    expect(reservation.lines).toEqual(lines);
    expect(peer.received[0]).toMatchObject({
      method: 'POST',
      url: '/api/v1/reservations',
      body: reservationRequest,
      headers: { 'idempotency-key': reservationRequest.orderId },
    });
  });

  it('turns 409 into insufficient_stock naming the items', async () => {
    const items = [{ productId: 'oos-1', requested: 2, available: 0 }];
    peer.answer({ status: 409, body: { code: 'insufficient_stock', message: 'no', items } });
    const error = await rejection(peers.inventory.reserve(reservationRequest));
    expect(error).toBeInstanceOf(OrderError);
    expect(error).toMatchObject({ code: 'insufficient_stock', details: { items } });
  });

  it('turns 422 into unknown_product naming the product ids', async () => {
    peer.answer({
      status: 422,
      body: { code: 'unknown_product', message: 'no', productIds: ['unknown-1'] },
    });
    const error = await rejection(peers.inventory.reserve(reservationRequest));
    expect(error).toMatchObject({
      code: 'unknown_product',
      details: { productIds: ['unknown-1'] },
    });
  });

  it('treats a 409 with another code as a refusal, not as missing stock', async () => {
    peer.answer({ status: 409, body: { code: 'reservation_mismatch', message: 'no' } });
    const error = await rejection(peers.inventory.reserve(reservationRequest));
    expect(error).toBeInstanceOf(PeerRejectionError);
    expect(error).toMatchObject({ status: 409, code: 'reservation_mismatch' });
  });

  it('reports an unavailable product service with the Retry-After it sent', async () => {
    peer.answer({ status: 503, headers: { 'retry-after': '7' } });
    const error = await rejection(peers.inventory.reserve(reservationRequest));
    expect(error).toBeInstanceOf(DependencyUnavailableError);
    expect(error).toMatchObject({ code: 'dependency_unavailable', retryAfterSeconds: 7 });
  });

  it('fails loudly when a reservation answer breaks the contract', async () => {
    peer.answer({ status: 201, body: { orderId: 'x', status: 'reserved', lines: [{}] } });
    expect(await rejection(peers.inventory.reserve(reservationRequest))).toBeInstanceOf(
      PeerContractError,
    );
  });

  it('commits and releases by order id; releasing what was never reserved is fine', async () => {
    peer.answer({ status: 200, body: { orderId: 'o-1', status: 'committed' } });
    await peers.inventory.commit('o-1');
    peer.answer({ status: 404, body: { code: 'reservation_not_found', message: 'none' } });
    await peers.inventory.release('o-1');
    expect(
      peer.received.map((r) => `${r.method} ${r.url} ${String(r.headers['idempotency-key'])}`),
    ).toEqual([
      'POST /api/v1/reservations/o-1/commit o-1',
      'POST /api/v1/reservations/o-1/release o-1',
    ]);
  });

  it('refuses to pretend a commit happened when the reservation expired', async () => {
    peer.answer({ status: 409, body: { code: 'reservation_expired', message: 'too late' } });
    const error = await rejection(peers.inventory.commit('o-1'));
    expect(error).toMatchObject({ peer: 'product', code: 'reservation_expired' });
  });
});

describe('payments over HTTP (payment service)', () => {
  it('initiates with amount in minor units, callback URL and the caller’s idempotency key', async () => {
    peer.answer({ status: 202, body: { paymentId: 'pay_1', status: 'pending' } });
    const result = await peers.payments.initiate({
      orderId: 'o-1',
      userId: 'u-1',
      amount: { amount: 2599, currency: 'EUR' },
      callbackUrl: 'https://order.internal/api/v1/payments/callback',
      idempotencyKey: 'outbox-42',
    });
    expect(result).toEqual({ paymentId: 'pay_1' });
    expect(peer.received[0]).toMatchObject({
      url: '/api/v1/payments',
      headers: { 'idempotency-key': 'outbox-42' },
      body: {
        orderId: 'o-1',
        userId: 'u-1',
        amount: 2599,
        currency: 'EUR',
        callbackUrl: 'https://order.internal/api/v1/payments/callback',
      },
    });
  });

  it('verifies a payment by id, retrying a failed GET', async () => {
    peer.answer((_request, index) =>
      index === 0
        ? { status: 502 }
        : {
            status: 200,
            body: {
              paymentId: 'pay_1',
              orderId: 'o-1',
              status: 'failed',
              amount: 2599,
              currency: 'EUR',
              failureReason: 'card_declined',
            },
          },
    );
    expect(await peers.payments.verify('pay_1')).toEqual({
      paymentId: 'pay_1',
      orderId: 'o-1',
      status: 'failed',
      amount: { amount: 2599, currency: 'EUR' },
      failureReason: 'card_declined',
    });
    expect(peer.received.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /api/v1/payments/pay_1',
      'GET /api/v1/payments/pay_1',
    ]);
  });

  it('reports a payment the payment service does not know (404 payment_not_found) as unknown', async () => {
    peer.answer({
      status: 404,
      body: { code: 'payment_not_found', message: 'No payment has this id.' },
    });
    expect(await peers.payments.verify('pay_gone')).toBeUndefined();
  });

  it('treats a 404 without that code as a refusal, not as an unknown payment', async () => {
    peer.answer({ status: 404, body: { error: 'no route' } });
    expect(await rejection(peers.payments.verify('pay_1'))).toBeInstanceOf(PeerRejectionError);
  });

  it('requests a refund with its idempotency key', async () => {
    peer.answer({ status: 202, body: { refundId: 'ref_1', status: 'pending' } });
    const result = await peers.payments.refund({
      paymentId: 'pay_1',
      orderId: 'o-1',
      amount: { amount: 2599, currency: 'EUR' },
      idempotencyKey: 'outbox-43',
    });
    expect(result).toEqual({ refundId: 'ref_1' });
    expect(peer.received[0]).toMatchObject({
      url: '/api/v1/payments/pay_1/refunds',
      headers: { 'idempotency-key': 'outbox-43' },
      body: { orderId: 'o-1', amount: 2599, currency: 'EUR' },
    });
  });
});

describe('notifications over HTTP (notification service)', () => {
  it('posts {to, subject, message} and does not resend after an ambiguous failure', async () => {
    peer.answer({ status: 201, body: { status: 'sent' } });
    const email = { to: 'a@example.com', subject: 'Hi', message: 'Body', idempotencyKey: 'k-1' };
    await peers.notifications.sendEmail(email);
    expect(peer.received[0]).toMatchObject({
      url: '/api/v1/notify/email',
      body: { to: 'a@example.com', subject: 'Hi', message: 'Body' },
      headers: { 'idempotency-key': 'k-1' },
    });

    peer.answer({ status: 500 });
    expect(await rejection(peers.notifications.sendEmail(email))).toBeInstanceOf(
      DependencyUnavailableError,
    );
    expect(peer.received).toHaveLength(2);
  });
});

describe('analytics over HTTP (analytics service)', () => {
  const metric = {
    userId: 'u-1',
    eventSubtype: 'order_paid',
    value: 25.99,
    orderId: 'o-1',
    currency: 'EUR',
    idempotencyKey: 'outbox-44',
  };

  it('posts a sales_metric with the Bearer key in the service’s own shape', async () => {
    peer.answer({ status: 202, body: { event_id: 'e', status: 'queued', timestamp: 'now' } });
    await peers.analytics.record(metric);
    expect(peer.received[0]).toMatchObject({
      url: '/events',
      headers: { authorization: 'Bearer test-analytics-key' },
      body: {
        user_id: 'u-1',
        event_type: 'sales_metric',
        event_subtype: 'order_paid',
        source_service: 'order-service',
        value: 25.99,
        metadata: { order_id: 'o-1', currency: 'EUR', idempotency_key: 'outbox-44' },
      },
    });
  });

  it('backs off on 429 and succeeds once the rate limit allows', async () => {
    peer.answer((_request, index) =>
      index === 0
        ? { status: 429, headers: { 'retry-after': '0' }, body: { error: 'slow down' } }
        : { status: 202, body: {} },
    );
    await peers.analytics.record(metric);
    expect(peer.received).toHaveLength(2);
  });

  it('surfaces a refused API key as a rejection naming the peer', async () => {
    peer.answer({ status: 401, body: { error: 'invalid api key' } });
    const error = await rejection(peers.analytics.record(metric));
    expect(error).toBeInstanceOf(PeerRejectionError);
    expect(error).toMatchObject({ peer: 'analytics', status: 401 });
  });
});

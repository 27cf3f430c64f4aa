import { isValidSignature } from '@mallhive/order-contracts';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildSimulatorApp, type SimulatorApp } from '../app.ts';

const SECRET = 'test-callback-secret';

interface ReceivedCallback {
  readonly body: Record<string, unknown>;
  readonly validSignature: boolean;
}

let app: SimulatorApp;
let receiver: FastifyInstance;
let callbackUrl: string;
let received: ReceivedCallback[];
let receiverStatus: number;

beforeEach(async () => {
  received = [];
  receiverStatus = 200;
  receiver = Fastify();
  // Keep the raw body: the signature covers the exact bytes sent.
  receiver.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) =>
    done(null, body),
  );
  receiver.post('/api/v1/payments/callback', async (request, reply) => {
    const raw = request.body as string;
    received.push({
      body: JSON.parse(raw) as Record<string, unknown>,
      validSignature: isValidSignature(
        request.headers['mallhive-signature'] as string | undefined,
        raw,
        [SECRET],
        Math.floor(Date.now() / 1000),
      ),
    });
    return reply.code(receiverStatus).send({});
  });
  const address = await receiver.listen({ port: 0, host: '127.0.0.1' });
  callbackUrl = `${address}/api/v1/payments/callback`;
  app = buildSimulatorApp({ paymentCallbackSecret: SECRET, paymentCallbackDelayMs: 10 });
});

afterEach(async () => {
  await app.close();
  await receiver.close();
});

function initiate(userId: string, key = `key-${userId}`, amount = 1999) {
  return app.inject({
    method: 'POST',
    url: '/api/v1/payments',
    headers: { 'idempotency-key': key },
    payload: { orderId: `order-of-${userId}`, userId, amount, currency: 'EUR', callbackUrl },
  });
}

async function until<T>(
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('payment simulator', () => {
  it('accepts a payment (202 pending), then calls back signed with the success', async () => {
    const accepted = await initiate('alice');
    expect(accepted.statusCode).toBe(202);
    const { paymentId, status } = accepted.json<{ paymentId: string; status: string }>();
    expect(status).toBe('pending');

    const callback = await until(() => received[0]);
    expect(callback.validSignature).toBe(true);
    expect(callback.body).toEqual({
      paymentId,
      orderId: 'order-of-alice',
      status: 'succeeded',
      amount: 1999,
      currency: 'EUR',
    });
    const verified = await app.inject(`/api/v1/payments/${paymentId}`);
    expect(verified.json()).toMatchObject({ paymentId, status: 'succeeded', amount: 1999 });
  });

  it('fails payments of `payfail-` users and says why', async () => {
    await initiate('payfail-bob');
    const callback = await until(() => received[0]);
    expect(callback.body).toMatchObject({ status: 'failed', failureReason: 'card_declined' });
  });

  it('never decides payments of `paylost-` users: no callback, verify stays pending', async () => {
    const { paymentId } = (await initiate('paylost-carol')).json<{ paymentId: string }>();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received).toHaveLength(0);
    const verified = await app.inject(`/api/v1/payments/${paymentId}`);
    expect(verified.json()).toMatchObject({ status: 'pending' });
  });

  it('retries a callback the receiver did not accept', async () => {
    receiverStatus = 503;
    await initiate('dave');
    await until(() => received[0]);
    receiverStatus = 200;
    await until(() => received[1]);
    const attempts = await until(async () => {
      const [payment] = (await app.inject('/admin/payments')).json<
        { callbackAttempts: { status: number }[] }[]
      >();
      return payment?.callbackAttempts.length === 2 ? payment.callbackAttempts : undefined;
    });
    expect(attempts.map((attempt) => attempt.status)).toEqual([503, 200]);
  });

  it('treats a repeated Idempotency-Key as the same payment, and refuses it for another body', async () => {
    const first = await initiate('erin', 'same-key');
    const again = await initiate('erin', 'same-key');
    expect(again.statusCode).toBe(202);
    expect(again.json<{ paymentId: string }>().paymentId).toBe(
      first.json<{ paymentId: string }>().paymentId,
    );
    const other = await initiate('erin', 'same-key', 5);
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({ code: 'idempotency_key_reused' });

    const withoutKey = await app.inject({
      method: 'POST',
      url: '/api/v1/payments',
      payload: { orderId: 'o', userId: 'u', amount: 1, currency: 'EUR', callbackUrl },
    });
    expect(withoutKey.statusCode).toBe(400);
    expect(withoutKey.json()).toMatchObject({ code: 'idempotency_key_missing' });
  });

  it('refunds a succeeded payment once per key, never more than was paid', async () => {
    const { paymentId } = (await initiate('frank')).json<{ paymentId: string }>();
    await until(() => received[0]);
    const refund = (key: string, amount: number) =>
      app.inject({
        method: 'POST',
        url: `/api/v1/payments/${paymentId}/refunds`,
        headers: { 'idempotency-key': key },
        payload: { orderId: 'order-of-frank', amount, currency: 'EUR' },
      });
    const first = await refund('refund-1', 1999);
    expect(first.statusCode).toBe(202);
    const { refundId } = first.json<{ refundId: string }>();
    expect((await refund('refund-1', 1999)).json()).toMatchObject({ refundId });
    const more = await refund('refund-2', 1);
    expect(more.statusCode).toBe(422);
    expect(more.json()).toMatchObject({ code: 'refund_exceeds_payment' });
  });

  it('refuses to refund a payment that has not succeeded, and knows no unknown payment', async () => {
    const { paymentId } = (await initiate('paylost-gina')).json<{ paymentId: string }>();
    const refund = await app.inject({
      method: 'POST',
      url: `/api/v1/payments/${paymentId}/refunds`,
      headers: { 'idempotency-key': 'r' },
      payload: { orderId: 'order-of-paylost-gina', amount: 1, currency: 'EUR' },
    });
    expect(refund.statusCode).toBe(409);
    expect((await app.inject('/api/v1/payments/pay_nope')).statusCode).toBe(404);
  });

  it('calls back only the order service’s callback route, and records any other callbackUrl as failed', async () => {
    const accepted = await app.inject({
      method: 'POST',
      url: '/api/v1/payments',
      headers: { 'idempotency-key': 'key-elsewhere' },
      payload: {
        orderId: 'order-elsewhere',
        userId: 'bob',
        amount: 500,
        currency: 'EUR',
        callbackUrl: callbackUrl.replace('/api/v1/payments/callback', '/hooks/payments'),
      },
    });
    expect(accepted.statusCode).toBe(202);
    const attempts = await until(async () => {
      const [payment] = (await app.inject('/admin/payments')).json<
        { callbackAttempts: { status: number | string }[] }[]
      >();
      return payment?.callbackAttempts.length ? payment.callbackAttempts : undefined;
    });
    expect(attempts).toEqual([
      expect.objectContaining({ status: expect.stringContaining('/api/v1/payments/callback') }),
    ]);
    expect(received).toEqual([]);
  });
});

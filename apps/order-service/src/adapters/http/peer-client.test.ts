import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DependencyUnavailableError } from '../../domain/errors.ts';
import { PeerClient, type PeerClientOptions } from './peer-client.ts';
import { createPeerMetrics, type PeerMetrics } from './peer-metrics.ts';
import { quietLogger } from './testing/quiet-logger.ts';
import { startScriptedPeer, type ScriptedPeer } from './testing/scripted-peer.ts';

let peer: ScriptedPeer;
let registry: Registry;
let metrics: PeerMetrics;
let client: PeerClient | undefined;

beforeEach(async () => {
  peer = await startScriptedPeer();
  registry = new Registry();
  metrics = createPeerMetrics(registry);
});

afterEach(async () => {
  await client?.close();
  client = undefined;
  await peer.close();
});

function clientFor(options: Partial<PeerClientOptions> = {}): PeerClient {
  void client?.close();
  client = new PeerClient({
    peer: 'product',
    baseUrl: peer.url,
    timeoutMs: 500,
    metrics,
    logger: quietLogger,
    retry: { maxRetries: 2, initialDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 2_000 },
    breaker: { consecutiveFailures: 50, halfOpenAfterMs: 100 },
    ...options,
  });
  return client;
}

const idempotentPost = {
  operation: 'reserve',
  method: 'POST',
  path: '/api/v1/reservations',
  body: { orderId: 'o-1' },
  idempotencyKey: 'o-1',
  idempotent: true,
} as const;
const plainPost = { ...idempotentPost, operation: 'notify', idempotent: false } as const;

async function metricValue(name: string, labels: Record<string, string>): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const sample = (metric?.values ?? []).find((value) =>
    Object.entries(labels).every(([key, label]) => value.labels[key] === label),
  );
  return sample?.value ?? 0;
}

async function unavailable(call: Promise<unknown>): Promise<DependencyUnavailableError> {
  const error = await call.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(DependencyUnavailableError);
  return error as DependencyUnavailableError;
}

describe('PeerClient', () => {
  it('sends JSON with the Idempotency-Key and returns 2xx and 4xx answers as they are', async () => {
    peer.answer((_request, index) =>
      index === 0 ? { status: 201, body: { ok: true } } : { status: 409, body: { code: 'taken' } },
    );
    // A generous timeout: a retry after a slow first answer (a loaded machine) would see the 409.
    const created = await clientFor({ timeoutMs: 10_000 }).request(idempotentPost);
    expect(created).toMatchObject({ status: 201, body: { ok: true } });
    expect(peer.received[0]).toMatchObject({
      method: 'POST',
      url: '/api/v1/reservations',
      body: { orderId: 'o-1' },
      headers: { 'idempotency-key': 'o-1', 'content-type': 'application/json' },
    });
    const refused = await clientFor().request(idempotentPost);
    expect(refused).toMatchObject({ status: 409, body: { code: 'taken' } });
    expect(peer.received).toHaveLength(2);
  });

  it('keeps the path of a base URL that has one', async () => {
    await clientFor({ baseUrl: `${peer.url}/product/` }).request({
      ...idempotentPost,
      path: '/api/v1/reservations/o-1/commit',
    });
    expect(peer.received[0]?.url).toBe('/product/api/v1/reservations/o-1/commit');
  });

  it('gives up an attempt after the timeout and reports the peer unavailable', async () => {
    peer.answer({ status: 200, body: {}, delayMs: 1_000 });
    const started = Date.now();
    await unavailable(
      clientFor({ timeoutMs: 50, retry: { maxRetries: 0 } }).request(idempotentPost),
    );
    expect(Date.now() - started).toBeLessThan(500);
    expect(
      await metricValue('order_service_peer_requests_total', {
        peer: 'product',
        operation: 'reserve',
        outcome: 'timeout',
      }),
    ).toBe(1);
  });

  it('retries an idempotent call after a 5xx and returns the answer that finally came', async () => {
    peer.answer((_request, index) =>
      index < 2 ? { status: 503, body: {} } : { status: 200, body: { ok: true } },
    );
    const answer = await clientFor().request(idempotentPost);
    expect(answer.status).toBe(200);
    expect(peer.received).toHaveLength(3);
    expect(peer.received.every((r) => r.headers['idempotency-key'] === 'o-1')).toBe(true);
  });

  it('retries an idempotent call after a timeout', async () => {
    peer.answer((_request, index) =>
      index === 0 ? { status: 200, body: {}, delayMs: 300 } : { status: 200, body: { ok: 1 } },
    );
    const answer = await clientFor({ timeoutMs: 100 }).request(idempotentPost);
    expect(answer.body).toEqual({ ok: 1 });
    expect(peer.received).toHaveLength(2);
  });

  it('does not retry a non-idempotent call that may have been processed (5xx, timeout)', async () => {
    peer.answer({ status: 500, body: {} });
    await unavailable(clientFor().request(plainPost));
    expect(peer.received).toHaveLength(1);

    // The request must reach the peer before the client gives up on it (slack for a loaded machine).
    peer.answer({ status: 200, body: {}, delayMs: 2_000 });
    await unavailable(clientFor({ timeoutMs: 300 }).request(plainPost));
    expect(peer.received).toHaveLength(2);
  });

  it('retries even a non-idempotent call after a 429, which the peer did not process', async () => {
    peer.answer((_request, index) =>
      index === 0 ? { status: 429, body: {}, headers: { 'retry-after': '0' } } : { status: 202 },
    );
    expect((await clientFor().request(plainPost)).status).toBe(202);
    expect(peer.received).toHaveLength(2);
  });

  it('waits as long as Retry-After asks before trying again', async () => {
    peer.answer((_request, index) =>
      index === 0 ? { status: 503, headers: { 'retry-after': '1' } } : { status: 200, body: {} },
    );
    await clientFor().request(idempotentPost);
    const [first, second] = peer.received;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
  });

  it('hands a Retry-After longer than it may wait to the caller instead of waiting', async () => {
    peer.answer({ status: 503, headers: { 'retry-after': '30' } });
    const error = await unavailable(clientFor().request(idempotentPost));
    expect(error.retryAfterSeconds).toBe(30);
    expect(peer.received).toHaveLength(1);
  });

  it('reports a peer nobody listens on as unavailable, after retrying the connection', async () => {
    const closed = await startScriptedPeer();
    await closed.close();
    await unavailable(clientFor({ baseUrl: closed.url }).request(plainPost));
    expect(
      await metricValue('order_service_peer_requests_total', {
        peer: 'product',
        outcome: 'network_error',
      }),
    ).toBe(3);
  });

  it('opens the breaker after consecutive failures, fails fast, and closes it after a good trial call', async () => {
    peer.answer({ status: 500, body: {} });
    const breakerClient = clientFor({
      retry: { maxRetries: 0 },
      breaker: { consecutiveFailures: 2, halfOpenAfterMs: 150 },
    });
    await unavailable(breakerClient.request(idempotentPost));
    await unavailable(breakerClient.request(idempotentPost));
    expect(await metricValue('order_service_peer_circuit_open', { peer: 'product' })).toBe(1);

    const fastFailure = await unavailable(breakerClient.request(idempotentPost));
    expect(fastFailure.retryAfterSeconds).toBe(1);
    expect(peer.received).toHaveLength(2); // the open breaker did not call the peer
    expect(
      await metricValue('order_service_peer_requests_total', { outcome: 'circuit_open' }),
    ).toBe(1);

    peer.answer({ status: 200, body: { ok: true } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await breakerClient.request(idempotentPost)).status).toBe(200);
    expect(await metricValue('order_service_peer_circuit_open', { peer: 'product' })).toBe(0);
    expect((await breakerClient.request(idempotentPost)).status).toBe(200);
  });

  it('does not count 4xx answers or 429s against the breaker', async () => {
    peer.answer({ status: 429, headers: { 'retry-after': '0' } });
    const breakerClient = clientFor({
      retry: { maxRetries: 0 },
      breaker: { consecutiveFailures: 1, halfOpenAfterMs: 10_000 },
    });
    await unavailable(breakerClient.request(idempotentPost));
    peer.answer({ status: 422, body: {} });
    expect((await breakerClient.request(idempotentPost)).status).toBe(422);
    expect(await metricValue('order_service_peer_circuit_open', { peer: 'product' })).toBe(0);
  });

  it('bounds concurrent calls with the bulkhead and refuses calls beyond its queue', async () => {
    peer.answer({ status: 200, body: {}, delayMs: 100 });
    const bounded = clientFor({ maxConcurrent: 2, maxQueued: 1 });
    const results = await Promise.allSettled(
      Array.from({ length: 4 }, () => bounded.request(idempotentPost)),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    const [rejected] = results.filter((r) => r.status === 'rejected');
    expect(rejected?.reason).toBeInstanceOf(DependencyUnavailableError);
    expect(peer.maxConcurrent()).toBe(2);
    expect(
      await metricValue('order_service_peer_requests_total', { outcome: 'bulkhead_full' }),
    ).toBe(1);
  });

  it('records the duration and outcome of each attempt per peer and operation', async () => {
    peer.answer((_request, index) => (index === 0 ? { status: 502 } : { status: 200, body: {} }));
    await clientFor().request(idempotentPost);
    const labels = { peer: 'product', operation: 'reserve' };
    expect(
      await metricValue('order_service_peer_requests_total', {
        ...labels,
        outcome: 'server_error',
      }),
    ).toBe(1);
    expect(
      await metricValue('order_service_peer_requests_total', { ...labels, outcome: 'success' }),
    ).toBe(1);
    const text = await registry.metrics();
    expect(text).toMatch(
      /order_service_peer_request_duration_seconds_count\{peer="product",operation="reserve",outcome="success"\} 1/,
    );
  });
});

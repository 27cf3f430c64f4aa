import { setTimeout as sleep } from 'node:timers/promises';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { Scope } from '@mallhive/order-contracts';
import { authEnvironment, TestIssuer } from './test-issuer.ts';
import { loadConfig } from '../config/config.ts';
import type { EventPublisher } from '../application/ports.ts';
import type { CloudEvent } from '../events/cloud-event.ts';
import type { OrderServer, ServerOverrides } from '../server.ts';
import { createServer } from '../server.ts';
import type { TestDatabase } from '@mallhive/testing';
import type { FaultProxy } from './fault-proxy.ts';
import { startFaultProxy } from './fault-proxy.ts';
import { createTestDatabase } from './test-database.ts';

export interface TestServer {
  readonly server: OrderServer;
  readonly database: TestDatabase;
  /** The in-process peers (always simulated in these tests). */
  readonly peers: NonNullable<OrderServer['simulated']>;
  /** With `faultProxy: true`: the proxy every connection of the service goes through. */
  readonly proxy: FaultProxy | undefined;
  /** The identity provider the service trusts: a real JWKS on a loopback port. */
  readonly issuer: TestIssuer;
  /** A token of user-1 with every scope, for tests about something other than who may do what. */
  readonly operatorToken: string;
  /** `app.inject` with `Authorization: Bearer <token>` (the operator's unless given; `null`: none). */
  inject(options: InjectOptions & { token?: string | null }): Promise<LightMyRequestResponse>;
  /** Places an order as its customer (`orders/customer`, sub = body.userId). */
  placeOrder(body?: Partial<OrderRequestBody>, key?: string): Promise<LightMyRequestResponse>;
  stop(): Promise<void>;
}

export interface OrderRequestBody {
  userId: string;
  currency: string;
  items: { productId: string; quantity: number }[];
  customerEmail: string;
  shippingAddress: Record<string, string>;
}

let keys = 0;
export const uniqueKey = (prefix = 'test') => `${prefix}-${process.pid}-${Date.now()}-${++keys}`;

export function orderBody(overrides: Partial<OrderRequestBody> = {}): OrderRequestBody {
  return {
    userId: 'user-1',
    currency: 'EUR',
    items: [
      { productId: 'sku-apple', quantity: 2 },
      { productId: 'sku-pear', quantity: 1 },
    ],
    customerEmail: 'ada@example.com',
    shippingAddress: {
      name: 'Ada Lovelace',
      line1: '12 St James Square',
      city: 'London',
      postalCode: 'SW1Y 4JH',
      country: 'GB',
    },
    ...overrides,
  };
}

/**
 * The whole service on a fresh database, with simulated peers, driven through `inject()` (no port).
 * Workers (outbox dispatcher, payment sweeper) run only with `workers: true`, so tests that look at
 * stored state are not raced by them. With `faultProxy: true` the service reaches its database through a
 * fault-injecting proxy (fault-proxy.ts).
 */
export async function startTestServer(
  options: {
    env?: Record<string, string>;
    workers?: boolean;
    overrides?: ServerOverrides;
    faultProxy?: boolean;
  } = {},
): Promise<TestServer> {
  const [database, issuer] = await Promise.all([createTestDatabase(), TestIssuer.start()]);
  const proxy = options.faultProxy ? await startFaultProxy(database.url) : undefined;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: proxy?.url ?? database.url,
    LOG_LEVEL: 'silent',
    SIMULATED_PAYMENT_DELAY_MS: '10',
    OUTBOX_POLL_INTERVAL_MS: '20',
    METRICS_PORT: '0',
    // Tests send thousands of requests as one caller; the rate-limit spec sets its own limits.
    RATE_LIMIT_USER_MAX: '1000000',
    RATE_LIMIT_SERVICE_MAX: '1000000',
    ...authEnvironment(issuer),
    ...options.env,
  });
  const server = await createServer(config, options.overrides);
  const peers = server.simulated;
  if (!peers) throw new Error('the test server runs with simulated peers');
  if (options.workers) {
    server.dispatcher.start();
  }
  const operatorToken = await issuer.token({
    sub: 'user-1',
    scope: Object.values(Scope).join(' '),
  });
  const customerTokens = new Map<string, Promise<string>>();
  const customerToken = (userId: string) => {
    if (!customerTokens.has(userId)) customerTokens.set(userId, issuer.customer(userId));
    return customerTokens.get(userId) as Promise<string>;
  };
  const inject: TestServer['inject'] = ({ token = operatorToken, headers, ...rest }) =>
    server.app.inject({
      ...rest,
      headers: { ...headers, ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
    });
  return {
    server,
    database,
    peers,
    proxy,
    issuer,
    operatorToken,
    inject,
    async placeOrder(body = {}, key = uniqueKey()) {
      const order = orderBody(body);
      return inject({
        method: 'POST',
        url: '/api/v1/orders',
        headers: { 'idempotency-key': key },
        payload: order,
        token: await customerToken(order.userId),
      });
    },
    async stop() {
      await server.stop();
      await proxy?.close();
      await Promise.all([database.drop(), issuer.close()]);
    },
  };
}

/** Polls `probe` until it returns a value that is not undefined (asynchronous work such as the outbox). */
export async function eventually<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(20);
  }
}

/** An event publisher that keeps every event it is given, in order, for a spec to read. */
export function recordingPublisher(): EventPublisher & { readonly published: CloudEvent[] } {
  const published: CloudEvent[] = [];
  return {
    published,
    async publish(events) {
      published.push(...events);
    },
  };
}

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { peerNames, peerServices, routePaths, simulatedUnitPrice } from '@mallhive/order-contracts';
import { createOrderClient, ok, type Order, type PlaceOrderRequest } from '@mallhive/order-client';
import {
  createDatabaseOn,
  developmentTokens,
  freePort,
  startListening,
  type NodeProcess,
} from '@mallhive/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The order service and the peer simulators as real processes on loopback: every peer call goes through
 * the HTTP adapters, every payment outcome through the signed callback. Every call to the order API
 * carries a token of the service's development issuer: customers' from the token command, the
 * warehouse's (a second simulator process) from the issuer's client-credentials endpoint.
 */
const app = (name: string) => ({
  name,
  script: fileURLToPath(new URL(`../../${name}/src/main.ts`, import.meta.url)),
  cwd: fileURLToPath(new URL(`../../${name}/`, import.meta.url)),
});

let simulator: NodeProcess;
let orderService: NodeProcess;
let warehouse: NodeProcess;
let cleanup: (() => Promise<unknown>)[] = [];
let issuerKeys: string;

const tokenCommand = fileURLToPath(
  new URL('../../order-service/src/adapters/identity/token-cli.ts', import.meta.url),
);
/** `npx nx run order-service:token -- <args>`: the token, minted once per arguments. */
const token = developmentTokens(tokenCommand, () => issuerKeys);
const customer = (userId: string) => token('--sub', userId, '--scope', 'orders/customer');
const support = () => token('--client', 'dev-support', '--scope', 'orders/support');

beforeAll(async () => {
  simulator = await startListening({
    ...app('peer-simulators'),
    env: { LOG_LEVEL: 'warn', PAYMENT_CALLBACK_DELAY_MS: '50' },
    readyPath: '/healthz',
    readyTimeoutMs: 20_000,
  });
  cleanup.push(() => simulator.stop());

  // A fresh database on the PostgreSQL of the test run, or the embedded one in a temporary folder.
  const adminUrl = process.env.DATABASE_URL;
  const database = adminUrl ? await createDatabaseOn(adminUrl, 'order_service_e2e') : undefined;
  if (database) cleanup.push(() => database.drop());
  const embeddedDirectory = await mkdtemp(join(tmpdir(), 'order-e2e-'));
  cleanup.push(() => rm(embeddedDirectory, { recursive: true, force: true }));
  issuerKeys = join(embeddedDirectory, 'dev-issuer');
  const issuerPort = await freePort();

  orderService = await startListening({
    ...app('order-service'),
    env: {
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...(database ? { DATABASE_URL: database.url } : { EMBEDDED_DB_DIR: embeddedDirectory }),
      // The simulator app serves all four peers on its one port.
      ...Object.fromEntries(
        peerNames.map((peer) => [peerServices[peer].urlSetting, simulator.baseUrl]),
      ),
      PEER_TIMEOUT_MS: '2000',
      OUTBOX_POLL_INTERVAL_MS: '50',
      // No AUTH_ISSUER: the development issuer, its key kept here, its endpoints on this port.
      DEV_ISSUER_DIR: issuerKeys,
      DEV_ISSUER_PORT: String(issuerPort),
      METRICS_PORT: '0',
    },
    readyPath: routePaths.readiness,
    readyTimeoutMs: 80_000,
  });
  cleanup.unshift(() => orderService.stop());

  warehouse = await startListening({
    ...app('peer-simulators'),
    env: {
      LOG_LEVEL: 'warn',
      ORDER_SERVICE_URL: orderService.baseUrl,
      WAREHOUSE_TOKEN_URL: `http://127.0.0.1:${issuerPort}/oauth2/token`,
    },
    readyPath: '/healthz',
    readyTimeoutMs: 20_000,
  });
  cleanup.unshift(() => warehouse.stop());
});

afterAll(async () => {
  for (const step of cleanup) await step();
  cleanup = [];
});

/** The service as its front ends and tools call it: through the generated client, with a real token. */
const orders = (accessToken: () => Promise<string>) =>
  createOrderClient({ baseUrl: orderService.baseUrl, accessToken });

let keys = 0;
function placeOrder(
  userId: string,
  items: PlaceOrderRequest['items'] = [{ productId: 'sku-apple', quantity: 2 }],
) {
  return orders(() => customer(userId)).POST('/api/v1/orders', {
    params: { header: { 'idempotency-key': `e2e-${Date.now()}-${++keys}` } },
    body: {
      userId,
      currency: 'EUR',
      items,
      customerEmail: 'ada@example.com',
      shippingAddress: {
        name: 'Ada Lovelace',
        line1: '1 Analytical Way',
        city: 'London',
        postalCode: 'N1 1AA',
        country: 'GB',
      },
    },
  });
}

/** Customer support reads and cancels (`orders/support`, a client-credentials token). */
const getOrder = (id: string) =>
  ok(orders(support).GET('/api/v1/orders/{id}', { params: { path: { id } } }));

async function admin<T>(path: string): Promise<T> {
  return (await fetch(`${simulator.baseUrl}/admin/${path}`)).json() as Promise<T>;
}

async function eventually<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(
        `${what} did not happen in time.\norder-service:\n${orderService.stderr()}${orderService.stdout()}`,
      );
    }
    await sleep(100);
  }
}

const reachesStatus = (id: string, status: string) =>
  eventually(async () => {
    const order = await getOrder(id);
    return order.status === status ? order : undefined;
  }, `order ${id} reaching ${status}`);

const reservationOf = (orderId: string) =>
  admin<{ orderId: string; status: string }[]>('reservations').then((all) =>
    all.find((reservation) => reservation.orderId === orderId),
  );

describe('order lifecycle through the HTTP peers', () => {
  it('places, pays (signed callback), fulfils, ships and delivers an order', async () => {
    const placed = await placeOrder('e2e-user-1', [
      { productId: 'sku-apple', quantity: 2 },
      { productId: 'sku-pear', quantity: 1 },
    ]);
    expect(placed.response.status).toBe(201);
    const order = placed.data as Order;
    // Prices come from the product simulator, over HTTP.
    expect(order.items).toEqual([
      expect.objectContaining({
        productId: 'sku-apple',
        unitPrice: simulatedUnitPrice('sku-apple', 'EUR'),
      }),
      expect.objectContaining({
        productId: 'sku-pear',
        unitPrice: simulatedUnitPrice('sku-pear', 'EUR'),
      }),
    ]);

    const paid = await reachesStatus(order.id, 'PAID');
    const payments = await admin<
      {
        paymentId: string;
        orderId: string;
        amount: number;
        callbackAttempts: { status: number }[];
      }[]
    >('payments');
    const payment = payments.find((candidate) => candidate.orderId === order.id);
    expect(payment).toMatchObject({ paymentId: paid.payment?.paymentId, amount: order.total });
    expect(payment?.callbackAttempts.map((attempt) => attempt.status)).toEqual([200]);
    await eventually(
      async () => ((await reservationOf(order.id))?.status === 'committed' ? true : undefined),
      'stock commit',
    );

    // The warehouse fulfils, ships and delivers with its own client-credentials token.
    const dispatched = await fetch(`${warehouse.baseUrl}/admin/warehouse/dispatch/${order.id}`, {
      method: 'POST',
    });
    const { steps } = (await dispatched.json()) as { steps: { step: string; status: number }[] };
    expect(steps.map(({ step, status }) => `${step} ${status}`)).toEqual([
      'fulfilment 200',
      'shipment 200',
      'delivery 200',
    ]);
    const delivered = await getOrder(order.id);
    expect(delivered.status).toBe('DELIVERED');
    expect(delivered.statusHistory.map(({ to, actor }) => `${to} by ${actor}`)).toEqual([
      'PENDING by e2e-user-1',
      'AWAITING_PAYMENT by dispatcher',
      'PAID by payment-service',
      'FULFILLING by dev-warehouse',
      'SHIPPED by dev-warehouse',
      'DELIVERED by dev-warehouse',
    ]);
    // Without a token the API answers nobody.
    const anonymous = await createOrderClient({ baseUrl: orderService.baseUrl }).GET(
      '/api/v1/orders/{id}',
      { params: { path: { id: order.id } } },
    );
    expect(anonymous.response.status).toBe(401);

    await eventually(async () => {
      const emails = await admin<{ to: string; subject: string }[]>('notifications');
      const mine = emails.filter((email) =>
        email.subject.includes(order.id.slice(0, 8).toUpperCase()),
      );
      return mine.length >= 2 ? mine : undefined;
    }, 'confirmation e-mails');
    await eventually(async () => {
      const events =
        await admin<{ body: { event_type: string; metadata?: { order_id?: string } } }[]>(
          'analytics',
        );
      const mine = events.filter((event) => event.body.metadata?.order_id === order.id);
      return mine.length > 0 && mine.every((event) => event.body.event_type === 'sales_metric')
        ? mine
        : undefined;
    }, 'sales metrics');
  });

  it('fails the payment of a payfail- user and releases the stock', async () => {
    const { id } = await ok(placeOrder('payfail-e2e'));
    await reachesStatus(id, 'PAYMENT_FAILED');
    await eventually(
      async () => ((await reservationOf(id))?.status === 'released' ? true : undefined),
      'stock release',
    );
  });

  it('refunds and releases a paid order that is cancelled', async () => {
    const { id } = await ok(placeOrder('e2e-user-2'));
    const paid = await reachesStatus(id, 'PAID');
    const cancel = { params: { path: { id } }, body: { reason: 'changed my mind' } };
    expect(await ok(orders(support).POST('/api/v1/orders/{id}/cancel', cancel))).toMatchObject({
      status: 'CANCELLED',
    });
    await eventually(async () => {
      const payments = await admin<{ paymentId: string; refunds: unknown[] }[]>('payments');
      const payment = payments.find((candidate) => candidate.paymentId === paid.payment?.paymentId);
      return payment && payment.refunds.length === 1 ? payment : undefined;
    }, 'refund');
    await eventually(
      async () => ((await reservationOf(id))?.status === 'released' ? true : undefined),
      'stock release',
    );
  });

  it('refuses out-of-stock and unknown products as the product service says', async () => {
    const outOfStock = await placeOrder('e2e-user-3', [{ productId: 'oos-lamp', quantity: 1 }]);
    expect(outOfStock.error).toMatchObject({
      status: 409,
      code: 'insufficient_stock',
      items: [{ productId: 'oos-lamp', requested: 1, available: 0 }],
    });
    const unknown = await placeOrder('e2e-user-3', [{ productId: 'unknown-thing', quantity: 1 }]);
    expect(unknown.error).toMatchObject({ status: 422, code: 'unknown_product' });
  });

  it('answers 503 with Retry-After while the product service is down, and recovers', async () => {
    await fetch(`${simulator.baseUrl}/admin/faults/product`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 503, retryAfterSeconds: 30 }),
    });
    try {
      const refused = await placeOrder('e2e-user-4');
      expect(refused.error).toMatchObject({ status: 503, code: 'dependency_unavailable' });
      expect(refused.response.headers.get('retry-after')).toBe('30');
    } finally {
      await fetch(`${simulator.baseUrl}/admin/faults/product`, { method: 'DELETE' });
    }
    expect((await placeOrder('e2e-user-4')).response.status).toBe(201);
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { routePaths } from '@mallhive/order-contracts';
import {
  createDatabaseOn,
  developmentTokens,
  freePort,
  startListening,
  type NodeProcess,
} from '@mallhive/testing';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { Order, ProblemOf } from './index.ts';
import { createOrderClient, ok, OrderServiceProblem } from './index.ts';

/**
 * The real order service as a process (as `nx serve` runs it) on a fresh database, simulated peers. It
 * trusts its development issuer (key in a temporary folder, JWKS on a free port); every call carries a
 * token minted by the service's token command.
 */
let service: NodeProcess;
let issuerKeys: string;

const tokenCommand = fileURLToPath(
  new URL('../../../apps/order-service/src/adapters/identity/token-cli.ts', import.meta.url),
);
/** `npx nx run order-service:token -- <args>`: the token, minted once per arguments. */
const token = developmentTokens(tokenCommand, () => issuerKeys);
const customer = (userId: string) => () => token('--sub', userId, '--scope', 'orders/customer');
const support = () => token('--client', 'dev-support', '--scope', 'orders/support');
let cleanup: (() => Promise<unknown>)[] = [];
beforeAll(async () => {
  const adminUrl = process.env.DATABASE_URL;
  const database = adminUrl ? await createDatabaseOn(adminUrl, 'order_client_test') : undefined;
  if (database) cleanup.push(() => database.drop());
  const embeddedDirectory = await mkdtemp(join(tmpdir(), 'order-client-'));
  cleanup.push(() => rm(embeddedDirectory, { recursive: true, force: true }));
  issuerKeys = join(embeddedDirectory, 'dev-issuer');
  service = await startListening({
    name: 'order-service',
    script: fileURLToPath(new URL('../../../apps/order-service/src/main.ts', import.meta.url)),
    cwd: fileURLToPath(new URL('../../../apps/order-service/', import.meta.url)),
    env: {
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...(database ? { DATABASE_URL: database.url } : { EMBEDDED_DB_DIR: embeddedDirectory }),
      // No AUTH_ISSUER: the development issuer, its key kept here, its endpoints on a free port.
      DEV_ISSUER_DIR: issuerKeys,
      DEV_ISSUER_PORT: String(await freePort()),
      METRICS_PORT: '0',
    },
    readyPath: routePaths.readiness,
    readyTimeoutMs: 80_000,
  });
  cleanup.unshift(() => service.stop());
});
afterAll(async () => {
  for (const step of cleanup) await step();
  cleanup = [];
});

const client = (accessToken: () => Promise<string> = support) =>
  createOrderClient({ baseUrl: service.baseUrl, accessToken });
let keys = 0;
const placeOrder = (userId: string, productId = 'sku-kettle') =>
  client(customer(userId)).POST('/api/v1/orders', {
    params: {
      header: { 'idempotency-key': `order-client-${process.pid}-${++keys}` },
    },
    body: {
      userId,
      currency: 'EUR',
      items: [{ productId, quantity: 1 }],
      customerEmail: 'ada@example.com',
      shippingAddress: {
        name: 'Ada Lovelace',
        line1: '12 St James Square',
        city: 'London',
        postalCode: 'SW1Y 4JH',
        country: 'GB',
      },
    },
  });

describe('the order client against the real service', () => {
  it('places an order and reads it back, typed as the document says', async () => {
    const placed = await placeOrder('client-user-1');
    expect(placed.response.status).toBe(201);
    expect(placed.error).toBeUndefined();
    const order = placed.data as Order;
    expect(placed.response.headers.get('location')).toBe(`/api/v1/orders/${order.id}`);

    const read = await ok(
      client().GET('/api/v1/orders/{id}', {
        params: { path: { id: order.id } },
      }),
    );
    expectTypeOf(read).toEqualTypeOf<Order>();
    expect(read).toMatchObject({
      id: order.id,
      userId: 'client-user-1',
      total: order.total,
    });
  });

  it('gives a refusal as the operation’s problem document, its code typed', async () => {
    const { data, error, response } = await client().GET('/api/v1/orders/{id}', {
      params: { path: { id: '00000000-0000-4000-8000-000000000000' } },
    });
    expect(data).toBeUndefined();
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(error).toMatchObject({ status: 404, code: 'order_not_found' });
    // The code is typed as exactly the codes the document lists for this operation.
    expectTypeOf(error?.code).toEqualTypeOf<ProblemOf<'getOrder'>['code'] | undefined>();
    // @ts-expect-error getOrder never answers insufficient_stock, and the types know it.
    expect(error?.code === 'insufficient_stock').toBe(false);
  });

  it('keeps the members a code carries (the items that are out of stock)', async () => {
    const { error } = await placeOrder('client-user-2', 'oos-lamp');
    expect(error).toMatchObject({
      code: 'insufficient_stock',
      items: [{ productId: 'oos-lamp', requested: 1, available: 0 }],
    });
  });

  it('ok() throws a refusal as an OrderServiceProblem with the code and the response', async () => {
    const refused = await ok(
      client(customer('client-user-1')).GET('/api/v1/users/{userId}/orders', {
        params: {
          path: { userId: 'client-user-1' },
          query: { cursor: 'forged' },
        },
      }),
    ).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OrderServiceProblem);
    expect(refused).toMatchObject({ code: 'invalid_cursor', status: 400 });
    expect((refused as OrderServiceProblem).problem.requestId).toBe(
      (refused as OrderServiceProblem).response.headers.get('x-request-id'),
    );
  });

  it('sends the access token: without one the service refuses the call as unauthenticated', async () => {
    const anonymous = createOrderClient({ baseUrl: service.baseUrl });
    const { error, response } = await anonymous.GET('/api/v1/orders/{id}', {
      params: { path: { id: '00000000-0000-4000-8000-000000000000' } },
    });
    expect(response.status).toBe(401);
    expect(error).toMatchObject({ code: 'unauthenticated' });
  });

  it('ok() reports an answer that is not a problem document (a proxy’s error page) with its status', async () => {
    const proxy = createServer((_request, response) => {
      response.writeHead(502, { 'content-type': 'text/html' }).end('<h1>502 Bad Gateway</h1>');
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = proxy.address() as AddressInfo;
      const behindProxy = createOrderClient({
        baseUrl: `http://127.0.0.1:${port}`,
      });
      await expect(
        ok(
          behindProxy.GET('/api/v1/orders/{id}', {
            params: { path: { id: 'x' } },
          }),
        ),
      ).rejects.toThrow(/answered 502/);
    } finally {
      proxy.close();
    }
  });
});

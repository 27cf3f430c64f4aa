import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Scope } from '@mallhive/order-contracts';
import type { HostileTokenKind } from '../testing/test-issuer.ts';
import { hostileTokenKinds } from '../testing/test-issuer.ts';
import type { TestServer } from '../testing/test-server.ts';
import { eventually, orderBody, startTestServer, uniqueKey } from '../testing/test-server.ts';

/**
 * Who may do what, over every route of the API, with tokens from a real issuer whose JWKS the service
 * fetches over HTTP (testing/test-issuer.ts) — nothing in the service is stubbed.
 */
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ workers: true });
});
afterAll(() => t.stop());

const OWNER = 'user-owner';
const STRANGER = 'user-stranger';

type Route = 'place' | 'read' | 'list' | 'cancel' | 'fulfilment' | 'shipment' | 'delivery';
const routes: readonly Route[] = [
  'place',
  'read',
  'list',
  'cancel',
  'fulfilment',
  'shipment',
  'delivery',
];

/** The status an order must be in for the route to succeed. */
const readyFor: Record<Route, string | undefined> = {
  place: undefined,
  read: 'PAID',
  list: 'PAID',
  cancel: 'PAID',
  fulfilment: 'PAID',
  shipment: 'FULFILLING',
  delivery: 'SHIPPED',
};

/** Places an order of `OWNER` and moves it (as the operator) to `status`. */
async function orderIn(status: string): Promise<string> {
  const { id } = (await t.placeOrder({ userId: OWNER })).json();
  await eventually(async () => {
    const order = (await t.inject({ url: `/api/v1/orders/${id}` })).json();
    return order.status === 'PAID' ? order : undefined;
  });
  const steps: [string, Record<string, string>?][] = [];
  if (status === 'FULFILLING' || status === 'SHIPPED') steps.push(['fulfilment']);
  if (status === 'SHIPPED') steps.push(['shipment', { carrier: 'DHL', trackingNumber: 'T-1' }]);
  for (const [step, payload] of steps) {
    const moved = await t.inject({
      method: 'POST',
      url: `/api/v1/orders/${id}/${step}`,
      ...(payload ? { payload } : {}),
    });
    expect(moved.statusCode).toBe(200);
  }
  return id;
}

/** Calls `route` with `token` (none when null) on an order of `OWNER` in the right status. */
async function call(route: Route, token: string | null): Promise<LightMyRequestResponse> {
  const status = readyFor[route];
  const id = status ? await orderIn(status) : undefined;
  switch (route) {
    case 'place':
      return t.inject({
        method: 'POST',
        url: '/api/v1/orders',
        headers: { 'idempotency-key': uniqueKey() },
        payload: orderBody({ userId: OWNER }),
        token,
      });
    case 'read':
      return t.inject({ url: `/api/v1/orders/${id}`, token });
    case 'list':
      return t.inject({ url: `/api/v1/users/${OWNER}/orders`, token });
    case 'cancel':
      return t.inject({
        method: 'POST',
        url: `/api/v1/orders/${id}/cancel`,
        payload: { reason: 'changed my mind' },
        token,
      });
    case 'shipment':
      return t.inject({
        method: 'POST',
        url: `/api/v1/orders/${id}/shipment`,
        payload: { carrier: 'DHL', trackingNumber: 'JD0146' },
        token,
      });
    default:
      return t.inject({ method: 'POST', url: `/api/v1/orders/${id}/${route}`, token });
  }
}

const expectUnauthenticated = (response: LightMyRequestResponse, tokenSent: boolean) => {
  expect(response.statusCode).toBe(401);
  expect(response.headers['content-type']).toContain('application/problem+json');
  expect(response.json().code).toBe('unauthenticated');
  const challenge = response.headers['www-authenticate'];
  if (tokenSent) {
    expect(challenge).toMatch(/^Bearer realm="order-service", error="invalid_token"/);
  } else {
    expect(challenge).toBe('Bearer realm="order-service"');
  }
};

describe.each(routes)('%s', (route) => {
  it('refuses an anonymous caller: 401 with a Bearer challenge', async () => {
    expectUnauthenticated(await call(route, null), false);
  });

  it.each(hostileTokenKinds)('refuses a token that is %s: 401 invalid_token', async (kind) => {
    const token = await t.issuer.hostile(kind as HostileTokenKind, {
      sub: OWNER,
      scope: Object.values(Scope).join(' '),
    });
    expectUnauthenticated(await call(route, token), true);
  });
});

/** What each caller gets on each route: a success, or the refusal the contract names. */
type Outcome =
  'ok' | { forbidden: 'insufficient_scope'; scope: string } | 'forbidden' | 'order_not_found';
const scope = (needed: string): Outcome => ({ forbidden: 'insufficient_scope', scope: needed });
const fulfil = scope('orders/fulfil');

const callers: Record<string, { token: () => Promise<string>; outcomes: Record<Route, Outcome> }> =
  {
    'the customer who owns the order': {
      token: () => t.issuer.customer(OWNER),
      outcomes: {
        place: 'ok',
        read: 'ok',
        list: 'ok',
        cancel: 'ok',
        fulfilment: fulfil,
        shipment: fulfil,
        delivery: fulfil,
      },
    },
    'another customer': {
      token: () => t.issuer.customer(STRANGER),
      outcomes: {
        place: 'forbidden',
        read: 'order_not_found',
        list: 'forbidden',
        cancel: 'order_not_found',
        fulfilment: fulfil,
        shipment: fulfil,
        delivery: fulfil,
      },
    },
    'orders/read': {
      token: () => t.issuer.token({ sub: 'reporting', scope: Scope.Read }),
      outcomes: {
        place: scope('orders/customer'),
        read: 'ok',
        list: 'ok',
        cancel: scope('orders/customer orders/support'),
        fulfilment: fulfil,
        shipment: fulfil,
        delivery: fulfil,
      },
    },
    'orders/fulfil (warehouse, client credentials)': {
      token: () => t.issuer.service('warehouse-client', Scope.Fulfil),
      outcomes: {
        place: scope('orders/customer'),
        read: scope('orders/customer orders/read orders/support'),
        list: scope('orders/customer orders/read'),
        cancel: scope('orders/customer orders/support'),
        fulfilment: 'ok',
        shipment: 'ok',
        delivery: 'ok',
      },
    },
    'orders/support (client credentials)': {
      token: () => t.issuer.service('support-client', Scope.Support),
      outcomes: {
        place: scope('orders/customer'),
        read: 'ok',
        list: scope('orders/customer orders/read'),
        cancel: 'ok',
        fulfilment: fulfil,
        shipment: fulfil,
        delivery: fulfil,
      },
    },
  };

describe.each(Object.entries(callers))('as %s', (_name, { token, outcomes }) => {
  it.each(routes)('%s', async (route) => {
    const response = await call(route, await token());
    const outcome = outcomes[route];
    if (outcome === 'ok') {
      expect(response.statusCode, response.body).toBe(route === 'place' ? 201 : 200);
      return;
    }
    expect(response.headers['content-type']).toContain('application/problem+json');
    if (outcome === 'order_not_found') {
      expect(response.statusCode).toBe(404);
      expect(response.json().code).toBe('order_not_found');
      return;
    }
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('forbidden');
    if (outcome === 'forbidden') {
      expect(response.headers['www-authenticate']).toBeUndefined();
    } else {
      expect(response.headers['www-authenticate']).toBe(
        `Bearer realm="order-service", error="insufficient_scope", scope="${outcome.scope}"`,
      );
    }
  });
});

describe('what each caller sees and leaves behind', () => {
  it("hides the customer's e-mail and address from orders/read alone, not from fulfilment or support", async () => {
    const id = await orderIn('PAID');
    const as = async (token: string) =>
      (await t.inject({ url: `/api/v1/orders/${id}`, token })).json();
    const reader = await as(await t.issuer.token({ sub: 'reporting', scope: Scope.Read }));
    expect(reader).not.toHaveProperty('customerEmail');
    expect(reader).not.toHaveProperty('shippingAddress');
    expect(reader.userId).toBe(OWNER);
    const listed = (
      await t.inject({
        url: `/api/v1/users/${OWNER}/orders`,
        token: await t.issuer.token({ sub: 'reporting', scope: Scope.Read }),
      })
    ).json();
    expect(listed.items[0]).not.toHaveProperty('customerEmail');

    const warehouse = await as(
      await t.issuer.service('warehouse-client', Scope.Fulfil, Scope.Read),
    );
    expect(warehouse).toMatchObject({ customerEmail: 'ada@example.com' });
    expect(warehouse.shippingAddress).toMatchObject({ city: 'London' });
    const support = await as(await t.issuer.service('support-client', Scope.Support));
    expect(support).toMatchObject({ customerEmail: 'ada@example.com' });
    expect(await as(await t.issuer.customer(OWNER))).toMatchObject({
      customerEmail: 'ada@example.com',
    });
  });

  it('records the caller as the actor: the customer by sub, a service by its client id', async () => {
    const placed = (await t.placeOrder({ userId: OWNER })).json();
    expect(placed.statusHistory[0].actor).toBe(OWNER);

    const id = await orderIn('PAID');
    const fulfilled = await t.inject({
      method: 'POST',
      url: `/api/v1/orders/${id}/fulfilment`,
      token: await t.issuer.service('warehouse-client', Scope.Fulfil),
    });
    expect(fulfilled.json().statusHistory.at(-1)).toMatchObject({
      to: 'FULFILLING',
      actor: 'warehouse-client',
    });
    const cancelled = await t.inject({
      method: 'POST',
      url: `/api/v1/orders/${id}/cancel`,
      payload: { reason: 'customer called' },
      token: await t.issuer.service('support-client', Scope.Support),
    });
    expect(cancelled.json().statusHistory.at(-1)).toMatchObject({
      to: 'CANCELLED',
      actor: 'support-client',
    });
  });

  it('scopes Idempotency-Keys to the caller: two customers with the same key place two orders', async () => {
    const key = uniqueKey('shared');
    const first = await t.placeOrder({ userId: 'user-a' }, key);
    const second = await t.placeOrder({ userId: 'user-b' }, key);
    expect([first.statusCode, second.statusCode]).toEqual([201, 201]);
    expect(second.headers['idempotent-replayed']).toBeUndefined();
    expect(second.json().id).not.toBe(first.json().id);
  });

  it("hides another customer's order even behind a stale If-Match (404, not 412)", async () => {
    const id = await orderIn('PAID');
    const response = await t.inject({
      method: 'POST',
      url: `/api/v1/orders/${id}/cancel`,
      headers: { 'if-match': '"99"' },
      payload: { reason: 'probing' },
      token: await t.issuer.customer(STRANGER),
    });
    expect(response.statusCode).toBe(404);
  });
});

describe('credentials in the wrong shape', () => {
  it.each([
    ['Basic dXNlcjpwYXNz', false],
    ['Bearer', false],
    ['Bearer not a token', true],
    ['Bearer eyJ.eyJ.', true],
  ])('Authorization: %s → 401', async (authorization, tokenSent) => {
    const response = await t.server.app.inject({
      url: '/api/v1/users/user-1/orders',
      headers: { authorization },
    });
    expectUnauthenticated(response, tokenSent);
  });
});

describe('open routes', () => {
  it.each(['/healthz', '/readyz', '/openapi.json', '/docs/'])('%s needs no token', async (url) => {
    const response = await t.server.app.inject({ url });
    expect(response.statusCode).toBe(200);
  });

  it('the payment callback needs its signature, not a token', async () => {
    const response = await t.server.app.inject({
      method: 'POST',
      url: '/api/v1/payments/callback',
      payload: {},
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('invalid_signature');
  });

  it('the OpenAPI document declares bearer and client-credentials schemes and every operation’s scopes', async () => {
    const document = (await t.server.app.inject({ url: '/openapi.json' })).json();
    expect(document.components.securitySchemes.bearerToken).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
    expect(document.components.securitySchemes.clientCredentials.flows.clientCredentials).toEqual({
      tokenUrl: expect.stringMatching(/\/oauth2\/token$/),
      scopes: expect.objectContaining({ 'orders/fulfil': expect.any(String) }),
    });
    expect(document.paths['/api/v1/orders/{id}/shipment'].post.security).toEqual([
      { bearerToken: [] },
      { clientCredentials: ['orders/fulfil'] },
    ]);
    // The callback is signed, not token-authenticated, and says so (Redocly's security-defined rule).
    expect(document.paths['/api/v1/payments/callback'].post.security).toEqual([]);
  });
});

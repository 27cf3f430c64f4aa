import { Writable } from 'node:stream';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEV_PAYMENT_CALLBACK_SECRET,
  routePaths,
  signPayload,
  SIGNATURE_HEADER,
} from '@mallhive/order-contracts';
import { loadConfig } from '../config/config.ts';
import { createLogger } from '../observability/logger.ts';
import { createServer } from '../server.ts';
import { startFaultProxy } from '../testing/fault-proxy.ts';
import type { TestServer } from '../testing/test-server.ts';
import { orderBody, startTestServer, uniqueKey } from '../testing/test-server.ts';
import { createTestDatabase } from '../testing/test-database.ts';
import { authEnvironment, TestIssuer } from '../testing/test-issuer.ts';
import { inputLimits } from './input-limits.ts';

/**
 * Issue 9: what a hostile client inside the network tries, and the answer it gets — a small 4xx problem,
 * nothing stored, the service still responsive. (Also part of it, elsewhere: slow clients in
 * slow-clients.test.ts, process-level; unsafe keys in config/secret-strength.test.ts and main.test.ts;
 * strict signature headers in contracts/payment-callback-signature.test.ts; the Ingress and the pod's
 * tokens in infra/k8s.)
 */

let t: TestServer;
let placed: { id: string; total: number; currency: string };

beforeAll(async () => {
  t = await startTestServer();
  placed = (await t.placeOrder()).json();
});
afterAll(async () => {
  await t.stop();
});

const ordersStored = async () =>
  (await t.server.context.db.query<{ n: number }>('SELECT count(*)::int AS n FROM orders')).rows[0]
    ?.n;

/** POSTs raw bytes, as a hostile client would send them. */
const post = (url: string, payload: string | Buffer, headers: Record<string, string> = {}) =>
  t.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', ...headers },
    payload,
  });
const placeRaw = (payload: string | Buffer, headers: Record<string, string> = {}) =>
  post('/api/v1/orders', payload, { 'idempotency-key': uniqueKey('hostile'), ...headers });
const now = () => Math.floor(Date.now() / 1000);
const signedCallback = (payload: string | Buffer, headers: Record<string, string> = {}) =>
  post('/api/v1/payments/callback', payload, {
    [SIGNATURE_HEADER]: signPayload(payload, DEV_PAYMENT_CALLBACK_SECRET, now()),
    ...headers,
  });

function expectProblem(response: LightMyRequestResponse, status: number, code: string) {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.json()).toMatchObject({ status, code });
}

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('1. error answers are bounded', () => {
  it(`lists at most ${inputLimits.reportedErrors} problems, and how many more there were`, async () => {
    const items = Array.from({ length: 150 }, () => ({ productId: '', quantity: 0, price: 1 }));
    const response = await placeRaw(JSON.stringify({ ...orderBody(), items }));
    expectProblem(response, 400, 'validation_failed');
    const problem = response.json();
    expect(problem.errors).toHaveLength(inputLimits.reportedErrors);
    // Each of the 150 items has at least three problems, and the array one more (maxItems).
    expect(problem.moreErrors).toBeGreaterThanOrEqual(150 * 3 + 1 - inputLimits.reportedErrors);
  });

  it('answers the worst bodies a client can send in a few KiB, while /healthz keeps answering', async () => {
    const MiB = inputLimits.bodyBytes;
    const invalidItem = '{"productId":"","quantity":0}';
    const worst = {
      // The body of the report: 1 MiB of invalid items (formerly a 32 MB answer after ~4 s).
      'a megabyte of invalid items': `{"items":[${Array(Math.floor((MiB - 20) / 3)).fill('{}')}]}`,
      'as many invalid items as the value limit allows': JSON.stringify({
        ...orderBody(),
        items: JSON.parse(`[${Array(650).fill(invalidItem)}]`),
      }),
      'a megabyte of object keys': `{${Array.from({ length: 60_000 }, (_, i) => `"k${i}":0`)}}`,
      'a megabyte of nesting': nested(MiB / 2 - 8),
      'a megabyte of control characters in a name': JSON.stringify({
        ...orderBody(),
        shippingAddress: { ...orderBody().shippingAddress, name: '\u0007'.repeat(170_000) },
      }),
      'a megabyte-long e-mail address': JSON.stringify({
        ...orderBody(),
        customerEmail: `${'a'.repeat(MiB - 400)}@example.com`,
      }),
    };
    const address = await t.server.app.listen({ port: 0, host: '127.0.0.1' });
    const send = async (body: string) => {
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MiB);
      const response = await fetch(`${address}/api/v1/orders`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': uniqueKey('worst'),
          authorization: `Bearer ${t.operatorToken}`,
        },
        body,
      });
      return { status: response.status, bytes: (await response.arrayBuffer()).byteLength };
    };
    // Four of each at once; meanwhile the liveness probe asks, with its 3 s timeout (infra/k8s).
    const answers = Promise.all(
      Array.from({ length: 4 }, () => Object.values(worst).map(send)).flat(),
    );
    const health = await fetch(`${address}${routePaths.health}`, {
      signal: AbortSignal.timeout(3_000),
    });
    expect(health.status).toBe(200);
    for (const answer of await answers) {
      expect(answer.status).toBe(400);
      expect(answer.bytes).toBeLessThan(4 * 1024);
    }
  });
});

describe('3. deep JSON is a 400, not a 500', () => {
  const tooDeep = nested(inputLimits.jsonDepth + 1);
  const routes = [
    ['POST /orders', () => placeRaw(tooDeep)],
    ['POST /orders/{id}/cancel', () => post(`/api/v1/orders/${placed.id}/cancel`, tooDeep)],
    ['POST /orders/{id}/shipment', () => post(`/api/v1/orders/${placed.id}/shipment`, tooDeep)],
    ['POST /orders/{id}/fulfilment', () => post(`/api/v1/orders/${placed.id}/fulfilment`, tooDeep)],
    ['POST /orders/{id}/delivery', () => post(`/api/v1/orders/${placed.id}/delivery`, tooDeep)],
    ['POST /payments/callback (signed)', () => signedCallback(tooDeep)],
  ] as const;

  it.each(routes)(
    '%s refuses nesting past the limit as malformed_request',
    async (_route, send) => {
      const response = await send();
      expectProblem(response, 400, 'malformed_request');
      expect(response.json().detail).toBe(
        `The JSON body nests deeper than ${inputLimits.jsonDepth} levels.`,
      );
    },
  );

  it(`accepts ${inputLimits.jsonDepth} levels (the limit is a limit, not an off-by-one)`, async () => {
    const response = await placeRaw(
      JSON.stringify({ ...orderBody(), userId: JSON.parse(nested(31)) }),
    );
    expectProblem(response, 400, 'validation_failed');
  });

  it('refuses 100,000 levels — far past any call stack — without a 5xx', async () => {
    expectProblem(await placeRaw(nested(100_000)), 400, 'malformed_request');
    expectProblem(await signedCallback(nested(100_000)), 400, 'malformed_request');
  });

  it(`refuses a body of more than ${inputLimits.jsonValues} values`, async () => {
    const response = await placeRaw(`[${Array(inputLimits.jsonValues).fill(0)}]`);
    expectProblem(response, 400, 'malformed_request');
    expect(response.json().detail).toBe(
      `The JSON body holds more than ${inputLimits.jsonValues} values.`,
    );
  });

  it('gives an unsigned deep body on the callback a 401: nothing is parsed before the signature', async () => {
    const response = await post('/api/v1/payments/callback', nested(100_000));
    expectProblem(response, 401, 'invalid_signature');
  });
});

describe('4. text is what it claims to be', () => {
  describe('invalid UTF-8 is refused, never stored as U+FFFD', () => {
    const valid = JSON.stringify(orderBody({ userId: 'utf8-victim' }));
    const withBytes = (bytes: number[]) => {
      const [before, after] = valid.split('utf8-victim') as [string, string];
      return Buffer.concat([Buffer.from(`${before}utf8`), Buffer.from(bytes), Buffer.from(after)]);
    };
    it.each([
      ['a lone continuation byte', [0x80]],
      ['an overlong encoding of "/"', [0xc0, 0xaf]],
      ['an encoded UTF-16 surrogate', [0xed, 0xa0, 0x80]],
      ['a truncated sequence', [0xe2, 0x82]],
      ['a byte that never occurs in UTF-8', [0xff]],
    ])('refuses %s with 400 and stores nothing', async (_case, bytes) => {
      const before = await ordersStored();
      const response = await placeRaw(withBytes(bytes));
      expectProblem(response, 400, 'malformed_request');
      expect(response.json().detail).toBe('The request body is not valid UTF-8.');
      expect(await ordersStored()).toBe(before);
    });

    it('refuses it on the callback too, once the signature over those bytes holds', async () => {
      expectProblem(await signedCallback(withBytes([0xff])), 400, 'malformed_request');
    });

    it('refuses JSON declared in another charset with 415', async () => {
      const latin1 = Buffer.from(JSON.stringify(orderBody({ userId: 'user-é' })), 'latin1');
      const response = await placeRaw(latin1, {
        'content-type': 'application/json; charset=iso-8859-1',
      });
      expectProblem(response, 415, 'unsupported_media_type');
    });
  });

  describe('identifiers are plain, so two that look alike are alike', () => {
    it.each([
      ['a right-to-left override', 'user-\u202Eevil'],
      ['a zero-width space', 'user\u200B-1'],
      ['a zero-width joiner', 'user\u200D-1'],
      ['a byte order mark', '\uFEFFuser-1'],
      ['a Cyrillic look-alike letter', 'us\u0435r-1'],
      ['a space', 'user 1'],
      ['a leading dot', '..'],
    ])('refuses a userId with %s', async (_case, userId) => {
      const response = await t.placeOrder({ userId });
      expectProblem(response, 400, 'validation_failed');
      expect(response.json().errors).toContainEqual(expect.objectContaining({ path: '/userId' }));
    });

    it('refuses such a productId, and such a user id in the path', async () => {
      const product = await t.placeOrder({ items: [{ productId: 'sku\u200B-1', quantity: 1 }] });
      expectProblem(product, 400, 'validation_failed');
      expect(product.json().errors).toContainEqual(
        expect.objectContaining({ path: '/items/0/productId' }),
      );
      const listing = await t.inject({
        url: `/api/v1/users/${encodeURIComponent('user-\u202E1')}/orders`,
      });
      expectProblem(listing, 400, 'validation_failed');
    });

    it.each([
      ['a space', 'checkout 1'],
      ['Latin-1 text', 'caf\u00e9-1'],
      ['a quote', 'key"1'],
    ])('refuses an Idempotency-Key with %s', async (_case, key) => {
      expectProblem(await t.placeOrder({}, key), 400, 'validation_failed');
    });

    it('accepts UUIDs, slugs, URNs, e-mail-like ids and base64 keys', async () => {
      const response = await t.placeOrder(
        {
          userId: 'urn:mallhive:user:ada.lovelace@example.com',
          items: [{ productId: 'SKU_kettle-2.0', quantity: 1 }],
        },
        'dGhpcyBpcyBhIGtleQ+/==',
      );
      expect(response.statusCode, response.body).toBe(201);
    });
  });

  describe('free text stays Unicode, without control characters', () => {
    it('keeps names and addresses in any script', async () => {
      const shippingAddress = {
        name: 'Zoë Ångström-渡辺 (אדה)',
        line1: 'شارع الملك فهد 12',
        city: 'Zürich',
        postalCode: '8001',
        country: 'CH',
      };
      const response = await t.placeOrder({ shippingAddress });
      expect(response.statusCode, response.body).toBe(201);
      expect(response.json().shippingAddress).toEqual(shippingAddress);
    });

    it.each([
      ['a bell (C0)', '\u0007'],
      ['an escape sequence', '\u001b[31m'],
      ['a line feed', '\n'],
      ['DEL', '\u007f'],
      ['a next-line character (C1)', '\u0085'],
    ])('refuses %s in a name, naming the field', async (_case, control) => {
      const before = await ordersStored();
      const response = await t.placeOrder({
        shippingAddress: { ...orderBody().shippingAddress, name: `Ada${control}Lovelace` },
      });
      expectProblem(response, 400, 'validation_failed');
      expect(response.json().errors).toEqual([
        {
          in: 'body',
          path: '/shippingAddress/name',
          message: 'must not contain control characters or unpaired surrogates',
        },
      ]);
      expect(await ordersStored()).toBe(before);
    });

    it('refuses control characters in a cancellation reason', async () => {
      const response = await post(
        `/api/v1/orders/${placed.id}/cancel`,
        JSON.stringify({ reason: 'changed my mind\r\nX-Injected: 1' }),
      );
      expectProblem(response, 400, 'validation_failed');
    });
  });
});

describe('5. the callback verifies bytes before it parses them', () => {
  const outcome = () =>
    JSON.stringify({
      paymentId: `pay-${placed.id}`,
      orderId: placed.id,
      status: 'failed',
      amount: placed.total,
      currency: placed.currency,
    });

  it.each([
    ['invalid JSON', 'this is not {json', {}],
    ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0x7d]), {}],
    ['a body far past the depth limit', nested(50_000), {}],
    ['a non-JSON content type', 'hello', { 'content-type': 'text/plain' }],
    ['an unknown content type', 'hello', { 'content-type': 'application/x-anything' }],
  ] as const)(
    'answers unsigned garbage (%s) with 401, not 400, 415 or 500',
    async (_case, payload, headers) => {
      const response = await t.inject({
        method: 'POST',
        url: '/api/v1/payments/callback',
        headers: { 'content-type': 'application/json', ...headers },
        payload,
      });
      expectProblem(response, 401, 'invalid_signature');
    },
  );

  it('answers an unsigned request without a body with 401', async () => {
    const response = await t.inject({
      method: 'POST',
      url: '/api/v1/payments/callback',
    });
    expectProblem(response, 401, 'invalid_signature');
  });

  it('refuses a signature over other bytes of the same JSON (re-serialised, re-spaced)', async () => {
    const signature = signPayload(outcome(), DEV_PAYMENT_CALLBACK_SECRET, now());
    const respaced = JSON.stringify(JSON.parse(outcome()), null, 1);
    const response = await post('/api/v1/payments/callback', respaced, {
      [SIGNATURE_HEADER]: signature,
    });
    expectProblem(response, 401, 'invalid_signature');
    expect((await t.inject({ url: `/api/v1/orders/${placed.id}` })).json().status).toBe('PENDING');
  });

  it('refuses a Mallhive-Signature sent twice (the values would be joined)', async () => {
    const signature = signPayload(outcome(), DEV_PAYMENT_CALLBACK_SECRET, now());
    const response = await t.inject({
      method: 'POST',
      url: '/api/v1/payments/callback',
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: [signature, signature] },
      payload: outcome(),
    });
    expectProblem(response, 401, 'invalid_signature');
  });

  it('judges a signed body like any other: a signed text/plain body is a 415', async () => {
    const response = await signedCallback(outcome(), { 'content-type': 'text/plain' });
    expectProblem(response, 415, 'unsupported_media_type');
  });
});

describe('7. nothing internal leaks', () => {
  it('marks every response nosniff, and order resources no-store', async () => {
    const list = await t.inject({ url: '/api/v1/users/user-1/orders' });
    const read = await t.inject({ url: `/api/v1/orders/${placed.id}` });
    const created = await t.placeOrder();
    const refused = await t.placeOrder({ userId: '' });
    for (const response of [list, read, created, refused]) {
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['cache-control']).toBe('no-store');
    }
    for (const url of [routePaths.health, routePaths.readiness, routePaths.metrics, '/nowhere']) {
      const response = await t.inject({ url });
      expect(response.headers['x-content-type-options'], url).toBe('nosniff');
    }
  });

  it('serves no /docs or /openapi.json when the API docs are off (the production default)', async () => {
    const quiet = await startTestServer({ env: { API_DOCS_ENABLED: 'false' } });
    try {
      for (const url of [`${routePaths.docs}/`, routePaths.openapi]) {
        expectProblem(await quiet.server.app.inject({ url }), 404, 'route_not_found');
      }
    } finally {
      await quiet.stop();
    }
  });

  describe('during a database outage', () => {
    const logged: string[] = [];
    let outage: Awaited<ReturnType<typeof startOutageServer>>;

    async function startOutageServer() {
      const database = await createTestDatabase();
      const proxy = await startFaultProxy(database.url);
      const logger = createLogger(
        { level: 'warn' },
        new Writable({
          write(chunk: Buffer, _encoding, done) {
            logged.push(chunk.toString());
            done();
          },
        }),
      );
      const issuer = await TestIssuer.start();
      const config = loadConfig({
        NODE_ENV: 'test',
        DATABASE_URL: proxy.url,
        SIMULATED_PAYMENT_DELAY_MS: '600000',
        METRICS_PORT: '0',
        ...authEnvironment(issuer),
      });
      const server = await createServer(config, { logger });
      const authorization = `Bearer ${await issuer.customer('user-1')}`;
      /** `app.inject` as the customer user-1. */
      const inject = (options: InjectOptions) =>
        server.app.inject({ ...options, headers: { ...options.headers, authorization } });
      return { database, proxy, server, issuer, inject, port: new URL(proxy.url).port };
    }

    beforeAll(async () => {
      outage = await startOutageServer();
    });
    afterAll(async () => {
      outage.proxy.heal();
      await outage.server.stop();
      await outage.proxy.close();
      await Promise.all([outage.database.drop(), outage.issuer.close()]);
    });

    it('answers 503 dependency_unavailable with Retry-After, not 500, and recovers by itself', async () => {
      const app = outage;
      const before = (await app.inject({ url: '/api/v1/users/user-1/orders' })).json().items;
      // The database goes away: open connections are cut, new ones fail.
      outage.proxy.cutAll();
      outage.proxy.refuse();

      const read = await app.inject({ url: `/api/v1/orders/${placed.id}` });
      const place = await app.inject({
        method: 'POST',
        url: '/api/v1/orders',
        headers: { 'idempotency-key': uniqueKey('outage') },
        payload: orderBody(),
      });
      for (const response of [read, place]) {
        expectProblem(response, 503, 'dependency_unavailable');
        expect(response.headers['retry-after']).toBe('5');
        expect(response.json()).toMatchObject({ dependency: 'database' });
        expect(response.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|postgres/i);
      }

      outage.proxy.heal();
      const after = await app.inject({ url: '/api/v1/users/user-1/orders' });
      expect(after.statusCode).toBe(200);
      expect(after.json().items).toEqual(before);
    });

    it('/readyz gives a generic reason; the driver’s message goes to the log only', async () => {
      // The database goes away: open connections are cut, new ones fail.
      outage.proxy.cutAll();
      outage.proxy.refuse();
      try {
        const ready = await outage.server.app.inject({ url: routePaths.readiness });
        expectProblem(ready, 503, 'not_ready');
        expect(ready.json().detail).toBe('database unreachable');
        expect(ready.body).not.toContain(outage.port);
        const entry = logged
          .map((line) => JSON.parse(line) as { msg?: string; err?: { message?: string } })
          .find((line) => line.msg === 'readiness check failed');
        expect(entry?.err?.message).toMatch(/ECONNREFUSED|Connection terminated/);
      } finally {
        outage.proxy.heal();
      }
    });
  });
});

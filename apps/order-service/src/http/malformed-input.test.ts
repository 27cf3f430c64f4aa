import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEV_PAYMENT_CALLBACK_SECRET,
  signPayload,
  SIGNATURE_HEADER,
} from '@mallhive/order-contracts';
import type { TestServer } from '../testing/test-server.ts';
import { orderBody, startTestServer, uniqueKey } from '../testing/test-server.ts';

/**
 * Whatever a client sends, the service answers as a service should: never a 5xx (a 5xx says "our fault",
 * pages someone, and invites a retry storm), and every refusal is an RFC 9457 problem with a stable `code`.
 * Inputs are random (fast-check); a failure prints the seed and the smallest input that breaks the rule.
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

/** Under a second per property on PGlite (most inputs are refused before the database). */
const runs = { numRuns: 300 };

function expectAClientAnswer(response: LightMyRequestResponse): void {
  expect(response.statusCode, response.body).toBeLessThan(500);
  if (response.statusCode < 400) return;
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.json()).toMatchObject({
    status: response.statusCode,
    code: expect.stringMatching(/^[a-z_]+$/),
  });
}

// ——— Generators ———

/**
 * Any text: control characters, the whole of Unicode, and often what PostgreSQL cannot store (NUL, unpaired
 * UTF-16 surrogates), which must be refused as invalid rather than fail in the database.
 */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc
    .tuple(fc.string({ maxLength: 10 }), fc.constantFrom('\u0000', '\ud800', '\udfff'))
    .map(([text, unstorable]) => `${text}${unstorable}`),
);
/** A path segment; URLs carry UTF-8, where an unpaired surrogate cannot exist. */
const pathSegment = (text: string) => encodeURIComponent(text.toWellFormed());
/** What can travel in an HTTP header value: tab, visible ASCII, space and Latin-1. */
const headerText = fc.string({
  unit: fc
    .oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0xa0, max: 0xff }))
    .map((code) => String.fromCharCode(code)),
  maxLength: 300,
});
const anyJson = fc.jsonValue({ maxDepth: 3 });
/** Values of every type, with the edges that often slip through: huge numbers, fractions, blanks, NUL. */
const oddValue = fc.oneof(
  anyJson,
  anyText,
  fc.constantFrom(
    0,
    -1,
    1.5,
    1e21,
    Number.MAX_SAFE_INTEGER + 2,
    '',
    ' ',
    '\t',
    '\u0000',
    'a\ud800',
    null,
    [],
    {},
  ),
);
const extraFields = fc.dictionary(anyText, anyJson, { minKeys: 1, maxKeys: 3 });
/** Raw bodies sent as JSON: noise, truncated JSON, prototype pollution attempts. */
const rawJsonText = fc.oneof(
  anyText,
  anyJson.map((value) => JSON.stringify(value).slice(0, -1)),
  fc.constantFrom(
    '{"__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    '{"a":1,"a":2}',
    '\uFEFF{}',
    'null',
    '',
  ),
);
const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/problem+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
);

/** Replaces (or removes) the value at `path` in a copy of `body`. */
function mutate(body: unknown, path: readonly (string | number)[], value: unknown): unknown {
  const copy = structuredClone(body) as Record<string | number, unknown>;
  let parent = copy;
  for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  if (value === undefined) delete parent[last];
  else parent[last] = value;
  return copy;
}

const orderPaths: (string | number)[][] = [
  ['userId'],
  ['currency'],
  ['items'],
  ['items', 0],
  ['items', 0, 'productId'],
  ['items', 0, 'quantity'],
  ['customerEmail'],
  ['shippingAddress'],
  ['shippingAddress', 'name'],
  ['shippingAddress', 'line1'],
  ['shippingAddress', 'line2'],
  ['shippingAddress', 'postalCode'],
  ['shippingAddress', 'country'],
];
const mutatedOrderBody = fc
  .tuple(
    fc.constantFrom(...orderPaths),
    fc.option(oddValue, { nil: undefined, freq: 5 }),
    fc.option(extraFields, { nil: undefined, freq: 3 }),
  )
  .map(([path, value, extra]) => {
    const body = mutate(orderBody(), path, value) as Record<string, unknown>;
    return extra ? { ...extra, ...body } : body;
  });

const orderId = () =>
  fc.oneof(
    fc.constant(placed.id),
    fc.uuid(),
    anyText.filter((text) => text.length > 0).map(pathSegment),
  );

// ——— Properties ———

describe('POST /api/v1/orders with malformed input', () => {
  const place = (payload: string, headers: Record<string, string>) =>
    t.inject({ method: 'POST', url: '/api/v1/orders', headers, payload });

  it('answers any JSON value as a body with a problem, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(anyJson, async (body) => {
        expectAClientAnswer(
          await place(JSON.stringify(body), {
            'content-type': 'application/json',
            'idempotency-key': uniqueKey('fuzz'),
          }),
        );
      }),
      runs,
    );
  });

  it('answers a valid order with one field changed to anything, or extra fields, without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedOrderBody, async (body) => {
        expectAClientAnswer(
          await place(JSON.stringify(body), {
            'content-type': 'application/json',
            'idempotency-key': uniqueKey('fuzz'),
          }),
        );
      }),
      runs,
    );
  });

  it('answers raw text under any content type with a problem, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(rawJsonText, contentType, async (payload, type) => {
        expectAClientAnswer(
          await place(payload, { 'content-type': type, 'idempotency-key': uniqueKey('fuzz') }),
        );
      }),
      runs,
    );
  });

  it('answers any Idempotency-Key header without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(headerText, async (key) => {
        expectAClientAnswer(
          await place(JSON.stringify(orderBody()), {
            'content-type': 'application/json',
            'idempotency-key': key,
          }),
        );
      }),
      runs,
    );
  });
});

describe('order commands with malformed input', () => {
  const commands = fc.constantFrom('cancel', 'fulfilment', 'shipment', 'delivery');
  const commandBody = fc.oneof(
    anyJson,
    extraFields,
    fc.record({ reason: oddValue }),
    fc.record({ carrier: oddValue, trackingNumber: oddValue }),
  );
  const ifMatch = fc.option(
    fc.oneof(
      headerText,
      fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map((version) => `"${version}"`),
      fc.nat().map((version) => `W/"${version}"`),
    ),
    { nil: undefined },
  );

  it('answers any id, body and If-Match with a problem or the order, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        commands,
        orderId(),
        commandBody,
        ifMatch,
        async (command, id, body, version) => {
          expectAClientAnswer(
            await t.inject({
              method: 'POST',
              url: `/api/v1/orders/${id}/${command}`,
              headers: {
                'content-type': 'application/json',
                ...(version === undefined ? {} : { 'if-match': version }),
              },
              payload: JSON.stringify(body),
            }),
          );
        },
      ),
      runs,
    );
  });

  it('answers any id on GET /api/v1/orders/{id} without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(orderId(), async (id) => {
        expectAClientAnswer(await t.inject({ url: `/api/v1/orders/${id}` }));
      }),
      runs,
    );
  });
});

describe('POST /api/v1/payments/callback with malformed input', () => {
  /** Signed correctly, so the body itself is what gets judged. */
  const deliver = (rawBody: string) =>
    t.inject({
      method: 'POST',
      url: '/api/v1/payments/callback',
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: signPayload(
          rawBody,
          DEV_PAYMENT_CALLBACK_SECRET,
          Math.floor(Date.now() / 1000),
        ),
      },
      payload: rawBody,
    });

  const callbackBody = () => ({
    paymentId: 'pay-fuzz',
    orderId: placed.id,
    status: 'failed',
    amount: placed.total,
    currency: placed.currency,
  });
  const callbackPaths = ['paymentId', 'orderId', 'status', 'amount', 'currency', 'failureReason'];

  it('answers signed bodies with a field changed to anything, or extra fields, without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...callbackPaths),
        oddValue,
        fc.option(extraFields, { nil: undefined, freq: 3 }),
        async (path, value, extra) => {
          const body = mutate(callbackBody(), [path], value) as Record<string, unknown>;
          expectAClientAnswer(await deliver(JSON.stringify(extra ? { ...extra, ...body } : body)));
        },
      ),
      runs,
    );
  });

  it('answers signed raw text and any JSON value without a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          rawJsonText,
          anyJson.map((v) => JSON.stringify(v)),
        ),
        async (raw) => {
          expectAClientAnswer(await deliver(raw));
        },
      ),
      runs,
    );
  });

  it('answers any Mallhive-Signature header with 401 invalid_signature', async () => {
    await fc.assert(
      fc.asyncProperty(headerText, async (signature) => {
        const response = await t.inject({
          method: 'POST',
          url: '/api/v1/payments/callback',
          headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature },
          payload: JSON.stringify(callbackBody()),
        });
        expectAClientAnswer(response);
        expect(response.json()).toMatchObject({ code: 'invalid_signature' });
      }),
      runs,
    );
  });
});

describe('GET /api/v1/users/{userId}/orders with malformed input', () => {
  const parameter = fc.option(fc.oneof(anyText, fc.integer().map(String), fc.constant('')), {
    nil: undefined,
  });

  it('answers any user id, limit, cursor and status with a page or a problem, never a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.constant('user-1'),
          anyText.filter((text) => text.length > 0),
        ),
        fc.record({ limit: parameter, cursor: parameter, status: parameter }),
        fc.option(fc.tuple(anyText, anyText), { nil: undefined }),
        async (userId, query, extra) => {
          const search = new URLSearchParams();
          for (const [name, value] of Object.entries(query)) {
            if (value !== undefined) search.append(name, value);
          }
          if (extra) search.append(...extra);
          expectAClientAnswer(
            await t.inject({
              url: `/api/v1/users/${pathSegment(userId)}/orders?${search.toString()}`,
            }),
          );
        },
      ),
      runs,
    );
  });
});

// Named cases of the rule above, for the characters PostgreSQL cannot hold in text or jsonb.
describe('text that PostgreSQL cannot store', () => {
  const withText = (text: string) =>
    [
      ['POST /orders userId', () => t.placeOrder({ userId: `user${text}` })],
      [
        'POST /orders productId',
        () => t.placeOrder({ items: [{ productId: `sku${text}`, quantity: 1 }] }),
      ],
      [
        'POST /orders shippingAddress.name',
        () =>
          t.placeOrder({ shippingAddress: { ...orderBody().shippingAddress, name: `Ada${text}` } }),
      ],
      [
        'GET /users/{userId}/orders',
        () => t.inject({ url: `/api/v1/users/${encodeURIComponent(`user${text}`)}/orders` }),
      ],
      [
        'POST /orders/{id}/cancel reason',
        () =>
          t.inject({
            method: 'POST',
            url: `/api/v1/orders/${placed.id}/cancel`,
            payload: { reason: `changed my mind${text}` },
          }),
      ],
    ] as const;

  it.each([
    ...withText('\u0000').map(([where, send]) => [`a NUL in ${where}`, send] as const),
    // An unpaired surrogate cannot travel in a URL, so only bodies carry one.
    ...withText('\ud800')
      .filter(([where]) => !where.startsWith('GET'))
      .map(([where, send]) => [`an unpaired surrogate in ${where}`, send] as const),
  ])('refuses %s with 400 validation_failed, not a 5xx', async (_case, send) => {
    const response = await send();
    expectAClientAnswer(response);
    expect(response.json()).toMatchObject({ code: 'validation_failed' });
  });
});

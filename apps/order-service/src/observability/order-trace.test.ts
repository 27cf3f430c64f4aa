import { Writable } from 'node:stream';
import { DEV_PAYMENT_CALLBACK_SECRET, signPayload } from '@mallhive/order-contracts';
import { context, ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import type { Message } from 'kafkajs';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CloudEvent } from '../events/cloud-event.ts';
import type { ScriptedPeer } from '../adapters/http/testing/scripted-peer.ts';
import type { FinishedSpan } from '../testing/in-memory-tracing.ts';
import { describeSpan, startInMemoryTracing } from '../testing/in-memory-tracing.ts';
import type { TestServer } from '../testing/test-server.ts';

// Tracing starts before the service's modules load: pg is patched when it is first imported.
const tracing = startInMemoryTracing();
const { startTestServer, eventually, orderBody, uniqueKey } =
  await import('../testing/test-server.ts');
const { createHttpPeers } = await import('../adapters/http/http-peers.ts');
const { startScriptedPeer } = await import('../adapters/http/testing/scripted-peer.ts');
const { KafkaPublisher } = await import('../adapters/events/kafka-publisher.ts');
const { headerText } = await import('../adapters/events/kafka-binary-mode.ts');
const { createLogger } = await import('./logger.ts');

const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

/**
 * The four peers as one real HTTP server (product, payment, notification, analytics answer by path), so
 * every peer call goes through undici and its instrumentation, as in production.
 */
/** While set, the notification service refuses every email (a 400). */
const emails = { refused: false };

async function startPeers(): Promise<ScriptedPeer> {
  const peer = await startScriptedPeer();
  peer.answer((request) => {
    if (request.url === '/api/v1/notify/email' && emails.refused)
      return { status: 400, body: { message: 'mailbox full' } };
    const body = request.body as {
      orderId?: string;
      items?: { productId: string; quantity: number }[];
    };
    if (request.url === '/api/v1/reservations')
      return {
        status: 201,
        body: {
          orderId: body.orderId,
          status: 'reserved',
          lines: (body.items ?? []).map((item) => ({ ...item, unitPrice: 1250 })),
        },
      };
    if (request.url === '/api/v1/payments')
      return { status: 202, body: { paymentId: `pay-${body.orderId}`, status: 'pending' } };
    return { status: 200, body: {} };
  });
  return peer;
}

let peers: ScriptedPeer;
let closePeerClients: () => Promise<void>;
let t: TestServer;
const logLines: Record<string, unknown>[] = [];
const published: CloudEvent[] = [];
const kafkaMessages: Message[] = [];

beforeAll(async () => {
  peers = await startPeers();
  const kafka = new KafkaPublisher({
    topic: 'mallhive.orders.v1',
    producer: {
      connect: async () => undefined,
      disconnect: async () => undefined,
      send: async (record) => {
        kafkaMessages.push(...record.messages);
      },
    },
  });
  const { close, ...httpPeers } = createHttpPeers(
    {
      kind: 'http',
      productUrl: peers.url,
      paymentUrl: peers.url,
      notificationUrl: peers.url,
      analyticsUrl: peers.url,
      analyticsApiKey: { value: 'test-key' },
      timeoutMs: 5_000,
    },
    { registry: new Registry(), logger: pino({ level: 'silent' }), analyticsApiKey: 'test-key' },
  );
  closePeerClients = close;
  t = await startTestServer({
    overrides: {
      logger: createLogger(
        { level: 'info' },
        new Writable({
          write(chunk: Buffer, _encoding, done) {
            logLines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
            done();
          },
        }),
      ),
      peers: httpPeers,
      publisher: {
        async publish(events) {
          published.push(...events);
          await kafka.publish(events);
        },
      },
    },
  });
});
afterAll(async () => {
  await t.stop();
  await closePeerClients();
  await peers.close();
  await tracing.shutdown();
});

const orderStatus = async (id: string) =>
  (await t.inject({ url: `/api/v1/orders/${id}` })).json<{ status: string }>().status;

/** Runs the outbox dispatcher until `done` holds. */
const dispatchUntil = (done: () => Promise<boolean>) =>
  eventually(async () => {
    await t.server.dispatcher.runOnce();
    return (await done()) ? true : undefined;
  });

const outboxIsEmpty = async (orderId: string) =>
  (await t.server.context.db.query('SELECT 1 FROM outbox WHERE order_id = $1', [orderId]))
    .rowCount === 0;

function placeOrder(headers: Record<string, string> = {}) {
  return t.inject({
    method: 'POST',
    url: '/api/v1/orders',
    headers: { 'idempotency-key': uniqueKey('trace'), ...headers },
    payload: orderBody(),
  });
}

/** The payment service's signed "succeeded" callback for the order, with the trace headers given. */
async function paymentCallback(orderId: string, traceHeaders: Record<string, string>) {
  const initiation = peers.received.find(
    (request) =>
      request.url === '/api/v1/payments' &&
      (request.body as { orderId?: string }).orderId === orderId,
  );
  const charged = initiation?.body as { amount: number; currency: string };
  const outcome = JSON.stringify({
    paymentId: `pay-${orderId}`,
    orderId,
    status: 'succeeded',
    amount: charged.amount,
    currency: charged.currency,
  });
  // Outside any trace of the test itself: only the headers say which trace the callback belongs to.
  return context.with(ROOT_CONTEXT, () =>
    t.server.app.inject({
      method: 'POST',
      url: '/api/v1/payments/callback',
      headers: {
        'content-type': 'application/json',
        'mallhive-signature': signPayload(
          outcome,
          DEV_PAYMENT_CALLBACK_SECRET,
          Math.floor(Date.now() / 1000),
        ),
        ...traceHeaders,
      },
      payload: outcome,
    }),
  );
}

/** The span the HTTP layer made for a request (Fastify's instrumentation), by route. */
const requestSpan = (spans: FinishedSpan[], route: string) =>
  spans.find((span) => span.name === 'request' && span.attributes['http.route'] === route);

const parentOf = (span: FinishedSpan | undefined) => span?.parentSpanContext?.spanId;

describe("one order's life is one trace", () => {
  it('follows the order from the request through reservation, outbox, payment, callback and publishing', async () => {
    // 1. The checkout calls with its own trace context.
    const created = await placeOrder({
      traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01`,
      tracestate: 'checkout=1',
    });
    expect(created.statusCode).toBe(201);
    const orderId = created.json<{ id: string }>().id;

    // 2. The dispatcher initiates the payment; 3. the payment service calls back later, propagating the
    // W3C trace context it received with the initiation (as a traced payment service does).
    await dispatchUntil(async () => (await orderStatus(orderId)) === 'AWAITING_PAYMENT');
    const initiation = peers.received.find((request) => request.url === '/api/v1/payments');
    const callbackParent = String(initiation?.headers.traceparent);
    expect(callbackParent).toMatch(new RegExp(`^00-${CALLER_TRACE}-[0-9a-f]{16}-01$`));
    const callback = await paymentCallback(orderId, {
      traceparent: callbackParent,
      tracestate: String(initiation?.headers.tracestate),
    });
    expect(callback.statusCode, callback.body).toBe(200);
    await dispatchUntil(() => outboxIsEmpty(orderId));

    const spans = await tracing.trace(CALLER_TRACE);
    const picture = spans.map(describeSpan).join('\n');

    // Every span of the trace hangs off the caller's span or another span of the same trace.
    const ids = new Set(spans.map((span) => span.spanContext().spanId));
    for (const span of spans)
      expect(
        parentOf(span) === CALLER_SPAN || ids.has(parentOf(span) ?? ''),
        `${describeSpan(span)} has no parent in the trace:\n${picture}`,
      ).toBe(true);

    // Create: the request span is the child of the caller's span.
    const create = requestSpan(spans, '/api/v1/orders');
    expect(parentOf(create), picture).toBe(CALLER_SPAN);
    const below = (ancestor: FinishedSpan | undefined, span: FinishedSpan | undefined): boolean => {
      const parent = spans.find((candidate) => candidate.spanContext().spanId === parentOf(span));
      if (!parent) return false;
      return parent === ancestor || below(ancestor, parent);
    };
    const clientCall = (path: string) =>
      spans.filter(
        (span) =>
          span.kind === SpanKind.CLIENT && String(span.attributes['url.full']).endsWith(path),
      );

    // Reserve: the peer call is a client span under the request, and the peer got the trace context.
    const [reserve] = clientCall('/api/v1/reservations');
    expect(below(create, reserve), picture).toBe(true);
    const reservation = peers.received.find((request) => request.url === '/api/v1/reservations');
    expect(String(reservation?.headers.traceparent)).toContain(
      `${CALLER_TRACE}-${reserve?.spanContext().spanId}`,
    );

    // Outbox: the order and its outbox entries are written in one statement, under the request.
    const write = spans.find((span) => span.name.startsWith('pg.query:insert-placed-order'));
    expect(below(create, write), picture).toBe(true);
    const stored = await t.server.context.db.query<{ traceparent: string | null }>(
      'SELECT traceparent FROM outbox WHERE order_id = $1',
      [orderId],
    );
    expect(stored.rowCount).toBe(0); // all done; the rows carried the context while they waited

    // Payment initiation: the dispatcher's span continues the request, the payment call hangs below it.
    const initiate = spans.find((span) => span.name === 'outbox payment.initiate');
    expect(initiate?.kind).toBe(SpanKind.CONSUMER);
    expect(below(create, initiate), picture).toBe(true);
    const [paymentCall] = clientCall('/api/v1/payments');
    expect(parentOf(paymentCall)).toBe(initiate?.spanContext().spanId);

    // Callback: the payment service's callback continues from the payment call.
    const paid = requestSpan(spans, '/api/v1/payments/callback');
    expect(parentOf(paid), picture).toBe(paymentCall?.spanContext().spanId);

    // Later work of each step lands in the trace: stock commit after payment, emails, analytics.
    for (const kind of ['stock.commit', 'notification.send', 'analytics.record'])
      expect(
        spans.some((span) => span.name === `outbox ${kind}`),
        `${kind}\n${picture}`,
      ).toBe(true);
    const commit = spans.find((span) => span.name === 'outbox stock.commit');
    expect(below(paid, commit), picture).toBe(true);

    // Publish: each event has a producer span in the trace, and carries its context.
    const events = published.filter((event) => event.subject === orderId);
    expect(events.map((event) => event.type)).toEqual([
      'com.mallhive.order.placed.v1',
      'com.mallhive.order.payment-initiated.v1',
      'com.mallhive.order.paid.v1',
    ]);
    for (const event of events) {
      const producer = spans.find(
        (span) => span.kind === SpanKind.PRODUCER && span.name === `publish ${event.type}`,
      );
      expect(event.traceparent).toBe(`00-${CALLER_TRACE}-${producer?.spanContext().spanId}-01`);
      expect(event.tracestate).toBe('checkout=1');
      const message = kafkaMessages.find(
        (candidate) => headerText(candidate.headers, 'ce_id') === event.id,
      );
      expect(headerText(message?.headers, 'traceparent')).toBe(event.traceparent);
      expect(headerText(message?.headers, 'ce_traceparent')).toBe(event.traceparent);
      expect(headerText(message?.headers, 'tracestate')).toBe('checkout=1');
    }
    const placedProducer = spans.find(
      (span) => span.name === 'publish com.mallhive.order.placed.v1',
    );
    expect(below(create, placedProducer), picture).toBe(true);
    const paidProducer = spans.find((span) => span.name === 'publish com.mallhive.order.paid.v1');
    expect(below(paid, paidProducer), picture).toBe(true);

    // The broker call sends a batch for several orders: its own trace, linked to each event's span.
    const sends = (await tracing.spans()).filter((span) => span.name === 'send events');
    const linked = new Set(sends.flatMap((span) => span.links.map((link) => link.context.spanId)));
    for (const event of events)
      expect(linked.has(event.traceparent?.split('-')[2] ?? '')).toBe(true);
  });
});

describe('trace context on incoming requests', () => {
  it('a request without traceparent starts a new trace, which its outbox entries record', async () => {
    const created = await placeOrder();
    expect(created.statusCode).toBe(201);
    const orderId = created.json<{ id: string }>().id;
    const create = (await tracing.spans()).find(
      (span) =>
        span.name === 'request' &&
        span.attributes['http.route'] === '/api/v1/orders' &&
        span.endTime[0] > 0 &&
        parentOf(span) === undefined,
    );
    expect(create).toBeDefined();
    const stored = await t.server.context.db.query<{ traceparent: string }>(
      'SELECT DISTINCT traceparent FROM outbox WHERE order_id = $1',
      [orderId],
    );
    expect(stored.rows.map((row) => row.traceparent.split('-')[1])).toEqual([
      create?.spanContext().traceId,
    ]);
  });

  it('probes make no spans, whatever their query string: they run every few seconds and say nothing about orders', async () => {
    const probes = ['/healthz', '/readyz', '/readyz?verbose=1'];
    for (const url of probes) expect((await t.inject({ url, token: null })).statusCode).toBe(200);
    const probeSpans = (await tracing.spans()).filter((span) =>
      probes.includes(String(span.attributes['url.path'])),
    );
    expect(probeSpans.map((span) => span.attributes['url.path'])).toEqual([]);
  });

  it("a caller's unsampled trace records nothing here, yet its context reaches the outbox and the peers, unsampled", async () => {
    const unsampledTrace = '0af7651916cd43dd8448eb211c80319c';
    const unsampled = (span: string) => `00-${unsampledTrace}-${span}-00`;
    const continuesUnsampled = new RegExp(`^00-${unsampledTrace}-[0-9a-f]{16}-00$`);
    const storedTraceparents = async (orderId: string) =>
      (
        await t.server.context.db.query<{ traceparent: string }>(
          'SELECT DISTINCT traceparent FROM outbox WHERE order_id = $1',
          [orderId],
        )
      ).rows.map((row) => row.traceparent);

    const created = await placeOrder({ traceparent: unsampled(CALLER_SPAN) });
    expect(created.statusCode).toBe(201);
    const orderId = created.json<{ id: string }>().id;
    const reservation = peers.received.find(
      (request) =>
        request.url === '/api/v1/reservations' &&
        (request.body as { orderId?: string }).orderId === orderId,
    );
    expect(String(reservation?.headers.traceparent)).toMatch(continuesUnsampled);
    const placed = await storedTraceparents(orderId);
    expect(placed).toHaveLength(1);
    expect(placed[0]).toMatch(continuesUnsampled);

    // The payment callback, continuing the same unsampled trace, writes the next step.
    await dispatchUntil(async () => (await orderStatus(orderId)) === 'AWAITING_PAYMENT');
    const callback = await paymentCallback(orderId, { traceparent: unsampled('b7ad6b7169203331') });
    expect(callback.statusCode, callback.body).toBe(200);
    const paid = await storedTraceparents(orderId);
    expect(paid.length).toBeGreaterThan(0);
    for (const traceparent of paid) expect(traceparent).toMatch(continuesUnsampled);

    expect((await tracing.trace(unsampledTrace)).map(describeSpan)).toEqual([]);
  });

  it.each([
    ['garbage', 'not-a-traceparent'],
    ['an all-zero trace id', '00-00000000000000000000000000000000-00f067aa0ba902b7-01'],
    ['the forbidden version ff', `ff-${CALLER_TRACE}-${CALLER_SPAN}-01`],
    ['a truncated value', `00-${CALLER_TRACE}-00f0`],
    ['a huge value', `00-${'a'.repeat(8_000)}`],
  ])('a request with %s as traceparent is served and starts a new trace', async (_case, value) => {
    tracing.reset();
    const created = await placeOrder({ traceparent: value, tracestate: 'x=1' });
    expect(created.statusCode).toBe(201);
    const read = await t.inject({
      url: `/api/v1/orders/${created.json<{ id: string }>().id}`,
      headers: { traceparent: value },
    });
    expect(read.statusCode).toBe(200);
    // Only the order service's own requests (the peers' server spans belong to the peers).
    const requests = (await tracing.spans()).filter(
      (span) =>
        span.name === 'request' &&
        String(span.attributes['http.route']).startsWith('/api/v1/orders'),
    );
    expect(requests).toHaveLength(2);
    for (const span of requests) {
      expect(parentOf(span)).toBeUndefined();
      expect(span.spanContext().traceId).not.toBe(CALLER_TRACE);
    }
  });
});

describe('logs of traced work', () => {
  it("name the order's trace, so the line an alert leads to opens the trace", async () => {
    const trace = '5cf92f3577b34da6a3ce929d0e0e4736';
    emails.refused = true;
    let orderId = '';
    try {
      const created = await placeOrder({ traceparent: `00-${trace}-${CALLER_SPAN}-01` });
      orderId = created.json<{ id: string }>().id;
      await dispatchUntil(async () =>
        logLines.some((line) => line.orderId === orderId && line.kind === 'notification.send'),
      );
    } finally {
      emails.refused = false;
    }
    const failure = logLines.find(
      (line) => line.msg === 'outbox entry failed; will retry' && line.orderId === orderId,
    );
    expect(failure).toMatchObject({
      kind: 'notification.send',
      trace_id: trace,
      trace_flags: '01',
    });
    const emailSpan = (await tracing.trace(trace)).find(
      (span) => span.name === 'outbox notification.send',
    );
    expect(failure?.span_id).toBe(emailSpan?.spanContext().spanId);
    expect(emailSpan?.status.code).toBe(2); // ERROR
    expect(emailSpan?.events.map((event) => event.name)).toContain('exception');
  });
});

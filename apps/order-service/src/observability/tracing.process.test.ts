import type { NodeProcess, TestDatabase } from '@mallhive/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OtlpReceiver } from '../testing/otlp-receiver.ts';
import { startOtlpReceiver } from '../testing/otlp-receiver.ts';
import { runServiceUntilExit, startServiceProcess } from '../testing/service-process.ts';
import { createTestDatabase } from '../testing/test-database.ts';
import { authEnvironment, TestIssuer } from '../testing/test-issuer.ts';
import { eventually, orderBody, uniqueKey } from '../testing/test-server.ts';

/**
 * The service process as it runs in the cluster (`node --import ./src/instrument.ts src/main.ts`, Node 24
 * stripping the types), exporting over OTLP/HTTP to a receiver in this test — the part of tracing that
 * only a real process shows: pg and http patched by the preload, spans exported, logs carrying the trace.
 */
const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

let receiver: OtlpReceiver;
let database: TestDatabase;
let issuer: TestIssuer;
let service: NodeProcess;
let orderId: string;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  [database, issuer] = await Promise.all([createTestDatabase(), TestIssuer.start()]);
  // Every call carries a token of a real issuer the process trusts (its JWKS on loopback).
  const authorization = `Bearer ${await issuer.customer(orderBody().userId)}`;
  service = await startServiceProcess({
    DATABASE_URL: database.url,
    METRICS_PORT: '0',
    ...authEnvironment(issuer),
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_SERVICE_NAME: 'order-service-under-test',
    // Export only at shutdown, so the test also shows that stopping flushes what is buffered.
    OTEL_BSP_SCHEDULE_DELAY: '600000',
    SIMULATED_PAYMENT_DELAY_MS: '10',
  });
  const created = await fetch(`${service.baseUrl}/api/v1/orders`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'idempotency-key': uniqueKey('process-trace'),
      authorization,
      traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01`,
    },
    body: JSON.stringify(orderBody()),
  });
  expect(created.status).toBe(201);
  orderId = ((await created.json()) as { id: string }).id;
  // Paid (the outbox initiated the payment, the simulated callback came back), and the outbox empty.
  await eventually(async () => {
    const order = await fetch(`${service.baseUrl}/api/v1/orders/${orderId}`, {
      headers: { authorization },
    });
    const ready = await fetch(`${service.baseUrl}/readyz`);
    const { status } = (await order.json()) as { status: string };
    const { outbox } = (await ready.json()) as { outbox: { backlog: number } };
    return status === 'PAID' && outbox.backlog === 0 ? true : undefined;
  });
  expect(receiver.spans).toEqual([]);
  expect(await service.stop()).toEqual({ code: 0, signal: null });
}, 60_000);

afterAll(async () => {
  await service?.kill();
  await database?.drop();
  await issuer?.close();
  await receiver?.close();
});

describe('the service process with tracing on', () => {
  it("exports, when it stops, the spans of the caller's trace: the request, its queries, the outbox work", () => {
    const trace = receiver.spans.filter((span) => span.traceId === CALLER_TRACE);
    const request = trace.find(
      (span) => span.name === 'request' && span.parentSpanId === CALLER_SPAN,
    );
    expect(request?.kind).toBe(2); // server
    // pg is patched by the preload even though the service imports it as an ES module.
    expect(trace.map((span) => span.name)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^pg\.query:claim-idempotency-key /),
        expect.stringMatching(/^pg\.query:insert-placed-order /),
        'outbox payment.initiate',
        'publish com.mallhive.order.placed.v1',
        'publish com.mallhive.order.paid.v1',
      ]),
    );
    expect(new Set(receiver.spans.map((span) => span.serviceName))).toEqual(
      new Set(['order-service-under-test']),
    );
  });

  it("writes the order's trace id on its log lines", () => {
    const lines = service
      .stdout()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const placed = lines.find((line) => line.msg === 'event com.mallhive.order.placed.v1');
    expect(placed).toMatchObject({ trace_id: CALLER_TRACE });
    const completed = lines.filter(
      (line) => line.msg === 'request completed' && line.trace_id === CALLER_TRACE,
    );
    expect(completed.length).toBeGreaterThan(0);
    expect(
      lines.find((line) => line.msg?.toString().startsWith('order-service ready')),
    ).toMatchObject({ tracing: `${receiver.endpoint} (parentbased_traceidratio 1)` });
  });
});

describe('start-up with bad tracing settings', () => {
  it('refuses to start, naming each OTEL_ variable that does not parse', async () => {
    const run = await runServiceUntilExit({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'adot-collector:4318',
      OTEL_TRACES_SAMPLER_ARG: 'ten percent',
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('order-service cannot start. Invalid configuration:');
    expect(run.stderr).toContain('- OTEL_EXPORTER_OTLP_ENDPOINT: must be an http(s) URL');
    expect(run.stderr).toContain('- OTEL_TRACES_SAMPLER_ARG: must be a ratio between 0 and 1');
  });
});

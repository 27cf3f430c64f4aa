import type { Context } from '@opentelemetry/api';
import { context, ROOT_CONTEXT, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TestDatabase } from '@mallhive/testing';
import { startInMemoryTracing } from '../../testing/in-memory-tracing.ts';
import type { Database as DatabaseType, Queryable } from './database.ts';

// Tracing starts before pg loads, so its instrumentation patches the driver as in the service.
const tracing = startInMemoryTracing();
const { Database } = await import('./database.ts');
const { createTestDatabase } = await import('../../testing/test-database.ts');

let database: TestDatabase;
let db: DatabaseType;
beforeAll(async () => {
  database = await createTestDatabase();
  // One connection: the second caller has to wait for the first to give it back.
  db = await Database.open({
    connectionConfig: async () => ({ connectionString: database.url }),
    max: 1,
    logger: pino({ level: 'silent' }),
  });
});
afterAll(async () => {
  await db.close();
  await database.drop();
  await tracing.shutdown();
});
beforeEach(() => tracing.reset());

const tracer = trace.getTracer('database-trace-spec');

/** `work` as a request of its own: a new trace, sampled (recording) unless `sampled` is false. */
function asRequest<T>(name: string, work: () => Promise<T>, sampled = true): Promise<T> {
  const parent: Context = sampled
    ? ROOT_CONTEXT
    : trace.setSpanContext(ROOT_CONTEXT, {
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        traceFlags: TraceFlags.NONE,
      });
  return context.with(parent, () =>
    sampled
      ? tracer.startActiveSpan(name, async (span) => {
          try {
            return await work();
          } finally {
            span.end();
          }
        })
      : work(),
  );
}

/** Each query span as [statement, the name of the span it belongs to]. */
async function queriesByParent(): Promise<[unknown, string | undefined][]> {
  const spans = await tracing.spans();
  return spans
    .filter((span) => span.kind === SpanKind.CLIENT)
    .map((span) => [
      span.attributes['db.query.text'],
      spans.find((parent) => parent.spanContext().spanId === span.parentSpanContext?.spanId)?.name,
    ]);
}

/** Holds the only connection for 50 ms, so the caller started next waits for it. */
const holdConnection = () => db.query('SELECT pg_sleep(0.05)');

describe('a query that waited for a connection', () => {
  it('is traced in its own request, not in the one that gave the connection back', async () => {
    await Promise.all([
      asRequest('first request', holdConnection),
      asRequest('second request', () => db.query('SELECT 2 AS waited')),
    ]);
    expect(await queriesByParent()).toEqual([
      ['SELECT pg_sleep(0.05)', 'first request'],
      ['SELECT 2 AS waited', 'second request'],
    ]);
  });

  it('of an unsampled request is recorded nowhere, even when a sampled request gave it the connection', async () => {
    await Promise.all([
      asRequest('sampled request', holdConnection),
      asRequest('unsampled request', () => db.query('SELECT 2 AS waited'), false),
    ]);
    expect(await queriesByParent()).toEqual([['SELECT pg_sleep(0.05)', 'sampled request']]);
  });

  it('in a transaction is traced in its own request too', async () => {
    const insideTransaction = (client: Queryable) => client.query('SELECT 3 AS in_transaction');
    await Promise.all([
      asRequest('first request', holdConnection),
      asRequest('second request', () => db.transaction(insideTransaction)),
    ]);
    expect(await queriesByParent()).toEqual(
      expect.arrayContaining([['SELECT 3 AS in_transaction', 'second request']]),
    );
    expect((await queriesByParent()).filter(([, parent]) => parent === 'first request')).toEqual([
      ['SELECT pg_sleep(0.05)', 'first request'],
    ]);
  });
});

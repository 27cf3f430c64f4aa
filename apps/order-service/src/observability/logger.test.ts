import { Writable } from 'node:stream';
import { trace } from '@opentelemetry/api';
import { afterAll, describe, expect, it } from 'vitest';
import { startInMemoryTracing } from '../testing/in-memory-tracing.ts';
import { createLogger } from './logger.ts';

const tracing = startInMemoryTracing();
afterAll(() => tracing.shutdown());

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ level: 'info' }, stream), lines };
}

describe('logs', () => {
  it('are JSON lines naming the service', () => {
    const { logger, lines } = capture();
    logger.info({ orderId: 'o-1' }, 'order placed');
    expect(lines[0]).toMatchObject({
      service: 'order-service',
      orderId: 'o-1',
      msg: 'order placed',
      level: 30,
    });
  });

  it('never contain customers’ email addresses, credentials or signatures', () => {
    const { logger, lines } = capture();
    logger.info({
      customerEmail: 'ada@example.com',
      order: { customerEmail: 'ada@example.com' },
      email: { to: 'ada@example.com', subject: 'Order received' },
      database: { user: 'orders', password: 'hunter2' },
      req: { headers: { authorization: 'Bearer abc', 'mallhive-signature': 't=1,v1=ff' } },
    });
    const text = JSON.stringify(lines[0]);
    for (const secret of ['ada@example.com', 'hunter2', 'Bearer abc', 't=1,v1=ff']) {
      expect(text).not.toContain(secret);
    }
    expect(lines[0]).toMatchObject({ email: { subject: 'Order received', to: '[redacted]' } });
  });

  it('name the trace and span of the work they were written in, so a line leads to its trace', () => {
    const { logger, lines } = capture();
    logger.info('before');
    const ids = trace.getTracer('logger.test').startActiveSpan('work', (span) => {
      logger.child({ component: 'outbox' }).warn('inside');
      span.end();
      return span.spanContext();
    });
    logger.info('after');
    expect(lines[0]).not.toHaveProperty('trace_id');
    expect(lines[1]).toMatchObject({
      msg: 'inside',
      trace_id: ids.traceId,
      span_id: ids.spanId,
      trace_flags: '01',
    });
    expect(lines[2]).not.toHaveProperty('trace_id');
  });
});

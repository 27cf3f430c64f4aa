import { SpanKind, trace } from '@opentelemetry/api';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { DependencyUnavailableError, OrderError } from '../../domain/errors.ts';
import { startInMemoryTracing } from '../../testing/in-memory-tracing.ts';
import {
  paymentResultHandler,
  type ApplyPaymentResult,
  type PaymentResultRecord,
} from './kafka-payment-results.ts';
import type { PaymentOutcome } from '@mallhive/order-contracts';

const tracing = startInMemoryTracing();
afterAll(() => tracing.shutdown());

const outcome: PaymentOutcome = {
  paymentId: 'pay-1',
  orderId: '0b8a5f0e-7c1d-4e0a-9a53-3f2d0c4b9e11',
  status: 'succeeded',
  amount: 3499,
  currency: 'EUR',
};

function record(value: unknown, headers: Record<string, Buffer> = {}): PaymentResultRecord {
  return {
    topic: 'mallhive.payments.results.v1',
    partition: 3,
    message: {
      offset: '41',
      value: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
      headers,
    },
  };
}

/** The handler with an `apply` under test control; `log` shows what happened in which order. */
function handlerWith(apply: ApplyPaymentResult) {
  const log: string[] = [];
  const applied: { outcome: PaymentOutcome; messageId: string }[] = [];
  const handle = paymentResultHandler({
    apply: async (result, options) => {
      log.push('apply started');
      await apply(result, options);
      applied.push({ outcome: result, messageId: options.messageId });
      log.push('apply resolved');
    },
    commit: async (offsets) => {
      log.push(`commit ${offsets.map((o) => `${o.topic}/${o.partition}@${o.offset}`).join()}`);
    },
    logger: pino({ level: 'silent' }),
  });
  return { handle, log, applied };
}

describe('consuming payment results from Kafka', () => {
  it('applies the outcome and commits the next offset only after apply resolved', async () => {
    let finishApply!: () => void;
    const { handle, log, applied } = handlerWith(
      () => new Promise<void>((resolve) => (finishApply = resolve)),
    );

    const handling = handle(record(outcome, { ce_id: Buffer.from('evt-9') }));
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).toEqual(['apply started']);

    finishApply();
    await handling;
    expect(log).toEqual([
      'apply started',
      'apply resolved',
      'commit mallhive.payments.results.v1/3@42',
    ]);
    expect(applied).toEqual([{ outcome, messageId: 'evt-9' }]);
  });

  it('identifies a message without a CloudEvents id by its position in the log', async () => {
    const { handle, applied } = handlerWith(async () => {});
    await handle(record(outcome));
    expect(applied[0]?.messageId).toBe('kafka:mallhive.payments.results.v1:3:41');
  });

  it('does not commit when the outcome could not be applied yet, so it is delivered again', async () => {
    const { handle, log } = handlerWith(async () => {
      throw new DependencyUnavailableError('database');
    });
    await expect(handle(record(outcome))).rejects.toThrow('unavailable');
    expect(log).toEqual(['apply started']);
  });

  it('skips (commits) an outcome the order refuses for good, so it cannot block the partition', async () => {
    const { handle, log } = handlerWith(async () => {
      throw new OrderError('payment_mismatch', 'amount differs');
    });
    await handle(record(outcome));
    expect(log).toEqual(['apply started', 'commit mallhive.payments.results.v1/3@42']);
  });

  it.each([
    ['not JSON', 'status=paid'],
    ['missing fields', { orderId: outcome.orderId, status: 'succeeded' }],
    ['an unknown status', { ...outcome, status: 'maybe' }],
    ['money as a fraction', { ...outcome, amount: 34.99 }],
    ['a field the contract does not know', { ...outcome, capturedAmount: 100 }],
  ])('skips a malformed message (%s) without applying it', async (_problem, value) => {
    const { handle, log } = handlerWith(async () => {});
    await handle(record(value));
    expect(log).toEqual(['commit mallhive.payments.results.v1/3@42']);
  });
});

describe('the trace of a consumed payment result', () => {
  const PRODUCER_TRACE = '0af7651916cd43dd8448eb211c80319c';
  const producer = `00-${PRODUCER_TRACE}-b7ad6b7169203331-01`;

  /** Applies one record; tells in which trace `apply` ran and which consumer span the handler made. */
  async function consume(headers: Record<string, Buffer>) {
    let appliedIn: string | undefined;
    const { handle, applied } = handlerWith(async () => {
      appliedIn = trace.getActiveSpan()?.spanContext().traceId;
    });
    await handle(record(outcome, headers));
    expect(applied).toHaveLength(1);
    const span = (await tracing.trace(appliedIn ?? '')).find(
      (finished) => finished.kind === SpanKind.CONSUMER,
    );
    return { appliedIn, span };
  }

  it("continues the producer's trace from the W3C traceparent header", async () => {
    const { appliedIn, span } = await consume({ traceparent: Buffer.from(producer) });
    expect(appliedIn).toBe(PRODUCER_TRACE);
    expect(span?.name).toBe('process mallhive.payments.results.v1');
    expect(span?.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
  });

  it('continues it from the CloudEvents extension header when that is all there is', async () => {
    const { appliedIn, span } = await consume({ ce_traceparent: Buffer.from(producer) });
    expect(appliedIn).toBe(PRODUCER_TRACE);
    expect(span?.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
  });

  it.each([
    ['no trace header', {}],
    ['a malformed traceparent', { traceparent: Buffer.from('00-not-a-trace-01') }],
  ])('starts a new trace with %s, and still applies the outcome', async (_case, headers) => {
    const { appliedIn, span } = await consume(headers);
    expect(appliedIn).toMatch(/^[0-9a-f]{32}$/);
    expect(appliedIn).not.toBe(PRODUCER_TRACE);
    expect(span).toBeDefined();
    expect(span?.parentSpanContext).toBeUndefined();
  });
});

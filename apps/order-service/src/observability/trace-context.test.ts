import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import { afterAll, describe, expect, it } from 'vitest';
import { startInMemoryTracing } from '../testing/in-memory-tracing.ts';
import { contextOf, currentTraceContext, xrayTraceHeader } from './trace-context.ts';

const tracing = startInMemoryTracing();
afterAll(() => tracing.shutdown());
const tracer = trace.getTracer('trace-context.test');

function inSpan<T>(parent: ReturnType<typeof contextOf>, work: (span: Span) => T): T {
  return tracer.startActiveSpan('work', {}, parent, (span) => {
    try {
      return work(span);
    } finally {
      span.end();
    }
  });
}

const CALLER = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('the trace context the service stores and sends along', () => {
  it('is nothing outside traced work', () => {
    expect(currentTraceContext(ROOT_CONTEXT)).toBeUndefined();
    expect(context.with(ROOT_CONTEXT, () => currentTraceContext())).toBeUndefined();
  });

  it('names the current span as the parent, with its trace and sampling decision', () => {
    inSpan(ROOT_CONTEXT, (span) => {
      const { traceId, spanId } = span.spanContext();
      expect(currentTraceContext()).toEqual({ traceparent: `00-${traceId}-${spanId}-01` });
    });
  });

  it("continues a caller's trace and keeps its vendor state", async () => {
    const parent = contextOf({ traceparent: CALLER, tracestate: 'rojo=00f067aa0ba902b7' });
    inSpan(parent, (span) => {
      expect(span.spanContext().traceId).toBe('0af7651916cd43dd8448eb211c80319c');
      expect(currentTraceContext()).toEqual({
        traceparent: `00-0af7651916cd43dd8448eb211c80319c-${span.spanContext().spanId}-01`,
        tracestate: 'rojo=00f067aa0ba902b7',
      });
    });
    const finished = (await tracing.spans()).at(-1);
    expect(finished?.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
  });

  it.each([
    ['empty', ''],
    ['not a traceparent', 'hello'],
    ['an all-zero trace id', '00-00000000000000000000000000000000-b7ad6b7169203331-01'],
    ['an all-zero parent id', '00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01'],
    ['the forbidden version ff', 'ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'],
    ['upper-case hex', '00-0AF7651916CD43DD8448EB211C80319C-B7AD6B7169203331-01'],
    ['a short trace id', '00-0af7651916cd43dd8448eb211c8031-b7ad6b7169203331-01'],
    ['version 00 with extra fields', `${CALLER}-extra`],
    ['an absurdly long value', `00-${'a'.repeat(10_000)}`],
  ])('ignores %s: the work starts a trace of its own', async (_case, traceparent) => {
    const parent = contextOf({ traceparent, tracestate: 'rojo=00f067aa0ba902b7' });
    const spanId = inSpan(parent, (span) => {
      expect(span.spanContext().traceId).not.toBe('0af7651916cd43dd8448eb211c80319c');
      expect(currentTraceContext()?.tracestate).toBeUndefined();
      return span.spanContext().spanId;
    });
    const finished = (await tracing.spans()).find((span) => span.spanContext().spanId === spanId);
    expect(finished).toBeDefined();
    expect(finished?.parentSpanContext).toBeUndefined();
  });

  it('is also written as the X-Ray trace header EventBridge takes', () => {
    expect(xrayTraceHeader({ traceparent: CALLER })).toBe(
      'Root=1-0af76519-16cd43dd8448eb211c80319c;Parent=b7ad6b7169203331;Sampled=1',
    );
    expect(xrayTraceHeader(undefined)).toBeUndefined();
    expect(xrayTraceHeader({ traceparent: 'hello' })).toBeUndefined();
  });
});

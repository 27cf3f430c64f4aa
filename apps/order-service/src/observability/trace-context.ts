/**
 * W3C trace context (https://www.w3.org/TR/trace-context/) as the service stores and carries it: in outbox
 * rows, in CloudEvents (the distributed-tracing extension), in Kafka headers and on EventBridge entries.
 * Always the W3C format here, whatever OTEL_PROPAGATORS says for HTTP, because these carriers outlive the
 * request and their readers expect `traceparent`. With tracing off there is no span, so nothing is carried.
 */
import { context, defaultTextMapSetter, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import type { Context, TextMapGetter } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { AWSXRayPropagator } from '@opentelemetry/propagator-aws-xray';

export interface TraceContext {
  readonly traceparent: string;
  readonly tracestate?: string;
}

/** Where a trace context may come from: a stored row, a parsed event, decoded headers. */
export type TraceContextCarrier = Readonly<
  Partial<Record<'traceparent' | 'tracestate', string | null | undefined>>
>;

const w3c = new W3CTraceContextPropagator();
const xray = new AWSXRayPropagator();

const carrierGetter: TextMapGetter<TraceContextCarrier> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key as keyof TraceContextCarrier] ?? undefined,
};

/** The trace context of the work in progress, to store or send along; undefined when nothing is traced. */
export function currentTraceContext(active: Context = context.active()): TraceContext | undefined {
  const carrier: Record<string, string> = {};
  w3c.inject(active, carrier, defaultTextMapSetter);
  const { traceparent, tracestate } = carrier;
  if (!traceparent) return undefined;
  return tracestate ? { traceparent, tracestate } : { traceparent };
}

/**
 * The context that continues a stored or received trace context. A missing or malformed `traceparent`
 * continues nothing: the work starts a trace of its own, and nobody gets an error for it.
 */
export function contextOf(carrier: TraceContextCarrier | undefined): Context {
  if (!carrier?.traceparent) return ROOT_CONTEXT;
  return w3c.extract(ROOT_CONTEXT, carrier, carrierGetter);
}

/**
 * The same trace context as an AWS X-Ray trace header (`Root=1-…;Parent=…;Sampled=…`), the form
 * EventBridge's PutEvents `TraceHeader` takes; undefined when there is none.
 */
export function xrayTraceHeader(traceContext: TraceContextCarrier | undefined): string | undefined {
  const parent = contextOf(traceContext);
  if (!trace.getSpanContext(parent)) return undefined;
  const carrier: Record<string, string> = {};
  xray.inject(parent, carrier, defaultTextMapSetter);
  return carrier['x-amzn-trace-id'];
}

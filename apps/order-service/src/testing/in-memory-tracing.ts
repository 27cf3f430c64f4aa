import { SpanKind } from '@opentelemetry/api';
import { tracing } from '@opentelemetry/sdk-node';
import { startTracing } from '../observability/tracing.ts';
import { readTracingConfig } from '../config/tracing.ts';

export type FinishedSpan = tracing.ReadableSpan;

export interface InMemoryTracing {
  /** Every span finished so far, in the order they ended. */
  spans(): Promise<FinishedSpan[]>;
  /** The finished spans of one trace. */
  trace(traceId: string): Promise<FinishedSpan[]>;
  reset(): void;
  shutdown(): Promise<void>;
}

/**
 * The service's own tracing set-up (same SDK, instrumentations and sampler code) with every span kept in
 * memory instead of exported. Start it before the service's modules are imported (use `await import(...)`
 * after it), or pg is loaded before its instrumentation and its queries go untraced.
 */
export function startInMemoryTracing(env: Record<string, string> = {}): InMemoryTracing {
  const exporter = new tracing.InMemorySpanExporter();
  const settings = readTracingConfig({
    OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
    OTEL_TRACES_SAMPLER: 'parentbased_always_on',
    ...env,
  });
  if (!settings) throw new Error(`invalid tracing settings: ${JSON.stringify(env)}`);
  const processor = new tracing.SimpleSpanProcessor(exporter);
  const started = startTracing(settings, { spanProcessors: [processor] });
  // An ended span reaches the exporter once the resource's detected attributes have settled.
  const spans = async () => {
    await processor.forceFlush();
    return exporter.getFinishedSpans();
  };
  return {
    spans,
    trace: async (traceId) =>
      (await spans()).filter((span) => span.spanContext().traceId === traceId),
    reset: () => exporter.reset(),
    shutdown: () => started.shutdown(),
  };
}

/** A one-line picture of a span for assertion messages: `kind name (trace/span ← parent)`. */
export function describeSpan(span: FinishedSpan): string {
  const { traceId, spanId } = span.spanContext();
  return `${SpanKind[span.kind]} ${span.name} (${traceId.slice(0, 8)}/${spanId} ← ${span.parentSpanContext?.spanId ?? 'root'})`;
}

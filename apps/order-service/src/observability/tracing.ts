/**
 * OpenTelemetry tracing for the process: the Node SDK with the maintained instrumentations of the parts an
 * order passes through — the HTTP server and clients (http, undici), Fastify's routes (@fastify/otel, the
 * Fastify team's own instrumentation) and PostgreSQL (pg). W3C trace context is the propagation format.
 *
 * It must start before the instrumented modules load (src/instrument.ts, run with `node --import`). The
 * exporter, protocol and endpoint come from the standard `OTEL_EXPORTER_OTLP_*` variables, read by the SDK.
 */
import { FastifyOtelInstrumentation } from '@fastify/otel';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NodeSDK, tracing } from '@opentelemetry/sdk-node';
import { routePaths } from '@mallhive/order-contracts';
import type { TracingConfig } from '../config/tracing.ts';

export interface Tracing {
  /** Exports what is still buffered; part of the graceful shutdown. */
  shutdown(): Promise<void>;
}

/** Probes and scrapes run every few seconds and say nothing about orders. */
const UNTRACED_PATHS: ReadonlySet<string> = new Set([
  routePaths.health,
  routePaths.readiness,
  routePaths.metrics,
]);

/** A URL without its query string; called on every request, so it splits nothing it need not. */
function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

export function serviceInstrumentations(): Instrumentation[] {
  return [
    // Outgoing calls over node:http (the AWS SDK). Incoming requests get their span from Fastify's own
    // instrumentation below, which also reads the caller's traceparent: a second server span per request
    // would cost more than it tells.
    new HttpInstrumentation({ disableIncomingRequestInstrumentation: true }),
    new UndiciInstrumentation(),
    new PgInstrumentation({
      // A query outside any traced work (the dispatcher's empty polls) is noise, not a trace of its own.
      requireParentSpan: true,
      // Taking a pooled connection is not worth a span per query.
      ignoreConnectSpans: true,
    }),
    new FastifyOtelInstrumentation({
      // Wires itself into every Fastify instance through Fastify's diagnostics channel.
      registerOnInitialization: true,
      // Called with the route's pattern, and with each request's URL (query string included).
      ignorePaths: (route) => UNTRACED_PATHS.has(pathOf(route.url)),
      // One span per request: spans per lifecycle hook and for the handler would cost more than they tell.
      instrumentHooks: false,
      instrumentHandler: false,
    }),
  ];
}

/** The sampler the settings name; parent-based ratio sampling by default. */
export function samplerFor({ sampler, ratio }: TracingConfig): tracing.Sampler {
  const parentBased = (root: tracing.Sampler) => new tracing.ParentBasedSampler({ root });
  const samplers: Record<TracingConfig['sampler'], () => tracing.Sampler> = {
    always_on: () => new tracing.AlwaysOnSampler(),
    always_off: () => new tracing.AlwaysOffSampler(),
    traceidratio: () => new tracing.TraceIdRatioBasedSampler(ratio),
    parentbased_always_on: () => parentBased(new tracing.AlwaysOnSampler()),
    parentbased_always_off: () => parentBased(new tracing.AlwaysOffSampler()),
    parentbased_traceidratio: () => parentBased(new tracing.TraceIdRatioBasedSampler(ratio)),
  };
  return samplers[sampler]();
}

/**
 * Starts the SDK. Without `spanProcessors` spans are batched to the OTLP exporter the environment
 * configures; tests pass an in-memory exporter instead. Metrics stay with Prometheus and logs with stdout,
 * so the SDK's own metric and log pipelines are not started.
 */
export function startTracing(
  settings: TracingConfig,
  options: { spanProcessors?: tracing.SpanProcessor[] } = {},
): Tracing {
  const sdk = new NodeSDK({
    serviceName: settings.serviceName,
    sampler: samplerFor(settings),
    instrumentations: serviceInstrumentations(),
    metricReaders: [],
    logRecordProcessors: [],
    ...(options.spanProcessors ? { spanProcessors: options.spanProcessors } : {}),
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}

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
import { routePaths } from '../http/route-paths.ts';
import type { TracingSettings } from './tracing-settings.ts';

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
      ignorePaths: (route) => UNTRACED_PATHS.has(route.url.split('?')[0] ?? ''),
      // One span per request: spans per lifecycle hook and for the handler would cost more than they tell.
      instrumentHooks: false,
      instrumentHandler: false,
    }),
  ];
}

/** The sampler the settings name; parent-based ratio sampling by default. */
export function samplerFor(settings: TracingSettings): tracing.Sampler {
  const ratio = settings.samplerArg === undefined ? 1 : Number(settings.samplerArg);
  const parentBased = (root: tracing.Sampler) => new tracing.ParentBasedSampler({ root });
  switch (settings.sampler) {
    case 'always_on':
      return new tracing.AlwaysOnSampler();
    case 'always_off':
      return new tracing.AlwaysOffSampler();
    case 'traceidratio':
      return new tracing.TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_on':
      return parentBased(new tracing.AlwaysOnSampler());
    case 'parentbased_always_off':
      return parentBased(new tracing.AlwaysOffSampler());
    default:
      return parentBased(new tracing.TraceIdRatioBasedSampler(ratio));
  }
}

/**
 * Starts the SDK. Without `spanProcessors` spans are batched to the OTLP exporter the environment
 * configures; tests pass an in-memory exporter instead. Metrics stay with Prometheus and logs with stdout,
 * so the SDK's own metric and log pipelines are not started.
 */
export function startTracing(
  settings: TracingSettings,
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

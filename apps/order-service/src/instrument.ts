/**
 * Loaded before the service with `node --import ./src/instrument.ts src/main.ts`: OpenTelemetry patches pg
 * and http when they are first loaded, so it has to start before anything imports them. With tracing off
 * (no OTLP endpoint) it loads nothing, so the service pays nothing for it; with settings that do not parse
 * it does nothing either, and main.ts refuses to start, naming the variable.
 *
 * No ES-module loader hook (`register('@opentelemetry/instrumentation/hook.mjs')`) is needed: measured on
 * Node 24 with type stripping, pg, pg-pool and http are patched through the CommonJS hooks even when
 * imported from ES modules (they are CommonJS packages), and undici and Fastify are instrumented through
 * diagnostics channels. The hook gave the same spans at the price of intercepting every import. The
 * process test in observability/tracing.process.test.ts fails if that ever stops being true.
 */
import { readTracingConfig } from './config/tracing.ts';
import { processTracing } from './observability/process-tracing.ts';

const settings = readTracingConfig(process.env);
if (settings?.endpoint) {
  const { startTracing } = await import('./observability/tracing.ts');
  processTracing.started(startTracing(settings));
}

import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';

/**
 * Runs `start` (a database call) outside the current trace when nobody records that trace: an unsampled
 * request (90 % of them at the production ratio) or tracing off. The pg instrumentation, which only traces
 * queries that have a parent span (`requireParentSpan`), then passes the query straight through instead of
 * building a span that is never recorded: its attributes, a span id, the sampler, callback binding and a
 * duration measurement, on every query. The instrumentation has no option for this — a non-recording
 * parent counts as a parent — and measured, it was the largest part of what tracing costs an unsampled
 * request (docs/performance.md, "Tracing cost").
 *
 * Only the call leaves the trace: the caller's `await` resumes in its own context, and whatever the caller
 * stores or sends (an outbox row's traceparent, a peer call's header) still carries the unsampled trace's
 * context, so the services downstream keep the same sampling decision.
 */
export function outsideUnrecordedTrace<T>(start: () => T): T {
  const span = trace.getActiveSpan();
  return span === undefined || span.isRecording() ? start() : context.with(ROOT_CONTEXT, start);
}

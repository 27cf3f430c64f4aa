import { setTimeout as sleep } from 'node:timers/promises';
import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Attributes, Span } from '@opentelemetry/api';
import type { Logger } from 'pino';
import type { Queryable } from '../adapters/postgres/database.ts';
import type { ClaimedEntry } from '../adapters/postgres/outbox-repository.ts';
import {
  claimDueEntries,
  completeEntries,
  failEntries,
} from '../adapters/postgres/outbox-repository.ts';
import type { EventPublisher } from '../application/ports.ts';
import { DependencyUnavailableError } from '../domain/errors.ts';
import { cloudEventType, toCloudEvent } from '../events/cloud-event.ts';
import type { ServiceMetrics } from '../observability/metrics.ts';
import { contextOf, currentTraceContext } from '../observability/trace-context.ts';
import type { FollowUpHandler } from './follow-up-handlers.ts';
import type { PublishEntry, TaskEntry } from './outbox-entry.ts';

export interface DispatcherOptions {
  readonly pollIntervalMs: number;
  readonly batchSize: number;
  readonly maxAttempts: number;
  /** How long a claim stays exclusive; must exceed the slowest peer call including its retries. */
  readonly leaseMs?: number;
  /** First retry delay; doubles per attempt (with jitter) up to `maxRetryDelayMs`. */
  readonly baseRetryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
}

export interface DispatcherDeps {
  readonly db: Queryable;
  readonly publisher: EventPublisher;
  readonly handlers: Readonly<Record<string, FollowUpHandler>>;
  readonly metrics: ServiceMetrics;
  readonly logger: Logger;
}

const tracer = trace.getTracer('order-service.outbox');

/**
 * Works the outbox: claims due entries (several replicas cooperate through SKIP LOCKED and leases), runs
 * each follow-up, publishes events in batches, retries failures with exponential backoff and, after
 * `maxAttempts`, marks an entry dead — kept and counted, never dropped. Delivery is at least once.
 *
 * Each entry is carried out in a span whose parent is the trace context stored with the entry, so the
 * payment, the emails and the events of a step land in the trace of the request that made the step.
 */
export class OutboxDispatcher {
  private running = false;
  private loop: Promise<void> | undefined;
  private wakeUp: AbortController = new AbortController();
  private readonly options: Required<DispatcherOptions>;
  private readonly deps: DispatcherDeps;

  constructor(deps: DispatcherDeps, options: DispatcherOptions) {
    this.deps = deps;
    this.options = {
      leaseMs: 60_000,
      baseRetryDelayMs: 1_000,
      maxRetryDelayMs: 300_000,
      ...options,
    };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops claiming new work and waits for the batch in hand to finish. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  /** New work was written: skip the rest of the poll interval. */
  wake(): void {
    // abort() builds an error with a stack each time; this runs after every stored order.
    if (!this.wakeUp.signal.aborted) this.wakeUp.abort();
  }

  /** Processes one batch; returns how many entries it claimed. Public for tests and benchmarks. */
  async runOnce(): Promise<number> {
    const claimed = await claimDueEntries(
      this.deps.db,
      this.options.batchSize,
      this.options.leaseMs,
    );
    if (claimed.length === 0) return 0;

    const events = claimed.filter(
      (claim): claim is ClaimedEntry<PublishEntry> => claim.entry.followUp.kind === 'event.publish',
    );
    const tasks = claimed.filter(
      (claim): claim is ClaimedEntry<TaskEntry> => claim.entry.followUp.kind !== 'event.publish',
    );
    const outcomes = await Promise.all([
      this.publish(events),
      ...tasks.map(async (claim) => this.perform(claim)),
    ]);

    const done: string[] = [];
    const failed: { claim: ClaimedEntry; error: unknown }[] = [];
    for (const outcome of outcomes.flat()) {
      if (outcome.error === undefined) done.push(outcome.claim.entry.id);
      else failed.push({ claim: outcome.claim, error: outcome.error });
    }
    await completeEntries(this.deps.db, done);
    await failEntries(
      this.deps.db,
      failed.map(({ claim, error }) => this.failure(claim, error)),
    );
    this.count(claimed, failed);
    return claimed.length;
  }

  private async run(): Promise<void> {
    while (this.running) {
      let claimed = 0;
      try {
        claimed = await this.runOnce();
      } catch (error) {
        this.deps.logger.error({ err: error }, 'outbox dispatcher pass failed');
      }
      // A full batch means more is probably waiting: go again at once.
      if (claimed < this.options.batchSize && this.running) await this.idle();
    }
  }

  private async idle(): Promise<void> {
    if (this.wakeUp.signal.aborted) this.wakeUp = new AbortController();
    await sleep(this.options.pollIntervalMs, undefined, { signal: this.wakeUp.signal }).catch(
      () => undefined,
    );
    this.wakeUp = new AbortController();
  }

  /**
   * One producer span per event, in its order's trace; the event carries that span's context (the
   * CloudEvents distributed-tracing extension). The broker call sends a whole batch, possibly of several
   * orders, so its span starts a trace of its own and links to each event's span.
   */
  private async publish(
    claims: readonly ClaimedEntry<PublishEntry>[],
  ): Promise<{ claim: ClaimedEntry; error?: unknown }[]> {
    if (claims.length === 0) return [];
    const spans = claims.map((claim) =>
      tracer.startSpan(
        `publish ${cloudEventType(claim.entry.event.type)}`,
        { kind: SpanKind.PRODUCER, attributes: entryAttributes(claim) },
        contextOf(claim.traceContext),
      ),
    );
    const events = claims.map((claim, index) =>
      toCloudEvent(
        claim.entry.id,
        eventOf(claim.entry),
        currentTraceContext(trace.setSpan(ROOT_CONTEXT, spans[index] as Span)),
      ),
    );
    const send = tracer.startSpan(
      'send events',
      {
        kind: SpanKind.CLIENT,
        attributes: { 'messaging.batch.message_count': events.length },
        links: spans.map((span) => ({ context: span.spanContext() })),
      },
      ROOT_CONTEXT,
    );
    try {
      await context.with(trace.setSpan(ROOT_CONTEXT, send), () =>
        this.deps.publisher.publish(events),
      );
      return claims.map((claim) => ({ claim }));
    } catch (error) {
      recordFailure(send, error);
      claims.forEach((claim, index) => {
        const span = spans[index] as Span;
        recordFailure(span, error);
        context.with(trace.setSpan(ROOT_CONTEXT, span), () => this.logFailure(claim, error));
      });
      return claims.map((claim) => ({ claim, error }));
    } finally {
      for (const span of [send, ...spans]) span.end();
    }
  }

  private async perform(
    claim: ClaimedEntry<TaskEntry>,
  ): Promise<{ claim: ClaimedEntry; error?: unknown }> {
    const { kind } = claim.entry.followUp;
    return tracer.startActiveSpan(
      `outbox ${kind}`,
      { kind: SpanKind.CONSUMER, attributes: entryAttributes(claim) },
      contextOf(claim.traceContext),
      async (span) => {
        const handler = this.deps.handlers[kind];
        try {
          if (!handler) throw new Error(`no handler for ${kind}`);
          await handler(claim.entry);
          return { claim };
        } catch (error) {
          recordFailure(span, error);
          this.logFailure(claim, error);
          return { claim, error: error ?? new Error('unknown failure') };
        } finally {
          span.end();
        }
      },
    );
  }

  /** Logged inside the entry's span, so the line names the order's trace. */
  private logFailure(claim: ClaimedEntry, error: unknown): void {
    const log = {
      entryId: claim.entry.id,
      orderId: claim.entry.orderId,
      kind: claim.entry.followUp.kind,
      attempts: claim.attempts,
      err: error,
    };
    if (this.isLastAttempt(claim))
      this.deps.logger.error(log, 'outbox entry failed for the last time; marked dead');
    else this.deps.logger.warn(log, 'outbox entry failed; will retry');
  }

  private isLastAttempt(claim: ClaimedEntry): boolean {
    return claim.attempts >= this.options.maxAttempts;
  }

  private failure(claim: ClaimedEntry, error: unknown) {
    return {
      id: claim.entry.id,
      error: error instanceof Error ? error.message : String(error),
      retryInMs: this.retryDelay(claim.attempts, error),
      dead: this.isLastAttempt(claim),
    };
  }

  private retryDelay(attempts: number, error: unknown): number {
    const exponential = Math.min(
      this.options.maxRetryDelayMs,
      this.options.baseRetryDelayMs * 2 ** (attempts - 1),
    );
    // Equal jitter: replicas retrying a failed peer do not stampede it in lockstep.
    const backoff = Math.round(exponential / 2 + (Math.random() * exponential) / 2);
    // A peer that said when to come back (Retry-After) is not asked sooner.
    const askedFor =
      error instanceof DependencyUnavailableError ? error.retryAfterSeconds * 1000 : 0;
    return Math.max(backoff, askedFor);
  }

  private count(
    claimed: readonly ClaimedEntry[],
    failed: readonly { claim: ClaimedEntry }[],
  ): void {
    const failedIds = new Set(failed.map(({ claim }) => claim.entry.id));
    for (const claim of claimed) {
      const outcome = !failedIds.has(claim.entry.id)
        ? 'done'
        : this.isLastAttempt(claim)
          ? 'dead'
          : 'retry';
      this.deps.metrics.outboxProcessed.inc({ kind: claim.entry.followUp.kind, outcome });
    }
  }
}

function entryAttributes(claim: ClaimedEntry): Attributes {
  return {
    'messaging.message.id': claim.entry.id,
    'mallhive.order.id': claim.entry.orderId,
    'mallhive.outbox.kind': claim.entry.followUp.kind,
    'mallhive.outbox.attempt': claim.attempts,
  };
}

function recordFailure(span: Span, error: unknown): void {
  const failure = error instanceof Error ? error : new Error(String(error));
  span.recordException(failure);
  span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
}

function eventOf(entry: PublishEntry) {
  return { ...entry.event, occurredAt: new Date(entry.event.occurredAt) };
}

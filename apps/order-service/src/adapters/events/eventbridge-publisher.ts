/**
 * Publishes order events to an EventBridge bus with PutEvents. A call takes at most 10 entries (and
 * 256 KB); EventBridge may accept some entries of a call and refuse others (FailedEntryCount), so only the
 * refused entries are sent again, with backoff, a bounded number of times. Batches go one after another,
 * so an order's later event is never sent before its earlier one was accepted.
 *
 * Trace context travels in the event envelope: Detail is the whole CloudEvent, with its `traceparent` and
 * `tracestate` (the distributed-tracing extension), because that is what reaches targets, archives and
 * replays ("Amazon EventBridge integration with AWS X-Ray": the trace header "is not available on the event
 * that's delivered to the invocation target", nor on archived events). The same context also goes into the
 * entry's `TraceHeader` (X-Ray format), so X-Ray shows EventBridge and its targets in the order's trace.
 */
import {
  EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { EVENTBRIDGE_SOURCE } from '@mallhive/order-contracts';
import type { EventPublisher } from '../../application/ports.ts';
import type { Config } from '../../config/config.ts';
import type { CloudEvent } from '../../events/cloud-event.ts';
import { xrayTraceHeader } from '../../observability/trace-context.ts';
import { awsClientConfig, type StaticCredentials } from '../aws/aws-client-config.ts';
import { EventPublishError } from './event-publish-error.ts';
import { detailTypeFor } from './eventbridge-detail-types.ts';

const MAX_ENTRIES_PER_CALL = 10;
const MAX_BYTES_PER_CALL = 256 * 1024;

export interface EventBridgePublisherOptions {
  readonly busName: string;
  readonly client: EventBridgeClient;
  /** Attempts per entry, the first included (default 4). */
  readonly maxAttempts?: number;
  /** The first retry's delay; each further retry doubles it, with jitter (default 100 ms). */
  readonly retryBaseDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

interface PendingEntry {
  readonly eventId: string;
  readonly entry: PutEventsRequestEntry;
}

export class EventBridgePublisher implements EventPublisher {
  readonly #client: EventBridgeClient;
  readonly #busName: string;
  readonly #maxAttempts: number;
  readonly #retryBaseDelayMs: number;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(options: EventBridgePublisherOptions) {
    this.#client = options.client;
    this.#busName = options.busName;
    this.#maxAttempts = options.maxAttempts ?? 4;
    this.#retryBaseDelayMs = options.retryBaseDelayMs ?? 100;
    this.#sleep =
      options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms).unref()));
  }

  async publish(events: readonly CloudEvent[]): Promise<void> {
    const entries = events.map((event) => ({ eventId: event.id, entry: this.#toEntry(event) }));
    for (const batch of batchesOf(entries)) await this.#putWithRetries(batch);
  }

  async close(): Promise<void> {
    this.#client.destroy();
  }

  #toEntry(event: CloudEvent): PutEventsRequestEntry {
    const traceHeader = xrayTraceHeader(event);
    return {
      EventBusName: this.#busName,
      Source: EVENTBRIDGE_SOURCE,
      DetailType: detailTypeFor(event.type),
      // The whole CloudEvent, so rules and targets see the id for deduplication and the subject.
      Detail: JSON.stringify(event),
      Time: new Date(event.time),
      Resources: [],
      // Not counted in the entry's size (EventBridge's size formula leaves it out).
      ...(traceHeader ? { TraceHeader: traceHeader } : {}),
    };
  }

  async #putWithRetries(batch: readonly PendingEntry[]): Promise<void> {
    let pending = batch;
    let refused: { eventId: string; reason: string }[] = [];
    for (let attempt = 1; attempt <= this.#maxAttempts; attempt += 1) {
      if (attempt > 1) await this.#sleep(this.#retryDelay(attempt));
      let result;
      try {
        result = await this.#client.send(
          new PutEventsCommand({ Entries: pending.map(({ entry }) => entry) }),
        );
      } catch (error) {
        // The SDK already retried throttling and 5xx answers; the whole call is lost.
        throw new EventPublishError(
          `EventBridge PutEvents failed for ${pending.length} events: ${error instanceof Error ? error.message : String(error)}`,
          pending.map(({ eventId }) => ({ eventId, reason: 'call_failed' })),
          error,
        );
      }
      if (!result.FailedEntryCount) return;
      // Result entries are positional: entry i answers request entry i.
      const answers = result.Entries ?? [];
      refused = [];
      pending = pending.filter(({ eventId }, index) => {
        const answer = answers[index];
        if (answer?.EventId && !answer.ErrorCode) return false;
        refused.push({
          eventId,
          reason: `${answer?.ErrorCode ?? 'NoResult'}: ${answer?.ErrorMessage ?? ''}`.trim(),
        });
        return true;
      });
      if (pending.length === 0) return;
    }
    throw new EventPublishError(
      `EventBridge refused ${refused.length} events after ${this.#maxAttempts} attempts: ${refused
        .map(({ eventId, reason }) => `${eventId} (${reason})`)
        .join(', ')}`,
      refused,
    );
  }

  #retryDelay(attempt: number): number {
    const ceiling = this.#retryBaseDelayMs * 2 ** (attempt - 2);
    // "Equal jitter": half fixed, half random, so retries of several replicas spread out.
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }
}

export function createEventBridgeClient(
  aws: Config['aws'],
  credentials?: StaticCredentials,
): EventBridgeClient {
  return new EventBridgeClient(awsClientConfig(aws, credentials));
}

/** Splits entries into PutEvents calls within EventBridge's limits (10 entries, 256 KB), in order. */
function batchesOf(entries: readonly PendingEntry[]): PendingEntry[][] {
  const batches: PendingEntry[][] = [];
  let current: PendingEntry[] = [];
  let bytes = 0;
  for (const pending of entries) {
    const size = entrySize(pending.entry);
    if (
      current.length === MAX_ENTRIES_PER_CALL ||
      (current.length > 0 && bytes + size > MAX_BYTES_PER_CALL)
    ) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(pending);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** EventBridge's own size formula for a PutEvents entry. */
function entrySize(entry: PutEventsRequestEntry): number {
  const utf8 = (text: string | undefined) => (text ? Buffer.byteLength(text, 'utf8') : 0);
  return (
    (entry.Time ? 14 : 0) +
    utf8(entry.Source) +
    utf8(entry.DetailType) +
    utf8(entry.Detail) +
    (entry.Resources ?? []).reduce((total, resource) => total + utf8(resource), 0)
  );
}

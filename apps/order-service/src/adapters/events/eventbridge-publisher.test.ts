import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { afterEach, describe, expect, it } from 'vitest';
import { OrderEventType } from '../../domain/order-events.ts';
import { cloudEventType } from '../../events/cloud-event.ts';
import { validateEvent } from '../../events/event-catalogue.ts';
import { awsClientConfig } from '../aws/aws-client-config.ts';
import {
  startAwsJsonEndpoint,
  testCredentials,
  type AwsJsonCall,
  type AwsJsonEndpoint,
  type AwsJsonReply,
} from '../aws/testing/aws-json-endpoint.ts';
import { EventPublishError } from './event-publish-error.ts';
import { detailTypeFor } from './eventbridge-detail-types.ts';
import { EventBridgePublisher } from './eventbridge-publisher.ts';
import { orderEvents } from './testing/sample-events.ts';

interface Entry {
  EventBusName: string;
  Source: string;
  DetailType: string;
  Detail: string;
}

let endpoint: AwsJsonEndpoint | undefined;
afterEach(() => endpoint?.close());

/**
 * A publisher on the real SDK client, against a local PutEvents endpoint whose answer per entry
 * `refuse` decides (an error code, or undefined to accept).
 */
async function publisherAgainst(
  refuse: (entry: Entry, call: AwsJsonCall) => string | undefined,
  options: { maxAttempts?: number; reply?: (call: AwsJsonCall) => AwsJsonReply } = {},
) {
  endpoint = await startAwsJsonEndpoint(
    options.reply ??
      ((call) => {
        const entries = call.input.Entries as Entry[];
        const answers = entries.map((entry) => {
          const errorCode = refuse(entry, call);
          return errorCode
            ? { ErrorCode: errorCode, ErrorMessage: 'try again' }
            : { EventId: `eb-${(JSON.parse(entry.Detail) as { id: string }).id}` };
        });
        return {
          output: {
            FailedEntryCount: answers.filter((answer) => 'ErrorCode' in answer).length,
            Entries: answers,
          },
        };
      }),
  );
  const client = new EventBridgeClient({
    ...awsClientConfig({ region: 'eu-west-1', endpoint: endpoint.url }, testCredentials),
    maxAttempts: 1,
  });
  const delays: number[] = [];
  const publisher = new EventBridgePublisher({
    busName: 'mallhive-orders',
    client,
    maxAttempts: options.maxAttempts ?? 3,
    sleep: async (ms) => {
      delays.push(ms);
    },
  });
  return { publisher, calls: endpoint.calls, delays };
}

const entriesOf = (call: AwsJsonCall) => call.input.Entries as Entry[];
const idOf = (entry: Entry) => (JSON.parse(entry.Detail) as { id: string }).id;

describe('EventBridge publisher (real SDK client against a local PutEvents endpoint)', () => {
  it('sends 25 events in 3 calls of at most 10 entries, in order', async () => {
    const { publisher, calls } = await publisherAgainst(() => undefined);
    const events = orderEvents(25);
    await publisher.publish(events);

    expect(calls.map((call) => call.operation)).toEqual(['PutEvents', 'PutEvents', 'PutEvents']);
    expect(calls.map((call) => entriesOf(call).length)).toEqual([10, 10, 5]);
    expect(calls.flatMap(entriesOf).map(idOf)).toEqual(events.map((event) => event.id));
  });

  it('also keeps each call under the 256 KB request limit', async () => {
    const { publisher, calls } = await publisherAgainst(() => undefined);
    const longReason = 'x'.repeat(100 * 1024);
    const events = orderEvents(3).map((event) => ({
      ...event,
      data: { ...event.data, reason: longReason },
    }));
    await publisher.publish(events);
    expect(calls.map((call) => entriesOf(call).length)).toEqual([2, 1]);
  });

  it('puts each event on the bus with our source, its detail-type and the CloudEvent as detail', async () => {
    const { publisher, calls } = await publisherAgainst(() => undefined);
    const [placed, paymentInitiated] = orderEvents(2);
    await publisher.publish([placed!, paymentInitiated!]);

    const [first, second] = entriesOf(calls[0]!);
    expect(first).toMatchObject({
      EventBusName: 'mallhive-orders',
      Source: 'mallhive.order-service',
      DetailType: 'OrderPlaced',
    });
    expect(second?.DetailType).toBe('OrderPaymentInitiated');
    const detail: unknown = JSON.parse(first!.Detail);
    expect(detail).toEqual(placed);
    expect(validateEvent(detail)).toEqual({ valid: true });
  });

  // "Amazon EventBridge integration with AWS X-Ray" (EventBridge user guide): the PutEventsRequestEntry
  // TraceHeader carries an X-Ray trace header to targets, but the header "is not available on the event
  // that's delivered to the invocation target" nor on archived events — so the CloudEvent in Detail
  // carries the W3C context as well, where every consumer sees it.
  it('carries the trace context in the envelope (Detail) and as the entry X-Ray TraceHeader', async () => {
    const { publisher, calls } = await publisherAgainst(() => undefined);
    const [placed, untraced] = orderEvents(2);
    const traced = {
      ...placed!,
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      tracestate: 'rojo=00f067aa0ba902b7',
    };
    await publisher.publish([traced, untraced!]);

    const [first, second] = entriesOf(calls[0]!) as (Entry & { TraceHeader?: string })[];
    const detail: unknown = JSON.parse(first!.Detail);
    expect(detail).toEqual(traced);
    expect(validateEvent(detail)).toEqual({ valid: true });
    expect(first?.TraceHeader).toBe(
      'Root=1-0af76519-16cd43dd8448eb211c80319c;Parent=b7ad6b7169203331;Sampled=1',
    );
    expect(second).not.toHaveProperty('TraceHeader');
    expect(JSON.parse(second!.Detail)).not.toHaveProperty('traceparent');
  });

  it('retries only the refused entries of a partly failed call, then succeeds', async () => {
    const events = orderEvents(10);
    const flaky = new Set([events[2]!.id, events[7]!.id]);
    const { publisher, calls, delays } = await publisherAgainst((entry) => {
      const id = idOf(entry);
      if (!flaky.has(id)) return undefined;
      flaky.delete(id);
      return 'ThrottlingException';
    });

    await publisher.publish(events);

    expect(calls.map((call) => entriesOf(call).map(idOf))).toEqual([
      events.map((event) => event.id),
      [events[2]!.id, events[7]!.id],
    ]);
    expect(delays).toHaveLength(1);
  });

  it('gives up after the bounded attempts and names the refused events', async () => {
    const events = orderEvents(3);
    const stuck = events[1]!.id;
    const { publisher, calls, delays } = await publisherAgainst((entry) =>
      idOf(entry) === stuck ? 'InternalFailure' : undefined,
    );

    const error: unknown = await publisher.publish(events).catch((reason: unknown) => reason);

    expect(error).toBeInstanceOf(EventPublishError);
    expect((error as EventPublishError).failures).toEqual([
      { eventId: stuck, reason: 'InternalFailure: try again' },
    ]);
    expect((error as Error).message).toContain(`refused 1 events after 3 attempts: ${stuck}`);
    expect(calls).toHaveLength(3);
    // Exponential backoff with jitter: 50–100 ms, then 100–200 ms.
    expect(delays).toHaveLength(2);
    expect(delays[0]).toBeGreaterThanOrEqual(50);
    expect(delays[0]).toBeLessThanOrEqual(100);
    expect(delays[1]).toBeGreaterThanOrEqual(100);
    expect(delays[1]).toBeLessThanOrEqual(200);
  });

  it('throws when EventBridge rejects the whole call', async () => {
    const { publisher } = await publisherAgainst(() => undefined, {
      reply: () => ({ error: 'AccessDeniedException', message: 'not allowed', status: 400 }),
    });
    const events = orderEvents(2);

    const error: unknown = await publisher.publish(events).catch((reason: unknown) => reason);

    expect(error).toBeInstanceOf(EventPublishError);
    expect((error as EventPublishError).failures.map((failure) => failure.eventId)).toEqual(
      events.map((event) => event.id),
    );
    expect((error as Error).message).toContain('not allowed');
  });
});

describe('EventBridge detail-types', () => {
  it('names every lifecycle step', () => {
    expect(
      Object.values(OrderEventType).map((type) => detailTypeFor(cloudEventType(type))),
    ).toEqual([
      'OrderPlaced',
      'OrderPaymentInitiated',
      'OrderPaid',
      'OrderPaymentFailed',
      'OrderCancelled',
      'OrderFulfilmentStarted',
      'OrderShipped',
      'OrderDelivered',
    ]);
  });
});

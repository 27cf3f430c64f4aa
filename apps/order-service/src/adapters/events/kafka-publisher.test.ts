import { describe, expect, it } from 'vitest';
import { headerText, toKafkaMessage } from './kafka-binary-mode.ts';
import { KafkaPublisher, producerConfig, type KafkaProducerLike } from './kafka-publisher.ts';
import { orderEvents } from './testing/sample-events.ts';

describe('an order event as a Kafka message (CloudEvents binary mode)', () => {
  const [event] = orderEvents(1);

  it('is keyed by the order id, so an order keeps its order within one partition', () => {
    expect(toKafkaMessage(event!).key).toBe(event!.subject);
  });

  it('carries the envelope as ce_ headers and the data as the JSON value', () => {
    const message = toKafkaMessage(event!);
    expect(message.headers).toEqual({
      ce_specversion: '1.0',
      ce_id: event!.id,
      ce_source: '/mallhive/order-service',
      ce_type: 'com.mallhive.order.placed.v1',
      ce_subject: event!.subject,
      ce_time: event!.time,
      'content-type': 'application/json',
    });
    expect(JSON.parse(String(message.value))).toEqual(event!.data);
  });

  it('carries the trace context as the CloudEvents extension (ce_) and as the W3C Kafka headers', () => {
    const traced = {
      ...event!,
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      tracestate: 'rojo=00f067aa0ba902b7',
    };
    expect(toKafkaMessage(traced).headers).toMatchObject({
      ce_traceparent: traced.traceparent,
      ce_tracestate: traced.tracestate,
      traceparent: traced.traceparent,
      tracestate: traced.tracestate,
    });
    expect(JSON.parse(String(toKafkaMessage(traced).value))).toEqual(event!.data);
  });

  it('headers read back as text, as a consumer receives them (Buffers)', () => {
    expect(headerText({ ce_id: Buffer.from('evt-1') }, 'ce_id')).toBe('evt-1');
    expect(headerText({}, 'ce_id')).toBeUndefined();
  });
});

describe('the Kafka producer settings', () => {
  it('are idempotent with one request in flight, so retries neither duplicate nor reorder', () => {
    expect(producerConfig).toMatchObject({ idempotent: true, maxInFlightRequests: 1 });
  });
});

/** Records what the publisher asks of the producer; `connect` fails while `brokerDown` is set. */
function fakeProducer() {
  const log: string[] = [];
  const sent: Parameters<KafkaProducerLike['send']>[0][] = [];
  const state = { brokerDown: false };
  const producer: KafkaProducerLike = {
    connect: async () => {
      log.push('connect');
      if (state.brokerDown) throw new Error('Connection error: ECONNREFUSED');
    },
    disconnect: async () => {
      log.push('disconnect');
    },
    send: async (record) => {
      sent.push(record);
    },
  };
  return { producer, log, sent, state };
}

describe('Kafka publisher', () => {
  it('sends a batch to the topic in order, waiting for all in-sync replicas', async () => {
    const { producer, sent } = fakeProducer();
    const publisher = new KafkaPublisher({ producer, topic: 'mallhive.orders.v1' });
    const events = orderEvents(4);

    await publisher.publish(events);

    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ topic: 'mallhive.orders.v1', acks: -1 });
    expect(sent[0]!.messages.map((message) => headerText(message.headers, 'ce_id'))).toEqual(
      events.map((event) => event.id),
    );
  });

  it('connects once, on first use', async () => {
    const { producer, log } = fakeProducer();
    const publisher = new KafkaPublisher({ producer, topic: 't' });
    await publisher.publish(orderEvents(1));
    await publisher.publish(orderEvents(1));
    expect(log).toEqual(['connect']);
  });

  it('fails the publish while the broker is unreachable, and connects once it is back', async () => {
    const { producer, log, sent, state } = fakeProducer();
    const publisher = new KafkaPublisher({ producer, topic: 't' });
    state.brokerDown = true;
    await expect(publisher.publish(orderEvents(1))).rejects.toThrow('ECONNREFUSED');
    state.brokerDown = false;
    await publisher.publish(orderEvents(1));
    expect(log).toEqual(['connect', 'connect']);
    expect(sent).toHaveLength(1);
  });

  it('disconnects on close', async () => {
    const { producer, log } = fakeProducer();
    const publisher = new KafkaPublisher({ producer, topic: 't' });
    await publisher.publish(orderEvents(1));
    await publisher.close();
    expect(log).toEqual(['connect', 'disconnect']);
  });
});

/**
 * Against a real broker: runs only when KAFKA_BROKERS is set (docs/events.md shows how to start one
 * locally; CI uses a Kafka service container). Publishes through the production code path and reads the
 * records back as an independent consumer would.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, type Admin } from 'kafkajs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { validateEvent } from '../../events/event-catalogue.ts';
import { headerText } from './kafka-binary-mode.ts';
import { kafkaClientConfig } from './kafka-client-config.ts';
import { KafkaPublisher } from './kafka-publisher.ts';
import { orderEvents } from './testing/sample-events.ts';

const brokers = process.env.KAFKA_BROKERS?.split(',').map((broker) => broker.trim());

describe.skipIf(!brokers)('Kafka publisher against a real broker', () => {
  const topic = `mallhive.orders.it-${randomUUID()}`;
  let kafka: Kafka;
  let admin: Admin;

  beforeAll(async () => {
    kafka = new Kafka(
      kafkaClientConfig(
        {
          bus: 'kafka',
          brokers: brokers ?? [],
          topic,
          clientId: 'order-service-it',
          ssl: false,
          sasl: { mechanism: 'none' },
        },
        { logger: pino({ level: 'warn' }), region: undefined },
      ),
    );
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [{ topic, numPartitions: 3, replicationFactor: 1 }],
      waitForLeaders: true,
    });
  });

  afterAll(async () => {
    await admin?.deleteTopics({ topics: [topic] }).catch(() => {});
    await admin?.disconnect();
  });

  it('delivers each event once, keyed by order, with CloudEvents headers, in order per order', async () => {
    const publisher = KafkaPublisher.fromKafka(kafka, topic);
    const events = orderEvents(6);
    await publisher.publish(events.slice(0, 3));
    await publisher.publish(events.slice(3));
    await publisher.close();

    const received: { partition: number; key: string; event: unknown }[] = [];
    const consumer = kafka.consumer({ groupId: `order-service-it-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const header = (name: string) => headerText(message.headers, name);
        received.push({
          partition,
          key: message.key?.toString() ?? '',
          // The structured event rebuilt from binary mode, as a CloudEvents SDK would.
          event: {
            specversion: header('ce_specversion'),
            id: header('ce_id'),
            source: header('ce_source'),
            type: header('ce_type'),
            subject: header('ce_subject'),
            time: header('ce_time'),
            datacontenttype: header('content-type'),
            data: JSON.parse(message.value?.toString() ?? 'null') as unknown,
          },
        });
      },
    });
    try {
      await vi.waitFor(() => expect(received).toHaveLength(events.length), {
        timeout: 30_000,
        interval: 200,
      });
    } finally {
      await consumer.disconnect();
    }

    expect(received.map(({ event }) => event)).toEqual(expect.arrayContaining(events));
    for (const { key, event } of received) {
      expect(key).toBe((event as { subject: string }).subject);
      expect(validateEvent(event)).toEqual({ valid: true });
    }
    for (const orderId of new Set(events.map((event) => event.subject))) {
      const ofOrder = received.filter(({ key }) => key === orderId);
      expect(new Set(ofOrder.map(({ partition }) => partition)).size).toBe(1);
      expect(ofOrder.map(({ event }) => (event as { id: string }).id)).toEqual(
        events.filter((event) => event.subject === orderId).map((event) => event.id),
      );
    }
  });
});

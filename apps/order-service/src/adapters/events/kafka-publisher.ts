/**
 * Publishes order events to a Kafka topic. The producer is idempotent (the broker drops a retried
 * duplicate) with one request in flight, so a retry can never reorder an order's events, and every send
 * waits for all in-sync replicas (acks -1). It connects on first use: a broker that is down at start-up
 * only delays publishing — the outbox keeps the events until it is back.
 */
import { Partitioners, type Kafka, type Message, type ProducerConfig } from 'kafkajs';
import type { EventPublisher } from '../../application/ports.ts';
import type { CloudEvent } from '../../events/cloud-event.ts';
import { toKafkaMessage } from './kafka-binary-mode.ts';

export const producerConfig: ProducerConfig = {
  idempotent: true,
  maxInFlightRequests: 1,
  // The Java client's murmur2 partitioning: other clients place the same key in the same partition.
  createPartitioner: Partitioners.DefaultPartitioner,
  allowAutoTopicCreation: false,
};

/** The part of a kafkajs producer the publisher uses. */
export interface KafkaProducerLike {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  send(record: { topic: string; acks: number; messages: Message[] }): Promise<unknown>;
}

export class KafkaPublisher implements EventPublisher {
  readonly #producer: KafkaProducerLike;
  readonly #topic: string;
  #connected: Promise<void> | undefined;

  constructor(options: { producer: KafkaProducerLike; topic: string }) {
    this.#producer = options.producer;
    this.#topic = options.topic;
  }

  static fromKafka(kafka: Kafka, topic: string): KafkaPublisher {
    return new KafkaPublisher({ producer: kafka.producer(producerConfig), topic });
  }

  async publish(events: readonly CloudEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.#connect();
    await this.#producer.send({
      topic: this.#topic,
      acks: -1,
      messages: events.map(toKafkaMessage),
    });
  }

  async close(): Promise<void> {
    if (this.#connected) await this.#producer.disconnect();
    this.#connected = undefined;
  }

  #connect(): Promise<void> {
    this.#connected ??= this.#producer.connect().catch((error: unknown) => {
      // Try again on the next publish.
      this.#connected = undefined;
      throw error;
    });
    return this.#connected;
  }
}

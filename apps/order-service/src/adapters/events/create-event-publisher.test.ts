import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.ts';
import { SecretError, type SecretReader } from '../aws/secrets.ts';
import { createEventPublisher } from './create-event-publisher.ts';
import { EventBridgePublisher } from './eventbridge-publisher.ts';
import { KafkaPublisher } from './kafka-publisher.ts';
import { orderEvents } from './testing/sample-events.ts';

const noSecrets: SecretReader = {
  getString: async (id) => {
    throw new SecretError(id, 'not_found', `Secret "${id}" was not found in AWS Secrets Manager`);
  },
  getJson: async (id) => {
    throw new SecretError(id, 'not_found', `Secret "${id}" was not found in AWS Secrets Manager`);
  },
  invalidate: () => {},
};

function publisherFor(env: Record<string, string>) {
  const config = loadConfig({ NODE_ENV: 'test', ...env });
  const lines: unknown[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return {
    lines,
    publisher: createEventPublisher(config.events, { logger, aws: config.aws, secrets: noSecrets }),
  };
}

describe('choosing the event publisher from EVENT_BUS', () => {
  it('logs events by default', async () => {
    const { publisher, lines } = publisherFor({});
    const [event] = orderEvents(1);
    await (await publisher).publish([event!]);
    expect(lines).toEqual([expect.objectContaining({ msg: `event ${event!.type}`, event })]);
  });

  it('publishes to Kafka without connecting before the first event', async () => {
    const { publisher } = publisherFor({ EVENT_BUS: 'kafka', KAFKA_BROKERS: '127.0.0.1:1' });
    expect(await publisher).toBeInstanceOf(KafkaPublisher);
  });

  it('stops start-up with the secret id when the Kafka credentials cannot be read', async () => {
    const { publisher } = publisherFor({
      EVENT_BUS: 'kafka',
      KAFKA_BROKERS: 'b-1.msk:9096',
      KAFKA_SASL: 'scram-sha-512',
      KAFKA_SECRET_ID: 'order-service/kafka',
    });
    await expect(publisher).rejects.toThrow('Secret "order-service/kafka" was not found');
  });

  it('publishes to EventBridge', async () => {
    const { publisher } = publisherFor({ EVENT_BUS: 'eventbridge', AWS_REGION: 'eu-west-1' });
    const eventBridge = await publisher;
    expect(eventBridge).toBeInstanceOf(EventBridgePublisher);
    await eventBridge.close?.();
  });
});

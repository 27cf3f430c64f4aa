import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { SecretError, type SecretReader } from '../aws/secrets.ts';
import {
  kafkaClientConfig,
  readScramCredentials,
  type KafkaEventsConfig,
} from './kafka-client-config.ts';

const logger = pino({ level: 'silent' });
const base: KafkaEventsConfig = {
  bus: 'kafka',
  brokers: ['b-1.msk:9092', 'b-2.msk:9092'],
  topic: 'mallhive.orders.v1',
  clientId: 'order-service',
  ssl: false,
  sasl: { mechanism: 'none' },
};

function secretsWith(values: Record<string, string>): SecretReader {
  return {
    getString: async (id) => {
      const value = values[id];
      if (value === undefined)
        throw new SecretError(id, 'not_found', `Secret "${id}" was not found`);
      return value;
    },
    getJson: async () => {
      throw new Error('not used');
    },
    invalidate: () => {},
  };
}

describe('Kafka client settings', () => {
  it('connects in plain text without SASL by default (a local broker)', () => {
    const config = kafkaClientConfig(base, { logger, region: undefined });
    expect(config).toMatchObject({
      clientId: 'order-service',
      brokers: ['b-1.msk:9092', 'b-2.msk:9092'],
      ssl: false,
    });
    expect(config.sasl).toBeUndefined();
  });

  it('uses TLS and SCRAM-SHA-512 with the credentials from the secret', () => {
    const config = kafkaClientConfig(
      {
        ...base,
        ssl: true,
        sasl: { mechanism: 'scram-sha-512', credentials: { secretId: 'order-service/kafka' } },
      },
      { logger, region: 'eu-west-1', scramCredentials: { username: 'orders', password: 'pw' } },
    );
    expect(config.ssl).toBe(true);
    expect(config.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'orders', password: 'pw' });
  });

  it('signs MSK IAM tokens for the region as OAUTHBEARER, always over TLS', async () => {
    const signed: string[] = [];
    const config = kafkaClientConfig(
      { ...base, sasl: { mechanism: 'aws-msk-iam' } },
      {
        logger,
        region: 'eu-west-1',
        generateAuthToken: async ({ region }) => {
          signed.push(region);
          return { token: `token-${signed.length}` };
        },
      },
    );
    expect(config.ssl).toBe(true);
    expect(config.sasl?.mechanism).toBe('oauthbearer');
    const provider = (config.sasl as { oauthBearerProvider: () => Promise<{ value: string }> })
      .oauthBearerProvider;
    // A fresh token on every (re)authentication.
    expect(await provider()).toEqual({ value: 'token-1' });
    expect(await provider()).toEqual({ value: 'token-2' });
    expect(signed).toEqual(['eu-west-1', 'eu-west-1']);
  });

  it('refuses MSK IAM without a region to sign for', () => {
    expect(() =>
      kafkaClientConfig(
        { ...base, sasl: { mechanism: 'aws-msk-iam' } },
        { logger, region: undefined },
      ),
    ).toThrow('AWS_REGION is required for KAFKA_SASL=aws-msk-iam');
  });
});

describe('SCRAM credentials', () => {
  it('are read from the secret as JSON {username, password}', async () => {
    const secrets = secretsWith({ 'order-service/kafka': '{"username":"orders","password":"pw"}' });
    expect(await readScramCredentials({ secretId: 'order-service/kafka' }, secrets)).toEqual({
      username: 'orders',
      password: 'pw',
    });
  });

  it('come from local settings without Secrets Manager', async () => {
    expect(
      await readScramCredentials(
        { value: '{"username":"dev","password":"dev-pw"}' },
        secretsWith({}),
      ),
    ).toEqual({ username: 'dev', password: 'dev-pw' });
  });

  it('name the secret when a field is missing', async () => {
    const secrets = secretsWith({ 'order-service/kafka': '{"username":"orders"}' });
    await expect(
      readScramCredentials({ secretId: 'order-service/kafka' }, secrets),
    ).rejects.toThrow('Secret "order-service/kafka" is missing or has invalid fields: password.');
  });
});

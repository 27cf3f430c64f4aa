/**
 * The kafkajs client settings for our configuration: brokers, TLS and one of the SASL mechanisms
 * (none, SCRAM-SHA-512 with credentials from Secrets Manager, or AWS MSK IAM through the AWS signer).
 */
import { generateAuthToken } from 'aws-msk-iam-sasl-signer-js';
import { Kafka, logLevel, type KafkaConfig, type SASLOptions } from 'kafkajs';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Config, SecretSource } from '../../config/config.ts';
import {
  checkSecretJson,
  parseSecretJson,
  resolveSecret,
  type SecretReader,
} from '../aws/secrets.ts';
import { kafkaLogCreator } from './kafka-logging.ts';

export type KafkaEventsConfig = Extract<Config['events'], { bus: 'kafka' }>;

export interface ScramCredentials {
  readonly username: string;
  readonly password: string;
}

export interface KafkaClientDeps {
  readonly logger: Logger;
  /** Needed to sign MSK IAM tokens. */
  readonly region: string | undefined;
  /** SCRAM credentials, already read (see readScramCredentials). */
  readonly scramCredentials?: ScramCredentials;
  /** Replaceable in tests; signs with the SDK's default credential chain (IRSA on EKS). */
  readonly generateAuthToken?: (options: { region: string }) => Promise<{ token: string }>;
}

const scramCredentialsSchema = z.object({
  username: z.string().min(1),
  password: z.string().min(1),
});

/** The SCRAM user from `order-service/kafka` (JSON {username, password}), or from local settings. */
export async function readScramCredentials(
  source: SecretSource,
  secrets: SecretReader,
): Promise<ScramCredentials> {
  const id = 'secretId' in source ? source.secretId : 'KAFKA_USERNAME/KAFKA_PASSWORD';
  return checkSecretJson(
    id,
    parseSecretJson(id, await resolveSecret(source, secrets)),
    scramCredentialsSchema,
  );
}

export function kafkaClientConfig(config: KafkaEventsConfig, deps: KafkaClientDeps): KafkaConfig {
  return {
    clientId: config.clientId,
    brokers: [...config.brokers],
    // MSK IAM exists only on the TLS listener (port 9098).
    ssl: config.ssl || config.sasl.mechanism === 'aws-msk-iam',
    ...saslOptions(config.sasl, deps),
    logLevel: logLevel.INFO,
    logCreator: kafkaLogCreator(deps.logger.child({ component: 'kafka' })),
  };
}

function saslOptions(
  sasl: KafkaEventsConfig['sasl'],
  deps: KafkaClientDeps,
): { sasl?: SASLOptions } {
  switch (sasl.mechanism) {
    case 'none':
      return {};
    case 'scram-sha-512': {
      if (!deps.scramCredentials) throw new Error('SCRAM-SHA-512 needs the Kafka credentials');
      return { sasl: { mechanism: 'scram-sha-512', ...deps.scramCredentials } };
    }
    case 'aws-msk-iam': {
      const region = deps.region;
      if (!region) throw new Error('AWS_REGION is required for KAFKA_SASL=aws-msk-iam');
      const sign = deps.generateAuthToken ?? generateAuthToken;
      return {
        sasl: {
          mechanism: 'oauthbearer',
          // Called on every (re)authentication, so the short-lived token is always fresh.
          oauthBearerProvider: async () => ({ value: (await sign({ region })).token }),
        },
      };
    }
  }
}

/** A kafkajs client for the configuration, reading SCRAM credentials first when they are needed. */
export async function createKafka(
  config: KafkaEventsConfig,
  deps: { logger: Logger; aws: Config['aws']; secrets: SecretReader },
): Promise<Kafka> {
  const scramCredentials =
    config.sasl.mechanism === 'scram-sha-512'
      ? await readScramCredentials(config.sasl.credentials, deps.secrets)
      : undefined;
  return new Kafka(
    kafkaClientConfig(config, {
      logger: deps.logger,
      region: deps.aws.region,
      ...(scramCredentials ? { scramCredentials } : {}),
    }),
  );
}

import {
  ORDER_EVENT_BUS_NAME,
  ORDER_EVENTS_TOPIC,
  PAYMENT_RESULTS_TOPIC,
} from '@mallhive/order-contracts';
import { z } from 'zod';
import { configPart } from './part.ts';
import type { SecretSource } from './secrets.ts';
import { flag, httpUrl, optionalText } from './variables.ts';

type KafkaSasl =
  | { readonly mechanism: 'none' }
  | { readonly mechanism: 'scram-sha-512'; readonly credentials: SecretSource }
  | { readonly mechanism: 'aws-msk-iam' };

/** Where events go (log, Kafka, EventBridge), where payment results come from, and the AWS endpoint. */
export const events = configPart({
  variables: {
    EVENT_BUS: z.enum(['log', 'kafka', 'eventbridge']).optional(),
    KAFKA_BROKERS: optionalText,
    KAFKA_TOPIC: z.string().min(1).default(ORDER_EVENTS_TOPIC),
    KAFKA_CLIENT_ID: z.string().min(1).default('order-service'),
    KAFKA_SSL: flag.default(false),
    KAFKA_SASL: z.enum(['none', 'scram-sha-512', 'aws-msk-iam']).default('none'),
    KAFKA_USERNAME: optionalText,
    KAFKA_PASSWORD: optionalText,
    KAFKA_SECRET_ID: optionalText,
    EVENT_BUS_NAME: z.string().min(1).default(ORDER_EVENT_BUS_NAME),
    AWS_REGION: optionalText,
    AWS_ENDPOINT_URL: httpUrl.optional(),
    PAYMENT_RESULTS: z.enum(['callback', 'kafka']).default('callback'),
    PAYMENT_RESULTS_TOPIC: z.string().min(1).default(PAYMENT_RESULTS_TOPIC),
    PAYMENT_RESULTS_GROUP_ID: z.string().min(1).default('order-service-payment-results'),
  },
  build(env, problems, { production }) {
    problems.require(
      'EVENT_BUS',
      !production || env.EVENT_BUS,
      'is required in production (kafka, eventbridge or log)',
    );
    let events:
      | { readonly bus: 'log' }
      | {
          readonly bus: 'kafka';
          readonly brokers: readonly string[];
          readonly topic: string;
          readonly clientId: string;
          readonly ssl: boolean;
          readonly sasl: KafkaSasl;
        }
      | { readonly bus: 'eventbridge'; readonly busName: string };
    switch (env.EVENT_BUS ?? 'log') {
      case 'kafka': {
        problems.require('KAFKA_BROKERS', env.KAFKA_BROKERS, 'is required when EVENT_BUS=kafka');
        const brokers = (env.KAFKA_BROKERS ?? '')
          .split(',')
          .map((broker) => broker.trim())
          .filter(Boolean);
        let sasl: KafkaSasl = { mechanism: 'none' };
        if (env.KAFKA_SASL === 'aws-msk-iam') sasl = { mechanism: 'aws-msk-iam' };
        if (env.KAFKA_SASL === 'scram-sha-512') {
          const credentials: SecretSource = env.KAFKA_SECRET_ID
            ? { secretId: env.KAFKA_SECRET_ID }
            : {
                value: JSON.stringify({
                  username: env.KAFKA_USERNAME,
                  password: env.KAFKA_PASSWORD,
                }),
              };
          problems.require(
            'KAFKA_SECRET_ID',
            env.KAFKA_SECRET_ID || (env.KAFKA_USERNAME && env.KAFKA_PASSWORD),
            'is required when KAFKA_SASL=scram-sha-512 (or KAFKA_USERNAME and KAFKA_PASSWORD)',
          );
          sasl = { mechanism: 'scram-sha-512', credentials };
        }
        events = {
          bus: 'kafka',
          brokers,
          topic: env.KAFKA_TOPIC,
          clientId: env.KAFKA_CLIENT_ID,
          ssl: env.KAFKA_SSL,
          sasl,
        };
        break;
      }
      case 'eventbridge':
        problems.require('AWS_REGION', env.AWS_REGION, 'is required when EVENT_BUS=eventbridge');
        events = { bus: 'eventbridge', busName: env.EVENT_BUS_NAME };
        break;
      default:
        events = { bus: 'log' };
    }

    if (env.PAYMENT_RESULTS === 'kafka') {
      problems.require(
        'KAFKA_BROKERS',
        events.bus === 'kafka',
        'PAYMENT_RESULTS=kafka needs EVENT_BUS=kafka and KAFKA_BROKERS',
      );
    }
    const paymentResults:
      | { readonly source: 'callback' }
      | { readonly source: 'kafka'; readonly topic: string; readonly groupId: string } =
      env.PAYMENT_RESULTS === 'kafka'
        ? {
            source: 'kafka',
            topic: env.PAYMENT_RESULTS_TOPIC,
            groupId: env.PAYMENT_RESULTS_GROUP_ID,
          }
        : { source: 'callback' };

    return {
      events,
      paymentResults,
      aws: { region: env.AWS_REGION, endpoint: env.AWS_ENDPOINT_URL },
    };
  },
});

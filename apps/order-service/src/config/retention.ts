import { PROCESSED_MESSAGE_RETENTION_DAYS } from '@mallhive/order-contracts';
import { z } from 'zod';
import { configPart } from './part.ts';
import { duration, integer } from './variables.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A duration of at least `minMs`, saying so (as `minText`) when it is shorter. */
const durationAtLeast = (minMs: number, minText: string, why: string) =>
  duration.pipe(z.number().min(minMs, { error: `must be at least ${minText}: ${why}` }));

/**
 * How long the service keeps what only exists to recognise a repeat (idempotency records, the ids of
 * consumed messages), and how the purge worker deletes what is older (retention/retention-purger.ts).
 */
export const retention = configPart({
  variables: {
    // 24 h, as payment APIs keep theirs (Stripe, "Idempotent requests": keys may be removed once at least
    // 24 hours old, and a key reused after that is a new request).
    IDEMPOTENCY_RETENTION: durationAtLeast(
      HOUR,
      '1h',
      'clients retry a lost answer within minutes, and the store gives up an unfinished claim after 60 s',
    ).default(DAY),
    // Twice the payment results topic's retention (168 h: infra/aws's setting, and MSK Serverless's default
    // per AWS's "Configuration properties for MSK Serverless clusters"; infra/aws refuses a topic kept longer
    // than PROCESSED_MESSAGE_RETENTION_DAYS, the shared default): a consumer that lost its committed offsets
    // re-reads the topic from the beginning, so a message can come back as long as the topic keeps it.
    PROCESSED_MESSAGE_RETENTION: durationAtLeast(
      7 * DAY,
      '7d',
      'a consumed message can be delivered again as long as its topic keeps it (168 h)',
    ).default(PROCESSED_MESSAGE_RETENTION_DAYS * DAY),
    RETENTION_PURGE_INTERVAL: durationAtLeast(
      1_000,
      '1s',
      'each run queries both tables, even when nothing has expired',
    ).default(5 * 60_000),
    RETENTION_PURGE_BATCH_SIZE: integer(1, 10_000).default(1_000),
    RETENTION_PURGE_PAUSE: duration.default(50),
  },
  build(env) {
    return {
      retention: {
        idempotencyMs: env.IDEMPOTENCY_RETENTION,
        processedMessagesMs: env.PROCESSED_MESSAGE_RETENTION,
        intervalMs: env.RETENTION_PURGE_INTERVAL,
        batchSize: env.RETENTION_PURGE_BATCH_SIZE,
        pauseMs: env.RETENTION_PURGE_PAUSE,
      },
    };
  },
});

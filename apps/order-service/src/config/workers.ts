import { configPart } from './part.ts';
import { duration, integer } from './variables.ts';

/** The background workers: the outbox dispatcher and the payment sweeper. */
export const workers = configPart({
  variables: {
    OUTBOX_POLL_INTERVAL_MS: integer(10, 60_000).default(500),
    OUTBOX_BATCH_SIZE: integer(1, 1_000).default(100),
    OUTBOX_MAX_ATTEMPTS: integer(1, 100).default(10),
    PAYMENT_TIMEOUT: duration.default(15 * 60_000),
    RECONCILIATION_INTERVAL: duration.default(60_000),
  },
  build(env) {
    return {
      outbox: {
        pollIntervalMs: env.OUTBOX_POLL_INTERVAL_MS,
        batchSize: env.OUTBOX_BATCH_SIZE,
        maxAttempts: env.OUTBOX_MAX_ATTEMPTS,
      },
      reconciliation: {
        paymentTimeoutMs: env.PAYMENT_TIMEOUT,
        intervalMs: env.RECONCILIATION_INTERVAL,
      },
    };
  },
});

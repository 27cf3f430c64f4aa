/**
 * Payment outcomes from a Kafka topic, the alternative to the signed callback (`PAYMENT_RESULTS=kafka`).
 * Offsets are committed by hand and only after the outcome was applied — the use case commits its
 * database transaction, which also records the message id, so a redelivered message is a no-op. An
 * outcome that cannot be applied now (database down) is not committed and comes back; one that can never
 * be applied (malformed, unknown order, mismatch) is logged and skipped so it cannot block its partition.
 */
import type { PaymentOutcome } from '@mallhive/order-contracts';
import { readPaymentOutcome } from '@mallhive/order-contracts/payment-outcome-reader';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { IHeaders, Kafka, TopicPartitionOffsetAndMetadata } from 'kafkajs';
import type { Logger } from 'pino';
import { OrderError } from '../../domain/errors.ts';
import { contextOf } from '../../observability/trace-context.ts';
import { headerText } from './kafka-binary-mode.ts';

const tracer = trace.getTracer('order-service.payment-results');

/** The payment-results use case; it deduplicates by `messageId` in the same transaction. */
export type ApplyPaymentResult = (
  outcome: PaymentOutcome,
  options: { messageId: string },
) => Promise<unknown>;

/** One consumed record, as kafkajs hands it to `eachMessage`. */
export interface PaymentResultRecord {
  readonly topic: string;
  readonly partition: number;
  readonly message: {
    readonly offset: string;
    readonly value: Buffer | null;
    readonly headers?: IHeaders;
  };
}

/** Domain refusals that no retry can change. */
const permanentRefusals = new Set(['order_not_found', 'payment_mismatch', 'invalid_transition']);

export function paymentResultHandler(deps: {
  apply: ApplyPaymentResult;
  commit: (offsets: TopicPartitionOffsetAndMetadata[]) => Promise<void>;
  logger: Logger;
}): (record: PaymentResultRecord) => Promise<void> {
  // The producer's trace continues here: W3C trace context in the message headers, or the CloudEvents
  // extension's `ce_traceparent`; a missing or malformed one starts a new trace.
  return async (record) =>
    tracer.startActiveSpan(
      `process ${record.topic}`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          'messaging.system': 'kafka',
          'messaging.operation.type': 'process',
          'messaging.destination.name': record.topic,
          'messaging.destination.partition.id': String(record.partition),
          'messaging.kafka.offset': Number(record.message.offset),
        },
      },
      contextOf(traceContextOf(record.message.headers)),
      async (span) => {
        try {
          await handle(record);
        } catch (error) {
          span.setStatus({ code: SpanStatusCode.ERROR, message: String(error) });
          throw error;
        } finally {
          span.end();
        }
      },
    );

  async function handle({ topic, partition, message }: PaymentResultRecord): Promise<void> {
    const where = { topic, partition, offset: message.offset };
    // The producer's event id survives its retries; the record position is the fallback.
    const messageId =
      headerText(message.headers, 'ce_id') ?? `kafka:${topic}:${partition}:${message.offset}`;
    const commit = () =>
      deps.commit([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);

    const outcome = parse(message.value);
    if (!outcome.valid) {
      deps.logger.error(
        { ...where, messageId, problems: outcome.problems },
        'skipping malformed payment result',
      );
      return commit();
    }
    try {
      await deps.apply(outcome.outcome, { messageId });
    } catch (error) {
      const permanent = error instanceof OrderError && permanentRefusals.has(error.code);
      if (!permanent) throw error;
      deps.logger.warn(
        { ...where, messageId, code: error.code },
        'payment result refused; skipping it',
      );
    }
    await commit();
  }
}

function traceContextOf(headers: IHeaders | undefined) {
  const traceparent = headerText(headers, 'traceparent');
  return traceparent
    ? { traceparent, tracestate: headerText(headers, 'tracestate') }
    : {
        traceparent: headerText(headers, 'ce_traceparent'),
        tracestate: headerText(headers, 'ce_tracestate'),
      };
}

/** The message value against the same schema as the callback body (libs/order-contracts). */
function parse(value: Buffer | null): ReturnType<typeof readPaymentOutcome> {
  let json: unknown;
  try {
    json = JSON.parse(value?.toString('utf8') ?? '');
  } catch {
    return { valid: false, problems: ['value is not JSON'] };
  }
  return readPaymentOutcome(json);
}

/** Joins the consumer group and applies every payment result; `stop` leaves the group. */
export async function startKafkaPaymentResults(options: {
  kafka: Kafka;
  topic: string;
  groupId: string;
  apply: ApplyPaymentResult;
  logger: Logger;
}): Promise<{ stop(): Promise<void> }> {
  const consumer = options.kafka.consumer({ groupId: options.groupId });
  await consumer.connect();
  await consumer.subscribe({ topics: [options.topic], fromBeginning: true });
  const handle = paymentResultHandler({
    apply: options.apply,
    commit: (offsets) => consumer.commitOffsets(offsets),
    logger: options.logger,
  });
  await consumer.run({ autoCommit: false, eachMessage: handle });
  return { stop: () => consumer.disconnect() };
}

/** The Kafka topics the order service shares with other services (docs/events.md). */

/** Where the service publishes order events (CloudEvents, binary mode). */
export const ORDER_EVENTS_TOPIC = 'mallhive.orders.v1';

/** Where the payment service may publish payment outcomes (`PAYMENT_RESULTS=kafka`). */
export const PAYMENT_RESULTS_TOPIC = 'mallhive.payments.results.v1';

/**
 * How long, by default, the order service remembers the id of a payment result it consumed
 * (PROCESSED_MESSAGE_RETENTION). A consumer that lost its offsets re-reads the topic from the start, so the
 * topic must not keep messages longer than this, or old results would be taken for new ones.
 */
export const PROCESSED_MESSAGE_RETENTION_DAYS = 14;

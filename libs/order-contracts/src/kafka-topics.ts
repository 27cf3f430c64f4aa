/** The Kafka topics the order service shares with other services (docs/events.md). */

/** Where the service publishes order events (CloudEvents, binary mode). */
export const ORDER_EVENTS_TOPIC = 'mallhive.orders.v1';

/** Where the payment service may publish payment outcomes (`PAYMENT_RESULTS=kafka`). */
export const PAYMENT_RESULTS_TOPIC = 'mallhive.payments.results.v1';

/**
 * How order events look on EventBridge: one source for the service and one detail-type per lifecycle
 * step (keyed by the event type name of docs/events.md), so rules can select a step without parsing the
 * detail. docs/events.md maps the old service's `OrderCreated` / `OrderStatusChanged` to these.
 */
export const EVENTBRIDGE_SOURCE = 'mallhive.order-service';

/** The bus the service publishes to and consumers' rules listen on. */
export const ORDER_EVENT_BUS_NAME = 'mallhive-orders';

export const eventBridgeDetailTypes = {
  placed: 'OrderPlaced',
  payment_initiated: 'OrderPaymentInitiated',
  paid: 'OrderPaid',
  payment_failed: 'OrderPaymentFailed',
  cancelled: 'OrderCancelled',
  fulfilment_started: 'OrderFulfilmentStarted',
  shipped: 'OrderShipped',
  delivered: 'OrderDelivered',
} as const;

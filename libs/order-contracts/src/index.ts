/**
 * What more than one project must agree on, written once: the order service, the peer simulators,
 * infra/k8s and infra/aws import it, and none of them restates it.
 */
export { ORDER_SERVICE_METRICS_PORT, ORDER_SERVICE_PORT, routePaths } from './service.ts';
export { isValidSignature, signPayload, SIGNATURE_HEADER } from './payment-callback-signature.ts';
export { PaymentOutcomeSchema, type PaymentOutcome } from './payment-outcome.ts';
// readPaymentOutcome: `@mallhive/order-contracts/payment-outcome-reader` (it loads TypeBox's compiler).
export { IdentifierSchema } from './identifier.ts';
export { ReservationItemsSchema } from './reservation-items.ts';
export { SIMULATED_STOCK, simulatedProduct, simulatedUnitPrice } from './simulated-catalogue.ts';
export { simulatedPaymentDecision } from './simulated-payments.ts';
export { DEV_ANALYTICS_API_KEY, DEV_PAYMENT_CALLBACK_SECRET } from './development-keys.ts';
export { EVENTBRIDGE_SOURCE, eventBridgeDetailTypes, ORDER_EVENT_BUS_NAME } from './eventbridge.ts';
export {
  ORDER_EVENTS_TOPIC,
  PAYMENT_RESULTS_TOPIC,
  PROCESSED_MESSAGE_RETENTION_DAYS,
} from './kafka-topics.ts';
export { peerNames, peerServices, type PeerName } from './peer-services.ts';
export {
  allScopes,
  RESOURCE_SERVER,
  Scope,
  scopeDescriptions,
  scopeName,
  type ScopeName,
} from './scopes.ts';

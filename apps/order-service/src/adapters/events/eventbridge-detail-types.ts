/**
 * How order events look on EventBridge: one source for the service and one detail-type per lifecycle
 * step, so rules can select a step without parsing the detail. docs/events.md maps the old service's
 * `OrderCreated` / `OrderStatusChanged` to these.
 */
import { OrderEventType } from '../../domain/order-events.ts';
import { cloudEventType } from '../../events/cloud-event.ts';

export const EVENTBRIDGE_SOURCE = 'mallhive.order-service';

export const detailTypeByEventType: Readonly<Record<OrderEventType, string>> = {
  [OrderEventType.Placed]: 'OrderPlaced',
  [OrderEventType.PaymentInitiated]: 'OrderPaymentInitiated',
  [OrderEventType.Paid]: 'OrderPaid',
  [OrderEventType.PaymentFailed]: 'OrderPaymentFailed',
  [OrderEventType.Cancelled]: 'OrderCancelled',
  [OrderEventType.FulfilmentStarted]: 'OrderFulfilmentStarted',
  [OrderEventType.Shipped]: 'OrderShipped',
  [OrderEventType.Delivered]: 'OrderDelivered',
};

const detailTypeByCloudEventType = new Map(
  Object.entries(detailTypeByEventType).map(([type, detailType]) => [
    cloudEventType(type as OrderEventType),
    detailType,
  ]),
);

/** The detail-type of a CloudEvent `type`; an event outside the catalogue is a programming error. */
export function detailTypeFor(type: string): string {
  const detailType = detailTypeByCloudEventType.get(type);
  if (!detailType) throw new Error(`no EventBridge detail-type for event type ${type}`);
  return detailType;
}

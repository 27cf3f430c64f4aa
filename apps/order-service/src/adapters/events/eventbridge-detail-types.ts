/**
 * The EventBridge detail-type of each CloudEvent type. The names live in libs/order-contracts (rules
 * select on them); the type below fails the build when a domain event type has no detail-type there.
 */
import { eventBridgeDetailTypes } from '@mallhive/order-contracts';
import type { OrderEventType } from '../../domain/order-events.ts';
import { cloudEventType } from '../../events/cloud-event.ts';

const detailTypeByEventType: Readonly<Record<OrderEventType, string>> = eventBridgeDetailTypes;

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

/**
 * The event catalogue: one JSON Schema (draft 2020-12) per order event type, and the validator that holds
 * every published event to it. The schemas are plain JSON files so consumers can read and reuse them;
 * docs/events.md describes each type.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { OrderEventType } from '../domain/order-events.ts';
import { cloudEventType } from './cloud-event.ts';
import orderEventData from './schemas/order-event-data.v1.schema.json' with { type: 'json' };
import placed from './schemas/com.mallhive.order.placed.v1.schema.json' with { type: 'json' };
import paymentInitiated from './schemas/com.mallhive.order.payment-initiated.v1.schema.json' with { type: 'json' };
import paid from './schemas/com.mallhive.order.paid.v1.schema.json' with { type: 'json' };
import paymentFailed from './schemas/com.mallhive.order.payment-failed.v1.schema.json' with { type: 'json' };
import cancelled from './schemas/com.mallhive.order.cancelled.v1.schema.json' with { type: 'json' };
import fulfilmentStarted from './schemas/com.mallhive.order.fulfilment-started.v1.schema.json' with { type: 'json' };
import shipped from './schemas/com.mallhive.order.shipped.v1.schema.json' with { type: 'json' };
import delivered from './schemas/com.mallhive.order.delivered.v1.schema.json' with { type: 'json' };

const schemaByEventType: Readonly<Record<OrderEventType, object>> = {
  [OrderEventType.Placed]: placed,
  [OrderEventType.PaymentInitiated]: paymentInitiated,
  [OrderEventType.Paid]: paid,
  [OrderEventType.PaymentFailed]: paymentFailed,
  [OrderEventType.Cancelled]: cancelled,
  [OrderEventType.FulfilmentStarted]: fulfilmentStarted,
  [OrderEventType.Shipped]: shipped,
  [OrderEventType.Delivered]: delivered,
};

/** CloudEvents `type` (for example `com.mallhive.order.placed.v1`) → its JSON Schema. */
export const eventSchemas: ReadonlyMap<string, object> = new Map(
  Object.entries(schemaByEventType).map(([type, schema]) => [
    cloudEventType(type as OrderEventType),
    schema,
  ]),
);

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats.default(ajv);
ajv.addSchema(orderEventData);
const validators = new Map(
  [...eventSchemas].map(([type, schema]) => [type, ajv.compile(schema)] as const),
);

export type EventValidation = { valid: true } | { valid: false; errors: readonly string[] };

/** Checks an event (a parsed CloudEvent) against the schema of its `type`; unknown types are invalid. */
export function validateEvent(event: unknown): EventValidation {
  const type =
    typeof event === 'object' && event !== null && 'type' in event ? event.type : undefined;
  const validate = typeof type === 'string' ? validators.get(type) : undefined;
  if (!validate) {
    return { valid: false, errors: [`type ${JSON.stringify(type)} is not in the event catalogue`] };
  }
  if (validate(event)) return { valid: true };
  return {
    valid: false,
    errors: (validate.errors ?? []).map(
      (error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`,
    ),
  };
}

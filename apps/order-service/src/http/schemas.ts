// From typebox itself: the type provider re-exports it but also loads TypeBox's value and format
// modules, which the service never uses (its validators are Ajv's, plugins/validation.ts).
import { Type } from 'typebox';
import type { Static, TSchema } from 'typebox';
import {
  IdentifierSchema,
  ReservationItemsSchema,
  SIGNATURE_HEADER,
} from '@mallhive/order-contracts';
import type { ProblemCode } from './problem.ts';
import { statusOf } from './problem.ts';
import { OrderStatus } from '../domain/order-status.ts';

/** The API's JSON shapes, one source for validation, serialization and the OpenAPI document. */

/** Free text: any Unicode but control characters (input-text.ts), not blank. */
const text = (minLength: number, maxLength: number) =>
  Type.String({ minLength, maxLength, pattern: '\\S' });

const OrderStatusSchema = Type.Enum(OrderStatus);

const ShippingAddressSchema = Type.Object(
  {
    name: text(1, 200),
    line1: text(1, 200),
    line2: Type.Optional(Type.String({ maxLength: 200 })),
    city: text(1, 100),
    postalCode: text(1, 20),
    country: Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' }),
  },
  { additionalProperties: false },
);

export const PlaceOrderBodySchema = Type.Object(
  {
    userId: IdentifierSchema,
    currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217' }),
    items: ReservationItemsSchema,
    customerEmail: Type.String({ format: 'email', maxLength: 254 }),
    shippingAddress: ShippingAddressSchema,
  },
  { additionalProperties: false },
);

const OrderResourceSchema = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    userId: Type.String(),
    status: OrderStatusSchema,
    currency: Type.String(),
    items: Type.Array(
      Type.Object({
        productId: Type.String(),
        quantity: Type.Integer(),
        unitPrice: Type.Integer({ description: 'minor units' }),
        lineTotal: Type.Integer({ description: 'minor units' }),
      }),
    ),
    subtotal: Type.Integer({ description: 'minor units' }),
    total: Type.Integer({ description: 'minor units' }),
    // Absent for callers that may not see them (orders/read alone).
    customerEmail: Type.Optional(Type.String()),
    shippingAddress: Type.Optional(ShippingAddressSchema),
    payment: Type.Union([
      Type.Object({ paymentId: Type.String(), status: Type.String() }),
      Type.Null(),
    ]),
    shipment: Type.Union([
      Type.Object({ carrier: Type.String(), trackingNumber: Type.String() }),
      Type.Null(),
    ]),
    version: Type.Integer(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
    statusHistory: Type.Array(
      Type.Object({
        from: Type.Union([OrderStatusSchema, Type.Null()]),
        to: OrderStatusSchema,
        reason: Type.Union([Type.String(), Type.Null()]),
        actor: Type.String(),
        at: Type.String({ format: 'date-time' }),
      }),
    ),
  },
  { $id: 'Order' },
);

/**
 * Shared schemas, added to the app once (`app.addSchema`) and referred to by `$ref`, so the OpenAPI document
 * names them as components (`Order`) instead of repeating them, and generated clients name their types.
 */
export const sharedSchemas = [OrderResourceSchema];

/** An order as the API shows it: a reference to the shared `Order` schema, typed as that schema. */
export const OrderSchema = Type.Unsafe<Static<typeof OrderResourceSchema>>(Type.Ref('Order'));

export const OrderIdParamsSchema = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const CancelBodySchema = Type.Object(
  { reason: text(1, 500) },
  { additionalProperties: false },
);

export const ShipmentBodySchema = Type.Object(
  { carrier: text(1, 100), trackingNumber: text(1, 100) },
  { additionalProperties: false },
);

export const UserOrdersParamsSchema = Type.Object({
  userId: IdentifierSchema,
});

export const DEFAULT_PAGE_SIZE = 20;

export const UserOrdersQuerySchema = Type.Object(
  {
    // Optional for the caller; validation fills in the default, so handlers always see a number.
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: DEFAULT_PAGE_SIZE })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
    status: Type.Optional(OrderStatusSchema),
  },
  { additionalProperties: false },
);

export const IdempotencyKeyHeaderSchema = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      description:
        'Required (a missing key is refused with `idempotency_key_missing`): 1–255 printable ASCII ' +
        'characters naming this order attempt, e.g. the checkout session id.',
    }),
  ),
});

export const IfMatchHeaderSchema = Type.Object({
  'if-match': Type.Optional(
    Type.String({ description: 'The version the client last saw, as its ETag, e.g. `"3"`.' }),
  ),
});

export const SignatureHeaderSchema = Type.Object({
  [SIGNATURE_HEADER]: Type.Optional(
    Type.String({ description: '`t=<unix seconds>,v1=<hex HMAC-SHA256>`' }),
  ),
});

export const OrderPageSchema = Type.Object({
  items: Type.Array(OrderSchema),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const PaymentCallbackAnswerSchema = Type.Object({
  status: Type.Union([Type.Literal('applied'), Type.Literal('already_applied')]),
});

/** A JSON success response, with the headers it sets, for the OpenAPI document. */
export const jsonResponse = (
  schema: TSchema,
  description: string,
  headers: Record<string, { description: string }> = {},
) => ({
  description,
  ...(Object.keys(headers).length > 0
    ? {
        headers: Object.fromEntries(
          Object.entries(headers).map(([name, header]) => [name, { type: 'string', ...header }]),
        ),
      }
    : {}),
  content: { 'application/json': { schema } },
});

/**
 * The problem+json responses of one operation, from the codes it may answer: each code is documented under
 * the status the stable table (problem.ts) gives it, and the response's `code` is typed as exactly those.
 * Every operation can also meet a database outage (`dependency_unavailable`) or fail unexpectedly
 * (`internal_error`). Refusals before routing (a slow or oversized request) are listed in docs/api.md.
 */
export function problemResponses(...codes: ProblemCode[]) {
  const all = new Set<ProblemCode>([...codes, 'dependency_unavailable', 'internal_error']);
  const byStatus = Map.groupBy(all, (code) => statusOf[code]);
  return Object.fromEntries(
    [...byStatus].map(([status, group]) => [
      status,
      {
        description: group.map((code) => `\`${code}\``).join(', '),
        content: { 'application/problem+json': { schema: problemSchema(status, group) } },
      },
    ]),
  );
}

const problemSchema = (status: number, codes: readonly ProblemCode[]) =>
  Type.Object(
    {
      type: Type.String({ description: '`urn:mallhive:order-service:problem:<code>`' }),
      title: Type.String(),
      status: Type.Unsafe<number>({ type: 'integer', enum: [status] }),
      code: Type.Unsafe<ProblemCode>({
        type: 'string',
        enum: codes,
        description: 'Stable and machine-readable; see docs/api.md#errors.',
      }),
      detail: Type.Optional(Type.String()),
      instance: Type.Optional(Type.String()),
      requestId: Type.Optional(Type.String({ description: 'Also in the x-request-id header.' })),
    },
    // Some codes carry more members, e.g. `errors` (validation_failed) or `items` (insufficient_stock).
    { additionalProperties: true },
  );

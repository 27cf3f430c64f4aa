import { Type } from '@fastify/type-provider-typebox';
import { IdentifierSchema, ReservationItemsSchema } from '@mallhive/order-contracts';
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

export const OrderSchema = Type.Object(
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

const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String({ description: 'stable, machine-readable' }),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
  },
  { $id: 'Problem', additionalProperties: true },
);

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

export const UserOrdersQuerySchema = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
    status: Type.Optional(OrderStatusSchema),
  },
  { additionalProperties: false },
);

export const OrderPageSchema = Type.Object({
  items: Type.Array(OrderSchema),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

/** Error responses every API route may give, for the OpenAPI document. */
export const problemResponses = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((status) => [
      status,
      { ...ProblemSchema, description: 'application/problem+json' },
    ]),
  );

import { Type } from 'typebox';
import { IdentifierSchema } from './identifier.ts';

/**
 * The items of an order as the product service reserves them (docs/contracts/
 * product-reservations.openapi.yaml, `ReservationRequest.items`). The order API takes exactly these, so an
 * order it accepts is always one the product service can reserve.
 */
export const ReservationItemsSchema = Type.Array(
  Type.Object(
    {
      productId: IdentifierSchema,
      quantity: Type.Integer({ minimum: 1, maximum: 999 }),
    },
    { additionalProperties: false },
  ),
  { minItems: 1, maxItems: 100 },
);

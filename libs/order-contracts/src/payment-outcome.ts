import { Type, type Static } from 'typebox';

/**
 * What the payment service reports about a payment, on the signed callback (docs/contracts/
 * payments.openapi.yaml, webhook `paymentOutcome`) or as a message on the payment-results topic. One
 * schema for both: the HTTP route validates the body with it, the Kafka consumer the message value.
 *
 * Unknown fields are refused on both channels: an outcome we do not fully understand (a partial capture,
 * say) must not be applied as if we did. It is not lost — the payment sweeper settles the order from the
 * payment service's own record once the payment is overdue.
 */
export const PaymentOutcomeSchema = Type.Object(
  {
    paymentId: Type.String({ minLength: 1, maxLength: 128 }),
    orderId: Type.String({ format: 'uuid' }),
    status: Type.Union([Type.Literal('succeeded'), Type.Literal('failed')]),
    /** Minor units of `currency`. */
    amount: Type.Integer({ minimum: 0 }),
    currency: Type.String({ pattern: '^[A-Z]{3}$' }),
    /** Kept in the order's status history, hence bounded. */
    failureReason: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export type PaymentOutcome = Static<typeof PaymentOutcomeSchema>;

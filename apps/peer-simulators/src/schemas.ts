import { Type } from 'typebox';

/** Schemas shared by several simulated peers. */
export const Currency = Type.String({ pattern: '^[A-Z]{3}$' });
export const IdempotencyKeyHeader = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
});

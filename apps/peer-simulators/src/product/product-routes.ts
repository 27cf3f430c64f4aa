import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ReservationItemsSchema } from '@mallhive/order-contracts';
import { Type } from 'typebox';
import { injectFaults } from '../faults/fault-hook.ts';
import type { FaultPlan } from '../faults/fault-plan.ts';
import { Currency } from '../schemas.ts';
import type { Reservation, ReservationBook } from './reservation-book.ts';

/** The product service's stock reservation API (docs/contracts/product-reservations.openapi.yaml). */
export const productRoutes: FastifyPluginAsyncTypebox<{
  book: ReservationBook;
  faults: FaultPlan;
}> = async (app, { book, faults }) => {
  injectFaults(app, 'product', faults);

  app.post(
    '/api/v1/reservations',
    {
      schema: {
        body: Type.Object(
          {
            orderId: Type.String({ minLength: 1, maxLength: 64 }),
            currency: Currency,
            items: ReservationItemsSchema,
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const result = book.reserve(request.body);
      switch (result.kind) {
        case 'created':
          return reply.code(201).send(view(result.reservation));
        case 'replayed':
          return reply.code(200).send(view(result.reservation));
        case 'unknown_product':
          return reply.code(422).send({
            code: 'unknown_product',
            message: 'Some products do not exist.',
            productIds: result.productIds,
          });
        case 'insufficient_stock':
          return reply.code(409).send({
            code: 'insufficient_stock',
            message: 'Not enough stock for some items.',
            items: result.items,
          });
        case 'mismatch':
          return reply.code(409).send({
            code: 'reservation_mismatch',
            message: 'This order id already holds a reservation for different items.',
          });
        case 'closed':
          return reply.code(409).send({
            code: `reservation_${result.reservation.status}`,
            message: `The reservation of this order is ${result.reservation.status}.`,
          });
      }
    },
  );

  const params = Type.Object({ orderId: Type.String({ minLength: 1, maxLength: 64 }) });

  app.post(
    '/api/v1/reservations/:orderId/commit',
    { schema: { params } },
    async (request, reply) => {
      const result = book.commit(request.params.orderId);
      if (result.kind === 'not_found') return reply.code(404).send(notFound());
      if (result.kind === 'conflict') {
        return reply.code(409).send({
          code: `reservation_${result.reservation.status}`,
          message: `The reservation is ${result.reservation.status} and can no longer be committed.`,
        });
      }
      return view(result.reservation);
    },
  );

  app.post(
    '/api/v1/reservations/:orderId/release',
    { schema: { params } },
    async (request, reply) => {
      const result = book.release(request.params.orderId);
      if (result.kind !== 'ok') return reply.code(404).send(notFound());
      return view(result.reservation);
    },
  );
};

function view(reservation: Reservation) {
  return {
    orderId: reservation.orderId,
    status: reservation.status,
    currency: reservation.currency,
    lines: reservation.lines,
    expiresAt: reservation.expiresAt,
  };
}

function notFound() {
  return { code: 'reservation_not_found', message: 'No reservation exists for this order id.' };
}

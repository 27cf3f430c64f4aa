import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { OrderContext } from '../../application/context.ts';
import { listUserOrders } from '../../adapters/postgres/order-repository.ts';
import type { CursorCodec } from '../cursor.ts';
import { toOrderResource } from '../order-resource.ts';
import {
  OrderPageSchema,
  problemResponses,
  UserOrdersParamsSchema,
  UserOrdersQuerySchema,
} from '../schemas.ts';

/** A user's order history, newest first, in keyset pages that never skip or repeat an order. */
export const userOrderRoutes: FastifyPluginAsyncTypebox<{
  context: OrderContext;
  cursors: CursorCodec;
}> = async (app, { context, cursors }) => {
  app.get(
    '/users/:userId/orders',
    {
      schema: {
        tags: ['orders'],
        summary: "List a user's orders",
        params: UserOrdersParamsSchema,
        querystring: UserOrdersQuerySchema,
        response: { 200: OrderPageSchema, ...problemResponses(400) },
      },
    },
    async (request) => {
      const { userId } = request.params;
      const { limit, cursor, status } = request.query;
      const listing = `${userId}|${status ?? ''}`;
      const before = cursor === undefined ? undefined : cursors.decode(cursor, listing);
      const page = await listUserOrders(context.db, {
        userId,
        limit,
        ...(status ? { status } : {}),
        ...(before ? { before } : {}),
      });
      const last = page.orders.at(-1);
      return {
        items: page.orders.map(toOrderResource),
        nextCursor: page.hasMore && last ? cursors.encode(last, listing) : null,
      };
    },
  );
};

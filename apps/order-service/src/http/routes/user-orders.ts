import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { OrderContext } from '../../application/context.ts';
import { listUserOrders } from '../../adapters/postgres/order-repository.ts';
import type { CursorCodec } from '../cursor.ts';
import { seesPersonalData } from '../../application/access-policy.ts';
import { assertMayActFor, callerOf } from '../access.ts';
import { toOrderResource } from '../order-resource.ts';
import { authProblems, securedBy } from '../security.ts';
import {
  DEFAULT_PAGE_SIZE,
  jsonResponse,
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
      config: { operation: 'list' },
      schema: {
        tags: ['orders'],
        operationId: 'listUserOrders',
        summary: "List a user's orders",
        ...securedBy(
          'list',
          `Newest first, in pages of \`limit\` (1–100, default ${DEFAULT_PAGE_SIZE}), optionally only one ` +
            '`status`. Pass ' +
            '`nextCursor` as `cursor` for the next page; it is `null` on the last one. A cursor is bound to ' +
            'the user and status filter it was issued for.',
        ),
        params: UserOrdersParamsSchema,
        querystring: UserOrdersQuerySchema,
        response: {
          200: jsonResponse(OrderPageSchema, 'One page of orders'),
          ...problemResponses('validation_failed', ...authProblems, 'invalid_cursor'),
        },
      },
    },
    async (request) => {
      const { userId } = request.params;
      assertMayActFor(request, 'list', userId);
      const personalData = seesPersonalData(callerOf(request), userId);
      const { limit = DEFAULT_PAGE_SIZE, cursor, status } = request.query;
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
        items: page.orders.map((order) => toOrderResource(order, { personalData })),
        nextCursor: page.hasMore && last ? cursors.encode(last, listing) : null,
      };
    },
  );
};

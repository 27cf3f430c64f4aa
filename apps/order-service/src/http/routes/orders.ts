import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import type { OrderContext } from '../../application/context.ts';
import type { ModifyResult } from '../../application/modify-order.ts';
import { modifyOrder, stepTo } from '../../application/modify-order.ts';
import { placeOrder } from '../../application/place-order.ts';
import { findOrder } from '../../adapters/postgres/order-repository.ts';
import { OrderError } from '../../domain/errors.ts';
import type { TransitionRequest } from '../../domain/order.ts';
import { OrderStatus } from '../../domain/order-status.ts';
import { IDEMPOTENCY_KEY, IDEMPOTENCY_KEY_DESCRIPTION } from '../input-text.ts';
import { etagOf, locationOf, toOrderResource } from '../order-resource.ts';
import {
  CancelBodySchema,
  OrderIdParamsSchema,
  OrderSchema,
  PlaceOrderBodySchema,
  problemResponses,
  ShipmentBodySchema,
} from '../schemas.ts';

const IF_MATCH = /^(?:W\/)?"(\d+)"$/;

/** Orders: place, read, and the commands that move an order through fulfilment. */
export const orderRoutes: FastifyPluginAsyncTypebox<{ context: OrderContext }> = async (
  app,
  { context },
) => {
  app.post(
    '/orders',
    {
      schema: {
        tags: ['orders'],
        summary: 'Place an order (idempotent per Idempotency-Key)',
        headers: { type: 'object', properties: { 'idempotency-key': { type: 'string' } } },
        body: PlaceOrderBodySchema,
        response: { 201: OrderSchema, ...problemResponses(400, 409, 413, 415, 422, 503) },
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      if (key === undefined)
        throw new OrderError('idempotency_key_missing', 'Send an Idempotency-Key header.');
      if (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key)) {
        throw new OrderError(
          'validation_failed',
          `Idempotency-Key must be ${IDEMPOTENCY_KEY_DESCRIPTION}.`,
          {
            errors: [
              {
                in: 'headers',
                path: '/idempotency-key',
                message: `must be ${IDEMPOTENCY_KEY_DESCRIPTION}`,
              },
            ],
          },
        );
      }
      assertUniqueProducts(request.body.items);
      const { response, replayed } = await placeOrder(context, key, request.body, (order) => ({
        statusCode: 201,
        headers: { location: locationOf(order), etag: etagOf(order) },
        body: JSON.stringify(toOrderResource(order)),
      }));
      // Stored pre-serialised, so a replay is byte-for-byte the first response.
      const raw = reply as unknown as FastifyReply;
      if (replayed) raw.header('idempotent-replayed', 'true');
      return raw
        .code(response.statusCode)
        .headers(response.headers)
        .type('application/json')
        .send(response.body);
    },
  );

  app.get(
    '/orders/:id',
    {
      schema: {
        tags: ['orders'],
        summary: 'Read an order',
        params: OrderIdParamsSchema,
        response: { 200: OrderSchema, ...problemResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const order = await findOrder(context.db, request.params.id);
      if (!order)
        throw new OrderError('order_not_found', `Order ${request.params.id} does not exist.`);
      return reply.header('etag', etagOf(order)).send(toOrderResource(order));
    },
  );

  /** A command route: optional If-Match, then the transition `toRequest` describes. */
  const command = (
    path: string,
    summary: string,
    body: typeof CancelBodySchema | typeof ShipmentBodySchema | undefined,
    toRequest: (body: Record<string, string> | undefined) => Omit<TransitionRequest, 'at'>,
  ) =>
    app.post(
      `/orders/:id/${path}`,
      {
        schema: {
          tags: ['orders'],
          summary,
          params: OrderIdParamsSchema,
          headers: { type: 'object', properties: { 'if-match': { type: 'string' } } },
          ...(body ? { body } : {}),
          response: { 200: OrderSchema, ...problemResponses(400, 404, 409, 412) },
        },
      },
      async (request, reply) => {
        const expectedVersion = parseIfMatch(request.headers['if-match']);
        const transitionRequest = toRequest(request.body as Record<string, string> | undefined);
        const result = await modifyOrder(
          context,
          request.params.id,
          (order) => stepTo(context, order, transitionRequest),
          expectedVersion === undefined ? {} : { expectedVersion },
        );
        return sendOrder(reply, result);
      },
    );

  command(
    'cancel',
    'Cancel an order (releases stock; refunds if paid)',
    CancelBodySchema,
    (body) => ({
      to: OrderStatus.Cancelled,
      reason: body?.reason ?? null,
      actor: 'api',
    }),
  );
  command('fulfilment', 'Start fulfilment of a paid order', undefined, () => ({
    to: OrderStatus.Fulfilling,
    actor: 'api',
  }));
  command('shipment', 'Record the shipment of an order', ShipmentBodySchema, (body) => ({
    to: OrderStatus.Shipped,
    actor: 'api',
    shipment: { carrier: body?.carrier ?? '', trackingNumber: body?.trackingNumber ?? '' },
  }));
  command('delivery', 'Record the delivery of an order', undefined, () => ({
    to: OrderStatus.Delivered,
    actor: 'api',
  }));
};

function sendOrder(reply: FastifyReply, result: ModifyResult) {
  if (result.outcome === 'duplicate_message') throw new Error('commands carry no message id');
  return reply.header('etag', etagOf(result.order)).send(toOrderResource(result.order));
}

function parseIfMatch(header: string | string[] | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = typeof header === 'string' ? IF_MATCH.exec(header.trim()) : null;
  if (!match) {
    throw new OrderError(
      'validation_failed',
      'If-Match must be an ETag of this API, such as "3".',
      {
        errors: [
          { in: 'headers', path: '/if-match', message: 'must be a quoted version such as "3"' },
        ],
      },
    );
  }
  return Number(match[1]);
}

function assertUniqueProducts(items: readonly { productId: string }[]): void {
  const seen = new Set<string>();
  const errors = items.flatMap((item, index) => {
    if (!seen.has(item.productId)) {
      seen.add(item.productId);
      return [];
    }
    return [
      {
        in: 'body',
        path: `/items/${index}/productId`,
        message: `repeats product ${item.productId}`,
      },
    ];
  });
  if (errors.length > 0)
    throw new OrderError('validation_failed', 'Each product may appear only once.', { errors });
}

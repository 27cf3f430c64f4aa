import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OrderContext } from '../../application/context.ts';
import type { ModifyResult } from '../../application/modify-order.ts';
import { modifyOrder, stepTo } from '../../application/modify-order.ts';
import { placeOrder } from '../../application/place-order.ts';
import { findOrder } from '../../adapters/postgres/order-repository.ts';
import { OrderError } from '../../domain/errors.ts';
import type { TransitionRequest } from '../../domain/order.ts';
import { OrderStatus } from '../../domain/order-status.ts';
import { IDEMPOTENCY_KEY, IDEMPOTENCY_KEY_DESCRIPTION } from '../input-text.ts';
import type { Operation } from '../../application/access-policy.ts';
import { accessTo } from '../../application/access-policy.ts';
import { actorOf, idempotencyKeyOf } from '../../application/caller.ts';
import { assertMayActFor, callerOf, showsPersonalData } from '../access.ts';
import { etagOf, locationOf, toOrderResource } from '../order-resource.ts';
import { securedBy } from '../security.ts';
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
      config: { operation: 'place' },
      schema: {
        tags: ['orders'],
        summary:
          'Place an order for the calling customer (idempotent per caller and Idempotency-Key)',
        ...securedBy('place'),
        headers: { type: 'object', properties: { 'idempotency-key': { type: 'string' } } },
        body: PlaceOrderBodySchema,
        response: {
          201: OrderSchema,
          ...problemResponses(400, 401, 403, 409, 413, 415, 422, 429, 503),
        },
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
      assertMayActFor(request, 'place', request.body.userId);
      assertUniqueProducts(request.body.items);
      const caller = callerOf(request);
      const placement = { ...request.body, actor: actorOf(caller) };
      // Scoped to the caller: the same key from two callers names two requests.
      const scopedKey = idempotencyKeyOf(caller, key);
      const { response, replayed } = await placeOrder(context, scopedKey, placement, (order) => ({
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
      config: { operation: 'read' },
      schema: {
        tags: ['orders'],
        summary: 'Read an order',
        ...securedBy('read'),
        params: OrderIdParamsSchema,
        response: { 200: OrderSchema, ...problemResponses(400, 401, 403, 404, 429, 503) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const order = await findOrder(context.db, id);
      if (!order) throw new OrderError('order_not_found', `Order ${id} does not exist.`);
      assertMayActFor(request, 'read', order.userId, id);
      return reply
        .header('etag', etagOf(order))
        .send(toOrderResource(order, { personalData: showsPersonalData(request, order) }));
    },
  );

  /** A command route: optional If-Match, then the transition `toRequest` describes. */
  const command = (
    path: string,
    operation: Operation,
    summary: string,
    body: typeof CancelBodySchema | typeof ShipmentBodySchema | undefined,
    toRequest: (
      body: Record<string, string> | undefined,
    ) => Omit<TransitionRequest, 'at' | 'actor'>,
  ) =>
    app.post(
      `/orders/:id/${path}`,
      {
        config: { operation },
        schema: {
          tags: ['orders'],
          summary,
          ...securedBy(operation),
          params: OrderIdParamsSchema,
          headers: { type: 'object', properties: { 'if-match': { type: 'string' } } },
          ...(body ? { body } : {}),
          response: {
            200: OrderSchema,
            ...problemResponses(400, 401, 403, 404, 409, 412, 429, 503),
          },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const caller = callerOf(request);
        // A customer may command only their own orders: look before any other answer (412, 409)
        // could tell them that someone else's order exists.
        if (accessTo(caller, operation).kind === 'own') {
          const order = await findOrder(context.db, id);
          if (!order) throw new OrderError('order_not_found', `Order ${id} does not exist.`);
          assertMayActFor(request, operation, order.userId, id);
        }
        const expectedVersion = parseIfMatch(request.headers['if-match']);
        const transitionRequest = {
          ...toRequest(request.body as Record<string, string> | undefined),
          actor: actorOf(caller),
        };
        const result = await modifyOrder(
          context,
          id,
          (order) => stepTo(context, order, transitionRequest),
          expectedVersion === undefined ? {} : { expectedVersion },
        );
        return sendOrder(request, reply, result);
      },
    );

  command(
    'cancel',
    'cancel',
    'Cancel an order (releases stock; refunds if paid)',
    CancelBodySchema,
    (body) => ({ to: OrderStatus.Cancelled, reason: body?.reason ?? null }),
  );
  command('fulfilment', 'fulfil', 'Start fulfilment of a paid order', undefined, () => ({
    to: OrderStatus.Fulfilling,
  }));
  command('shipment', 'ship', 'Record the shipment of an order', ShipmentBodySchema, (body) => ({
    to: OrderStatus.Shipped,
    shipment: { carrier: body?.carrier ?? '', trackingNumber: body?.trackingNumber ?? '' },
  }));
  command('delivery', 'deliver', 'Record the delivery of an order', undefined, () => ({
    to: OrderStatus.Delivered,
  }));
};

function sendOrder(request: FastifyRequest, reply: FastifyReply, result: ModifyResult) {
  if (result.outcome === 'duplicate_message') throw new Error('commands carry no message id');
  const { order } = result;
  return reply
    .header('etag', etagOf(order))
    .send(toOrderResource(order, { personalData: showsPersonalData(request, order) }));
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

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
import { authProblems, securedBy } from '../security.ts';
import {
  CancelBodySchema,
  IdempotencyKeyHeaderSchema,
  IfMatchHeaderSchema,
  jsonResponse,
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
        operationId: 'placeOrder',
        summary:
          'Place an order for the calling customer (idempotent per caller and Idempotency-Key)',
        ...securedBy(
          'place',
          'The product service prices and reserves the items; the client never sends a price. ' +
            'Sending the same request with the same `Idempotency-Key` again answers the first 201, byte for ' +
            'byte, with `Idempotent-Replayed: true`; the same key with another body is refused.',
        ),
        headers: IdempotencyKeyHeaderSchema,
        body: PlaceOrderBodySchema,
        response: {
          201: jsonResponse(OrderSchema, 'The order, placed (or replayed)', {
            location: { description: 'The order resource' },
            etag: { description: 'The order version, for `If-Match`' },
            'idempotent-replayed': { description: '`true` when this is a replay' },
          }),
          ...problemResponses(
            ...bodyProblems,
            ...authProblems,
            'idempotency_key_missing',
            'insufficient_stock',
            'idempotency_request_in_progress',
            'idempotency_key_reused',
            'unknown_product',
            'dependency_unavailable',
            'dependency_contract_violation',
          ),
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
        operationId: 'getOrder',
        summary: 'Read an order',
        ...securedBy('read', 'One order with its items, payment, shipment and status history.'),
        params: OrderIdParamsSchema,
        response: {
          200: jsonResponse(OrderSchema, 'The order', { etag: orderEtag }),
          ...problemResponses('validation_failed', ...authProblems, 'order_not_found'),
        },
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
  const command = (route: {
    path: string;
    operation: Operation;
    operationId: string;
    summary: string;
    description: string;
    body?: typeof CancelBodySchema | typeof ShipmentBodySchema;
    toRequest: (
      body: Record<string, string> | undefined,
    ) => Omit<TransitionRequest, 'at' | 'actor'>;
  }) =>
    app.post(
      `/orders/:id/${route.path}`,
      {
        config: { operation: route.operation },
        schema: {
          tags: ['orders'],
          operationId: route.operationId,
          summary: route.summary,
          ...securedBy(route.operation, `${route.description} ${COMMAND_SEMANTICS}`),
          params: OrderIdParamsSchema,
          headers: IfMatchHeaderSchema,
          ...(route.body ? { body: route.body } : {}),
          response: {
            200: jsonResponse(OrderSchema, 'The order after the step', { etag: orderEtag }),
            ...problemResponses(
              ...bodyProblems,
              ...authProblems,
              'order_not_found',
              'invalid_transition',
              'version_conflict',
            ),
          },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const caller = callerOf(request);
        // A customer may command only their own orders: look before any other answer (412, 409)
        // could tell them that someone else's order exists.
        if (accessTo(caller, route.operation).kind === 'own') {
          const order = await findOrder(context.db, id);
          if (!order) throw new OrderError('order_not_found', `Order ${id} does not exist.`);
          assertMayActFor(request, route.operation, order.userId, id);
        }
        const expectedVersion = parseIfMatch(request.headers['if-match']);
        const transitionRequest = {
          ...route.toRequest(request.body as Record<string, string> | undefined),
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

  command({
    path: 'cancel',
    operation: 'cancel',
    operationId: 'cancelOrder',
    summary: 'Cancel an order (releases stock; refunds if paid)',
    description:
      'Allowed while the order is PENDING, AWAITING_PAYMENT, PAID or FULFILLING. The stock is released ' +
      'and a paid order refunded.',
    body: CancelBodySchema,
    toRequest: (body) => ({ to: OrderStatus.Cancelled, reason: body?.reason ?? null }),
  });
  command({
    path: 'fulfilment',
    operation: 'fulfil',
    operationId: 'startFulfilment',
    summary: 'Start fulfilment of a paid order',
    description: 'PAID → FULFILLING: the warehouse has started picking the order.',
    toRequest: () => ({ to: OrderStatus.Fulfilling }),
  });
  command({
    path: 'shipment',
    operation: 'ship',
    operationId: 'recordShipment',
    summary: 'Record the shipment of an order',
    description: 'FULFILLING → SHIPPED, with the carrier and its tracking number.',
    body: ShipmentBodySchema,
    toRequest: (body) => ({
      to: OrderStatus.Shipped,
      shipment: { carrier: body?.carrier ?? '', trackingNumber: body?.trackingNumber ?? '' },
    }),
  });
  command({
    path: 'delivery',
    operation: 'deliver',
    operationId: 'recordDelivery',
    summary: 'Record the delivery of an order',
    description: 'SHIPPED → DELIVERED.',
    toRequest: () => ({ to: OrderStatus.Delivered }),
  });
};

const COMMAND_SEMANTICS =
  'With `If-Match: "<version>"` a stale version is refused (412); without it, of two racing commands ' +
  'only one wins. Checks come in this order: malformed request, unknown order, stale version, illegal step.';

const orderEtag = { description: 'The order version, for `If-Match`' };

/** What any route that takes a body may answer before it looks at the body's meaning. */
const bodyProblems = [
  'validation_failed',
  'malformed_request',
  'payload_too_large',
  'unsupported_media_type',
] as const;

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

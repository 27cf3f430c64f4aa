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
      schema: {
        tags: ['orders'],
        operationId: 'placeOrder',
        summary: 'Place an order (idempotent per Idempotency-Key)',
        description:
          'The product service prices and reserves the items; the client never sends a price. ' +
          'Sending the same request with the same `Idempotency-Key` again answers the first 201, byte for ' +
          'byte, with `Idempotent-Replayed: true`; the same key with another body is refused.',
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
        operationId: 'getOrder',
        summary: 'Read an order',
        description: 'One order with its items, payment, shipment and status history.',
        params: OrderIdParamsSchema,
        response: {
          200: jsonResponse(OrderSchema, 'The order', { etag: orderEtag }),
          ...problemResponses('validation_failed', 'order_not_found'),
        },
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
  const command = (route: {
    path: string;
    operationId: string;
    summary: string;
    description: string;
    body?: typeof CancelBodySchema | typeof ShipmentBodySchema;
    toRequest: (body: Record<string, string> | undefined) => Omit<TransitionRequest, 'at'>;
  }) =>
    app.post(
      `/orders/:id/${route.path}`,
      {
        schema: {
          tags: ['orders'],
          operationId: route.operationId,
          summary: route.summary,
          description: `${route.description} ${COMMAND_SEMANTICS}`,
          params: OrderIdParamsSchema,
          headers: IfMatchHeaderSchema,
          ...(route.body ? { body: route.body } : {}),
          response: {
            200: jsonResponse(OrderSchema, 'The order after the step', { etag: orderEtag }),
            ...problemResponses(
              ...bodyProblems,
              'order_not_found',
              'invalid_transition',
              'version_conflict',
            ),
          },
        },
      },
      async (request, reply) => {
        const expectedVersion = parseIfMatch(request.headers['if-match']);
        const transitionRequest = route.toRequest(
          request.body as Record<string, string> | undefined,
        );
        const result = await modifyOrder(
          context,
          request.params.id,
          (order) => stepTo(context, order, transitionRequest),
          expectedVersion === undefined ? {} : { expectedVersion },
        );
        return sendOrder(reply, result);
      },
    );

  command({
    path: 'cancel',
    operationId: 'cancelOrder',
    summary: 'Cancel an order (releases stock; refunds if paid)',
    description:
      'Allowed while the order is PENDING, AWAITING_PAYMENT, PAID or FULFILLING. The stock is released ' +
      'and a paid order refunded.',
    body: CancelBodySchema,
    toRequest: (body) => ({
      to: OrderStatus.Cancelled,
      reason: body?.reason ?? null,
      actor: 'api',
    }),
  });
  command({
    path: 'fulfilment',
    operationId: 'startFulfilment',
    summary: 'Start fulfilment of a paid order',
    description: 'PAID → FULFILLING: the warehouse has started picking the order.',
    toRequest: () => ({ to: OrderStatus.Fulfilling, actor: 'api' }),
  });
  command({
    path: 'shipment',
    operationId: 'recordShipment',
    summary: 'Record the shipment of an order',
    description: 'FULFILLING → SHIPPED, with the carrier and its tracking number.',
    body: ShipmentBodySchema,
    toRequest: (body) => ({
      to: OrderStatus.Shipped,
      actor: 'api',
      shipment: { carrier: body?.carrier ?? '', trackingNumber: body?.trackingNumber ?? '' },
    }),
  });
  command({
    path: 'delivery',
    operationId: 'recordDelivery',
    summary: 'Record the delivery of an order',
    description: 'SHIPPED → DELIVERED.',
    toRequest: () => ({ to: OrderStatus.Delivered, actor: 'api' }),
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

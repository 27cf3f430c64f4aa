import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createOrderClient, type OrderClient } from '@mallhive/order-client';
import { Type } from 'typebox';
import { ClientCredentials, type ClientCredentialsSettings } from './client-credentials.ts';

export interface WarehouseOptions {
  /** The order service's base URL. */
  readonly orderServiceUrl: string;
  /** The warehouse's OAuth client; without it the warehouse cannot act. */
  readonly credentials: ClientCredentialsSettings | undefined;
}

/** One step of the warehouse's work, as a call of the order service's generated client. */
type Step = (
  orders: OrderClient,
  id: string,
  signal: AbortSignal,
) => Promise<{ response: Response; data?: unknown; error?: unknown }>;

const STEPS: readonly { step: string; call: Step }[] = [
  {
    step: 'fulfilment',
    call: (orders, id, signal) =>
      orders.POST('/api/v1/orders/{id}/fulfilment', { params: { path: { id } }, signal }),
  },
  {
    step: 'shipment',
    call: (orders, id, signal) =>
      orders.POST('/api/v1/orders/{id}/shipment', {
        params: { path: { id } },
        body: { carrier: 'SIM', trackingNumber: 'SIM-0001' },
        signal,
      }),
  },
  {
    step: 'delivery',
    call: (orders, id, signal) =>
      orders.POST('/api/v1/orders/{id}/delivery', { params: { path: { id } }, signal }),
  },
];

/**
 * A warehouse and its carrier, the order service's caller for fulfilment: asked to dispatch a paid order,
 * it starts fulfilment, ships and delivers it through the order service's generated client with a
 * client-credentials token (scope `orders/fulfil`), as the real warehouse service would.
 */
export const warehouseRoutes: FastifyPluginAsyncTypebox<WarehouseOptions> = async (
  app,
  { orderServiceUrl, credentials },
) => {
  const tokens = credentials ? new ClientCredentials(credentials) : undefined;
  const orders = tokens
    ? createOrderClient({ baseUrl: orderServiceUrl, accessToken: () => tokens.token() })
    : undefined;

  app.post(
    '/admin/warehouse/dispatch/:orderId',
    { schema: { params: Type.Object({ orderId: Type.String({ minLength: 1 }) }) } },
    async (request, reply) => {
      if (!orders) {
        return reply.code(503).send({
          code: 'warehouse_not_configured',
          message:
            'Set WAREHOUSE_TOKEN_URL (and WAREHOUSE_CLIENT_ID/SECRET) to let the warehouse act.',
        });
      }
      const steps: { step: string; status: number; order?: unknown }[] = [];
      for (const { step, call } of STEPS) {
        const { response, data, error } = await call(
          orders,
          request.params.orderId,
          AbortSignal.timeout(5_000),
        );
        steps.push({ step, status: response.status, order: data ?? error });
        if (!response.ok) return reply.code(502).send({ code: 'order_service_refused', steps });
      }
      return { steps };
    },
  );
};

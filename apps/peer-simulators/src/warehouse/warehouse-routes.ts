import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ClientCredentials, type ClientCredentialsSettings } from './client-credentials.ts';

export interface WarehouseOptions {
  /** The order service's base URL. */
  readonly orderServiceUrl: string;
  /** The warehouse's OAuth client; without it the warehouse cannot act. */
  readonly credentials: ClientCredentialsSettings | undefined;
}

const STEPS = [
  { step: 'fulfilment', body: undefined },
  { step: 'shipment', body: { carrier: 'SIM', trackingNumber: 'SIM-0001' } },
  { step: 'delivery', body: undefined },
] as const;

/**
 * A warehouse and its carrier, the order service's caller for fulfilment: asked to dispatch a paid order,
 * it starts fulfilment, ships and delivers it through the order API with a client-credentials token
 * (scope `orders/fulfil`), as the real warehouse service would.
 */
export const warehouseRoutes: FastifyPluginAsyncTypebox<WarehouseOptions> = async (
  app,
  { orderServiceUrl, credentials },
) => {
  const tokens = credentials ? new ClientCredentials(credentials) : undefined;

  app.post(
    '/admin/warehouse/dispatch/:orderId',
    { schema: { params: Type.Object({ orderId: Type.String({ minLength: 1 }) }) } },
    async (request, reply) => {
      if (!tokens) {
        return reply.code(503).send({
          code: 'warehouse_not_configured',
          message:
            'Set WAREHOUSE_TOKEN_URL (and WAREHOUSE_CLIENT_ID/SECRET) to let the warehouse act.',
        });
      }
      const authorization = `Bearer ${await tokens.token()}`;
      const steps: { step: string; status: number; order?: unknown }[] = [];
      for (const { step, body } of STEPS) {
        const response = await fetch(
          `${orderServiceUrl}/api/v1/orders/${encodeURIComponent(request.params.orderId)}/${step}`,
          {
            method: 'POST',
            headers: {
              authorization,
              ...(body ? { 'content-type': 'application/json' } : {}),
            },
            ...(body ? { body: JSON.stringify(body) } : {}),
            signal: AbortSignal.timeout(5_000),
          },
        );
        steps.push({ step, status: response.status, order: await response.json() });
        if (!response.ok) return reply.code(502).send({ code: 'order_service_refused', steps });
      }
      return { steps };
    },
  );
};

import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { routePaths } from '@mallhive/order-contracts';

/** The OpenAPI document is generated from the same schemas that validate requests, so it cannot drift. */
export const openapi = fp(async (app: FastifyInstance) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Mallhive order service',
        version: '1.0.0',
        description:
          'Places orders, tracks them through payment and fulfilment, and serves order history.',
      },
      tags: [{ name: 'orders' }, { name: 'payments' }, { name: 'operations' }],
    },
  });
  await app.register(swaggerUi, { routePrefix: routePaths.docs });
  app.get(routePaths.openapi, { schema: { hide: true } }, async () => app.swagger());
});

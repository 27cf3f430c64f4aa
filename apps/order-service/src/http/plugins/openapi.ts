import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ORDER_SERVICE_PORT, routePaths, scopeDescriptions } from '@mallhive/order-contracts';
import { BEARER_SCHEME, CLIENT_CREDENTIALS_SCHEME } from '../security.ts';

/**
 * The OpenAPI document is generated from the same schemas that validate requests, so it cannot drift.
 * Its committed copy (docs/contracts/order-service.openapi.json) is what libs/order-client is generated from.
 * Each operation names its scopes (http/security.ts); Swagger UI's Authorize button takes a bearer token,
 * or client credentials for the identity provider's token endpoint (`tokenUrl`).
 */
export const openapi = fp<{ tokenUrl: string }>(async (app: FastifyInstance, { tokenUrl }) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Mallhive order service',
        version: '1.0.0',
        description:
          'Places orders, tracks them through payment and fulfilment, and serves order history. ' +
          'Every error is `application/problem+json` with a stable `code`; each operation lists the codes ' +
          'it may answer under the status they come with.',
        license: { name: 'Proprietary', identifier: 'LicenseRef-Mallhive-Proprietary' },
      },
      servers: [
        {
          url: `http://127.0.0.1:${ORDER_SERVICE_PORT}`,
          description: 'Local development (`npm start`)',
        },
        {
          url: 'https://order.internal.mallhive.com',
          description: 'Inside the Mallhive network (internal load balancer)',
        },
      ],
      tags: [
        {
          name: 'orders',
          description:
            'Place orders, read them, list a user’s orders, and move them through fulfilment.',
        },
        {
          name: 'payments',
          description: 'Signed outcomes the payment service reports back.',
        },
      ],
      components: {
        securitySchemes: {
          [BEARER_SCHEME]: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description: 'An OAuth 2.0 access token (JWT) from the identity provider',
          },
          [CLIENT_CREDENTIALS_SCHEME]: {
            type: 'oauth2',
            description: 'Services obtain tokens with the client-credentials grant',
            flows: { clientCredentials: { tokenUrl, scopes: { ...scopeDescriptions } } },
          },
        },
      },
    },
    // Components keep their schema's `$id` (`Order`, not `def-0`): generated clients name types after them.
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`),
    },
  });
  await app.register(swaggerUi, { routePrefix: routePaths.docs });
  app.get(routePaths.openapi, { schema: { hide: true } }, async () => app.swagger());
});

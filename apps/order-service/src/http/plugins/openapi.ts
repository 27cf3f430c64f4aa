import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { routePaths } from '@mallhive/order-contracts';
import { scopeDescriptions } from '@mallhive/order-contracts';
import { BEARER_SCHEME, CLIENT_CREDENTIALS_SCHEME } from '../security.ts';

/**
 * The OpenAPI document is generated from the same schemas that validate requests, so it cannot drift.
 * Each operation names its scopes (http/security.ts); Swagger UI's Authorize button takes a bearer token,
 * or client credentials for the identity provider's token endpoint.
 */
export const openapi = fp<{ tokenUrl: string }>(async (app: FastifyInstance, { tokenUrl }) => {
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
  });
  await app.register(swaggerUi, { routePrefix: routePaths.docs });
  app.get(routePaths.openapi, { schema: { hide: true } }, async () => app.swagger());
});

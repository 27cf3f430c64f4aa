import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * `X-Content-Type-Options: nosniff` on every response, so no browser ever runs a JSON or problem document
 * as a script or page. A hook rather than @fastify/helmet: helmet's other defaults (CSP, COOP, CORP,
 * Origin-Agent-Cluster, …) are for HTML documents — this API serves JSON, and they would need relaxing for
 * Swagger UI — so configuring it down to this one header would be more code than the header itself.
 */
export const securityHeaders = fp(async (app: FastifyInstance) => {
  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
  });
});

import Fastify from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { routePaths } from '@mallhive/order-contracts';

/**
 * `/metrics` on a port of its own: the Service exposes it to the Prometheus scraper, the Ingress does not
 * route it, so the internals it reveals (routes, volumes, pool usage) stay off the API's address.
 */
export async function buildMetricsApp(options: { registry: Registry; logger: Logger }) {
  const app = Fastify({ loggerInstance: options.logger.child({ component: 'metrics' }) });
  app.get(routePaths.metrics, { logLevel: 'warn' }, async (_request, reply) =>
    reply.type(options.registry.contentType).send(await options.registry.metrics()),
  );
  return app;
}

export type MetricsApp = Awaited<ReturnType<typeof buildMetricsApp>>;

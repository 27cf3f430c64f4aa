import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ServiceMetrics } from '../../observability/metrics.ts';

/** Duration of every request by route template (not raw URL, which would explode the label set). */
export const requestMetrics = fp(
  async (app: FastifyInstance, options: { metrics: ServiceMetrics }) => {
    app.addHook('onResponse', async (request, reply) => {
      options.metrics.httpRequestDuration.observe(
        {
          method: request.method,
          route: request.routeOptions.url ?? 'unmatched',
          status_code: String(reply.statusCode),
        },
        reply.elapsedTime / 1000,
      );
    });
  },
);

import type { FastifyPluginAsync } from 'fastify';
import { sendProblem } from '../plugins/problem-details.ts';
import { problem } from '../problem.ts';
import { routePaths } from '@mallhive/order-contracts';

export interface Readiness {
  /** Resolves when the service can take traffic; rejects (or returns a reason) when it cannot. */
  check(): Promise<
    { ready: true; details: Record<string, unknown> } | { ready: false; reason: string }
  >;
}

/** Probes for Kubernetes, open to all; hidden from the API documentation. (Metrics: metrics-app.ts.) */
export const operationsRoutes: FastifyPluginAsync<{ readiness: Readiness }> = async (
  app,
  { readiness },
) => {
  const hide = { schema: { hide: true }, logLevel: 'warn' as const };

  app.get(routePaths.health, hide, async () => ({ status: 'ok' }));

  app.get(routePaths.readiness, hide, async (request, reply) => {
    const result = await readiness.check().catch((error: unknown) => {
      // The driver's message names hosts and users: the log gets it, the (unauthenticated) probe does not.
      request.log.warn({ err: error }, 'readiness check failed');
      return { ready: false as const, reason: 'database unreachable' };
    });
    if (!result.ready) return sendProblem(reply, problem('not_ready', result.reason));
    return { status: 'ready', ...result.details };
  });
};

import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import type { FaultPlan, PeerName } from './fault-plan.ts';

/** How long a `timeout` fault holds a request when the caller never gives up. */
const MAX_HANG_MS = 60_000;

/** Applies the fault plan to every route of one peer (call inside that peer's plugin). */
export function injectFaults(app: FastifyInstance, peer: PeerName, plan: FaultPlan): void {
  app.addHook('onRequest', async (request, reply) => {
    const fault = plan.take(peer, request.headers);
    if (!fault) return;
    if (fault.latencyMs) await sleep(fault.latencyMs);
    if (fault.status === undefined) return;
    if (fault.status === 'timeout') {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, MAX_HANG_MS);
        request.raw.socket.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      return reply.code(504).send({ code: 'simulated_timeout', message: 'Simulated timeout.' });
    }
    if (fault.retryAfterSeconds !== undefined) {
      void reply.header('retry-after', String(fault.retryAfterSeconds));
    }
    return reply.code(fault.status).send({
      code: 'simulated_fault',
      error: 'simulated_fault',
      message: `Simulated ${fault.status} from the ${peer} simulator.`,
    });
  });
}

import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /** Resolves when no route handler is running. */
    handlersIdle(): Promise<void>;
  }
}

/**
 * Counts running route handlers. `close()` waits for open requests, but not for a handler whose client
 * hung up mid-way — it keeps running and still needs its database connections, so shutdown waits for it
 * here before the pools close.
 */
export const inFlight = fp(async (app: FastifyInstance) => {
  let running = 0;
  let idle: (() => void)[] = [];

  app.addHook('onRoute', (route) => {
    const handler = route.handler;
    route.handler = async function counted(this: FastifyInstance, request, reply) {
      running++;
      try {
        return await handler.call(this, request, reply);
      } finally {
        if (--running === 0) {
          for (const resolve of idle) resolve();
          idle = [];
        }
      }
    };
  });

  app.decorate('handlersIdle', () =>
    running === 0 ? Promise.resolve() : new Promise<void>((resolve) => idle.push(resolve)),
  );
});

import { randomUUID } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { OrderContext } from '../application/context.ts';
import type { CursorCodec } from './cursor.ts';
import { closeStalledConnections } from './plugins/close-stalled-connections.ts';
import { inFlight } from './plugins/in-flight.ts';
import { openapi } from './plugins/openapi.ts';
import { problemDetails } from './plugins/problem-details.ts';
import { requestMetrics } from './plugins/request-metrics.ts';
import { validation } from './plugins/validation.ts';
import { routePaths } from '@mallhive/order-contracts';
import type { Readiness } from './routes/operations.ts';
import { operationsRoutes } from './routes/operations.ts';
import { orderRoutes } from './routes/orders.ts';
import { paymentCallbackRoutes } from './routes/payment-callback.ts';
import { userOrderRoutes } from './routes/user-orders.ts';

export interface HttpAppOptions {
  readonly context: OrderContext;
  readonly logger: Logger;
  readonly registry: Registry;
  readonly readiness: Readiness;
  readonly cursors: CursorCodec;
  readonly callbackSecrets: () => readonly string[];
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

export type HttpApp = Awaited<ReturnType<typeof buildHttpApp>>;

/** The whole HTTP surface as one Fastify instance; it does not listen, so tests use `inject()`. */
export async function buildHttpApp(options: HttpAppOptions) {
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: 1024 * 1024,
    // Take the caller's request id when it is sane, so one id follows a request across services.
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    return503OnClosing: true,
  }).withTypeProvider<TypeBoxTypeProvider>();

  // JSON only: anything else is a 415, not a string that fails validation.
  app.removeContentTypeParser('text/plain');

  // Once shutdown begins, answer in-flight requests with `Connection: close`: a keep-alive client would
  // otherwise hold its idle connection open and the server could not finish closing before the deadline.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  await app.register(inFlight);
  await app.register(closeStalledConnections);
  await app.register(validation);
  await app.register(problemDetails);
  await app.register(requestMetrics, { metrics: options.context.metrics });
  await app.register(openapi);
  await app.register(operationsRoutes, {
    registry: options.registry,
    readiness: options.readiness,
  });
  await app.register(
    async (api) => {
      await api.register(orderRoutes, { context: options.context });
      await api.register(userOrderRoutes, { context: options.context, cursors: options.cursors });
      await api.register(paymentCallbackRoutes, {
        context: options.context,
        callbackSecrets: options.callbackSecrets,
      });
    },
    { prefix: routePaths.apiPrefix },
  );
  return app;
}

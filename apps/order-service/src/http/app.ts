import { randomUUID } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify from 'fastify';
import type { FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { OrderContext } from '../application/context.ts';
import type { HttpSettings } from '../config/http-settings.ts';
import { answerClientError } from './client-errors.ts';
import type { CursorCodec } from './cursor.ts';
import { closeStalledConnections } from './plugins/close-stalled-connections.ts';
import { inputLimits } from './input-limits.ts';
import { strictJsonParser } from './json-body.ts';
import type { TokenVerifier } from '../adapters/identity/token-verifier.ts';
import { authentication } from './plugins/authentication.ts';
import { inFlight } from './plugins/in-flight.ts';
import { sharedSchemas } from './schemas.ts';
import { problemDetails } from './plugins/problem-details.ts';
import type { RateLimits } from './plugins/rate-limits.ts';
import { rateLimits } from './plugins/rate-limits.ts';
import { requestMetrics } from './plugins/request-metrics.ts';
import { securityHeaders } from './plugins/security-headers.ts';
import { validation } from './plugins/validation.ts';
import { routePaths } from '@mallhive/order-contracts';
import type { Readiness } from './routes/operations.ts';
import { operationsRoutes } from './routes/operations.ts';
import { orderRoutes } from './routes/orders.ts';
import { paymentCallbackRoutes } from './routes/payment-callback.ts';
import { userOrderRoutes } from './routes/user-orders.ts';

export interface HttpAppOptions {
  readonly context: OrderContext;
  readonly verifier: TokenVerifier;
  readonly rateLimits: RateLimits;
  /** The identity provider's token endpoint, for the OpenAPI document's client-credentials flow. */
  readonly tokenUrl: string;
  readonly logger: Logger;
  readonly readiness: Readiness;
  readonly cursors: CursorCodec;
  readonly callbackSecrets: () => readonly string[];
  readonly http: HttpSettings;
}

/** How often Node looks for requests past their headers or request timeout (its default is 30 s). */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

const REQUEST_ID = /^[\w.:-]{1,128}$/;

export type HttpApp = Awaited<ReturnType<typeof buildHttpApp>>;

/** The whole HTTP surface as one Fastify instance; it does not listen, so tests use `inject()`. */
export async function buildHttpApp(options: HttpAppOptions) {
  const { http } = options;
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: inputLimits.bodyBytes,
    // Slow clients are cut off (Fastify's default `requestTimeout: 0` would let a stalled body hold its
    // socket for ever): values and reasons in config/http-settings.ts and docs/security.md.
    requestTimeout: http.requestTimeoutMs,
    keepAliveTimeout: http.keepAliveTimeoutMs,
    http: {
      maxHeaderSize: inputLimits.headerBytes,
      headersTimeout: http.headersTimeoutMs,
      connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
    },
    // Take the caller's request id when it is sane, so one id follows a request across services.
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    return503OnClosing: true,
    clientErrorHandler: answerClientError,
  }).withTypeProvider<TypeBoxTypeProvider>();

  // JSON only, in strict UTF-8 and bounded in depth and size: anything else is a 415 or a 400.
  app.removeContentTypeParser(['text/plain', 'application/json']);
  const parseJson = strictJsonParser(app);
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer' },
    (request: FastifyRequest, body: Buffer) => parseJson(request, body),
  );

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
  await app.register(securityHeaders);
  await app.register(validation);
  await app.register(problemDetails);
  await app.register(requestMetrics, { metrics: options.context.metrics });
  // Schemas the routes refer to by `$ref` (the OpenAPI document's components), with or without the docs.
  for (const schema of sharedSchemas) app.addSchema(schema);
  if (http.apiDocs) {
    // Swagger and its UI are loaded only when the docs are served (never in production).
    const { openapi } = await import('./plugins/openapi.ts');
    await app.register(openapi, { tokenUrl: options.tokenUrl });
  }
  await app.register(operationsRoutes, { readiness: options.readiness });
  await app.register(
    async (api) => {
      // Orders carry names, addresses and e-mails: no cache on the way may keep a copy.
      api.addHook('onSend', async (_request, reply) => {
        reply.header('cache-control', 'no-store');
      });
      // Signed by the payment service (HMAC over the body), not by a caller's token.
      await api.register(paymentCallbackRoutes, {
        context: options.context,
        callbackSecrets: options.callbackSecrets,
      });
      // Everything else needs a bearer token; a route added here is protected by default.
      await api.register(async (authenticated) => {
        await authenticated.register(authentication, { verifier: options.verifier });
        await authenticated.register(rateLimits, { limits: options.rateLimits });
        await authenticated.register(orderRoutes, { context: options.context });
        await authenticated.register(userOrderRoutes, {
          context: options.context,
          cursors: options.cursors,
        });
      });
    },
    { prefix: routePaths.apiPrefix },
  );
  return app;
}

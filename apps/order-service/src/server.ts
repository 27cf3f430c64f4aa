import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { readDatabaseSecret } from './adapters/aws/database-secret.ts';
import { loadRotatingSecret } from './adapters/aws/rotating-secret.ts';
import { createSecretsManagerReader, resolveSecret } from './adapters/aws/secrets.ts';
import type { SecretReader } from './adapters/aws/secrets.ts';
import { createEventPublisher } from './adapters/events/create-event-publisher.ts';
import { connectDatabase } from './adapters/postgres/connect.ts';
import type { Queryable } from './adapters/postgres/database.ts';
import { SimulatedInventory } from './adapters/simulated/simulated-inventory.ts';
import { SimulatedPayments } from './adapters/simulated/simulated-payments.ts';
import type { CallbackDelivery } from './adapters/simulated/simulated-payments.ts';
import {
  RecordingAnalytics,
  RecordingNotifications,
} from './adapters/simulated/simulated-recorders.ts';
import type { OrderContext } from './application/context.ts';
import type { EventPublisher, Peers } from './application/ports.ts';
import type { Config } from './config/config.ts';
import { DEVELOPMENT_KEYS } from './config/secrets.ts';
import { assertStrongSecret } from './config/secret-strength.ts';
import { applyPaymentOutcome } from './application/payment-results.ts';
import { SIGNATURE_HEADER } from '@mallhive/order-contracts';
import { BackgroundRetries } from './application/background-retries.ts';
import { buildHttpApp } from './http/app.ts';
import type { HttpApp } from './http/app.ts';
import { startDevelopmentIssuer } from './adapters/identity/development-issuer.ts';
import type { TokenVerifier } from './adapters/identity/token-verifier.ts';
import { createTokenVerifier } from './adapters/identity/token-verifier.ts';
import { buildMetricsApp } from './http/metrics-app.ts';
import type { MetricsApp } from './http/metrics-app.ts';
import { CursorCodec } from './http/cursor.ts';
import { outboxHealth } from './adapters/postgres/outbox-repository.ts';
import { createLogger } from './observability/logger.ts';
import { createMetrics } from './observability/metrics.ts';
import { OutboxDispatcher } from './outbox/dispatcher.ts';
import { createFollowUpHandlers } from './outbox/follow-up-handlers.ts';
import { countOverduePayments } from './adapters/postgres/payment-checks.ts';
import { PaymentSweeper } from './reconciliation/payment-sweeper.ts';
import { RetentionPurger } from './retention/retention-purger.ts';

/** The in-process peers, exposed so tests and the dev console can look at what they were asked to do. */
interface SimulatedPeers extends Peers {
  readonly inventory: SimulatedInventory;
  readonly payments: SimulatedPayments;
  readonly notifications: RecordingNotifications;
  readonly analytics: RecordingAnalytics;
}

/** Replaceable parts, for tests (a failing publisher, a fixed clock) and benchmarks. */
export interface ServerOverrides {
  readonly logger?: Logger;
  readonly publisher?: EventPublisher;
  readonly clock?: () => Date;
  /** Replaces single peers, e.g. a product side that is down. */
  readonly peers?: Partial<Peers>;
  /** Replaces the token verifier (only the benchmark's control arm does: bench/support). */
  readonly verifier?: TokenVerifier;
}

/** The running service: its HTTP app and workers, for main.ts, tests and benchmarks. */
export interface OrderServer {
  readonly app: HttpApp;
  /** `/metrics` alone, on METRICS_PORT. */
  readonly metricsApp: MetricsApp;
  readonly context: OrderContext;
  readonly dispatcher: OutboxDispatcher;
  readonly sweeper: PaymentSweeper;
  /** Deletes expired idempotency records and processed message ids (retention/retention-purger.ts). */
  readonly purger: RetentionPurger;
  /** The in-process peers, set only when the configuration simulates them. */
  readonly simulated: SimulatedPeers | undefined;
  /** Where the data lives, for the start-up banner. */
  readonly databaseDescription: string;
  /** Listens and starts the outbox dispatcher, payment sweeper and retention purge; returns the address. */
  start(): Promise<string>;
  /**
   * Graceful shutdown: readiness fails at once, in-flight requests finish, workers finish their batch,
   * then connections close. The caller bounds it with a deadline (close-with-grace in main.ts).
   */
  stop(): Promise<void>;
}

/**
 * The composition root: builds every part the configuration asks for and wires them together.
 * `start()` listens and starts the background workers; `stop()` is the graceful shutdown.
 * Adapters that only some configurations use (Kafka, the HTTP peers, the AWS SDK, PGlite, the migration
 * runner, Swagger) are imported when the configuration asks for them: every module loaded costs start-up
 * time, and most of it was spent loading (docs/performance.md, "Start-up").
 */
export async function createServer(
  config: Config,
  overrides: ServerOverrides = {},
): Promise<OrderServer> {
  const logger = overrides.logger ?? createLogger({ level: config.logLevel });
  // Credentials through the SDK's default chain: IRSA's web identity token on EKS, never access keys.
  const secrets = createSecretsManagerReader(config.aws);
  const connection = await connectDatabase(config, logger, (secretId) => {
    // Called again after a rotation: the cached value is the stale one.
    secrets.invalidate(secretId);
    return readDatabaseSecret(secrets, secretId);
  });
  await connection.migrate();
  const { db } = connection;
  const presence = await connection.startPresence();
  const background = new BackgroundRetries(logger.child({ component: 'background' }));

  const registry = new Registry();
  const clock = overrides.clock ?? (() => new Date());
  const publisher =
    overrides.publisher ??
    (await createEventPublisher(config.events, {
      logger: logger.child({ component: 'events' }),
      aws: config.aws,
      secrets,
    }));
  const callbackKey = await loadRotatingSecret(config.paymentCallbackSecret, secrets, {
    onRefreshError: (error) =>
      logger.warn({ err: error }, 'could not refresh the payment callback key'),
  });
  assertStrongSecret(
    config.mode,
    'PAYMENT_CALLBACK_SECRET_ID',
    config.paymentCallbackSecret,
    callbackKey.current(),
    DEVELOPMENT_KEYS,
  );
  const cursors = new CursorCodec(
    assertStrongSecret(
      config.mode,
      'CURSOR_SECRET_ID',
      config.cursorSecret,
      await resolveSecret(config.cursorSecret, secrets),
      DEVELOPMENT_KEYS,
    ),
  );
  const identity = await createIdentity(config, logger);

  const created = await createPeers(config, {
    db,
    logger,
    registry,
    secrets,
    callbackKey: callbackKey.current,
    // Called only once payments flow, after the app and its callback sender below exist.
    deliver: (url, rawBody, signature) => sendCallback(url, rawBody, signature),
  });
  const peers: Peers = { ...created.peers, ...overrides.peers };

  const metrics = createMetrics(registry, {
    db,
    ordersAwaitingPaymentOverdue: () =>
      countOverduePayments(
        db,
        new Date(clock().getTime() - config.reconciliation.paymentTimeoutMs),
      ),
  });
  const context: OrderContext = {
    db,
    peers,
    metrics,
    logger,
    clock,
    newId: randomUUID,
    // Called only once requests flow, after the dispatcher below exists.
    outboxWritten: () => dispatcher.wake(),
    presence,
    retryInBackground: (what, task) => background.run(what, task),
  };
  const dispatcher = new OutboxDispatcher(
    {
      db,
      publisher,
      handlers: createFollowUpHandlers(context, { publicBaseUrl: config.publicBaseUrl }),
      metrics,
      logger: logger.child({ component: 'outbox' }),
    },
    config.outbox,
  );
  const sweeper = new PaymentSweeper(context, config.reconciliation);
  const purger = new RetentionPurger(
    {
      db,
      clock,
      logger: logger.child({ component: 'retention' }),
      metrics,
    },
    config.retention,
  );

  let shuttingDown = false;
  let paymentResults: { stop(): Promise<void> } | undefined;
  const app = await buildHttpApp({
    context,
    logger,
    cursors,
    verifier: overrides.verifier ?? identity.verifier,
    tokenUrl: identity.tokenUrl,
    rateLimits: config.rateLimits,
    callbackSecrets: () => callbackKey.accepted(),
    http: config.http,
    readiness: {
      async check() {
        if (shuttingDown) return { ready: false, reason: 'shutting down' };
        // Honest but not fatal: a backlog (say, a broker outage) must not take the service out of rotation.
        const outbox = await outboxHealth(db);
        return { ready: true, details: { migrations: 'applied', outbox } };
      },
    },
  });
  const sendCallback = injectingCallbackSender(app, () => shuttingDown);

  const metricsApp = await buildMetricsApp({ registry, logger });

  return {
    app,
    metricsApp,
    context,
    dispatcher,
    sweeper,
    purger,
    simulated: created.simulated,
    databaseDescription: connection.description,

    async start(): Promise<string> {
      const address = await app.listen({ port: config.port, host: config.host });
      await metricsApp.listen({ port: config.metricsPort, host: config.host });
      dispatcher.start();
      sweeper.start();
      purger.start();
      if (config.paymentResults.source === 'kafka' && config.events.bus === 'kafka') {
        const [{ createKafka }, { startKafkaPaymentResults }] = await Promise.all([
          import('./adapters/events/kafka-client-config.ts'),
          import('./adapters/events/kafka-payment-results.ts'),
        ]);
        paymentResults = await startKafkaPaymentResults({
          kafka: await createKafka(config.events, { logger, aws: config.aws, secrets }),
          topic: config.paymentResults.topic,
          groupId: config.paymentResults.groupId,
          logger: logger.child({ component: 'payment-results' }),
          apply: (outcome, { messageId }) => applyPaymentOutcome(context, outcome, { messageId }),
        });
      }
      return address;
    },

    async stop(): Promise<void> {
      shuttingDown = true;
      await Promise.all([app.close(), metricsApp.close()]);
      await Promise.all([
        app.handlersIdle(),
        dispatcher.stop(),
        sweeper.stop(),
        purger.stop(),
        paymentResults?.stop(),
      ]);
      await background.stop();
      await created.close();
      await identity.close();
      callbackKey.stop();
      await publisher.close?.();
      await connection.close();
      secrets.close();
    },
  };
}

/**
 * In-process simulation: the payment simulator calls back through the real, signature-checking route,
 * injected into the app (the callback URL's path; its host is this very service).
 */
function injectingCallbackSender(app: HttpApp, closing: () => boolean): CallbackDelivery {
  return async (url, rawBody, signature) => {
    // A closing app takes no callbacks (in-process simulation only; it is not retried).
    if (closing()) return;
    const response = await app.inject({
      method: 'POST',
      url: new URL(url).pathname,
      payload: rawBody,
      headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature },
    });
    if (response.statusCode >= 300)
      throw new Error(
        `simulated payment callback answered ${response.statusCode}: ${response.body}`,
      );
  };
}

/**
 * The token verifier for the configured issuer, or for the embedded development issuer (started here,
 * its JWKS fetched over HTTP like any provider's).
 */
async function createIdentity(config: Config, logger: Logger) {
  const log = logger.child({ component: 'identity' });
  const onStaleKeys = (error: unknown) =>
    log.warn({ err: error }, 'identity provider unreachable; verifying with cached keys');
  if (config.identity.kind === 'issuer') {
    const { issuer, jwksUrl, audience, allowedClientIds, tokenUrl } = config.identity;
    return {
      verifier: createTokenVerifier({ issuer, jwksUrl, audience, allowedClientIds, onStaleKeys }),
      tokenUrl,
      close: async () => undefined,
    };
  }
  const { keyDir, port, audience, allowedClientIds, tokenUrl } = config.identity;
  const development = await startDevelopmentIssuer(keyDir, port);
  log.info(
    { issuer: development.issuer, jwks: development.jwksUrl, tokenUrl: development.tokenUrl },
    'development issuer: mint tokens with `npx nx run order-service:token`',
  );
  return {
    verifier: createTokenVerifier({
      issuer: development.issuer,
      jwksUrl: development.jwksUrl,
      audience,
      allowedClientIds,
      onStaleKeys,
    }),
    tokenUrl: tokenUrl ?? development.tokenUrl,
    close: () => development.close(),
  };
}

/** The four peers: simulated in process (and returned as such, for tests), or the real services over HTTP. */
async function createPeers(
  config: Config,
  deps: {
    db: Queryable;
    logger: Logger;
    registry: Registry;
    secrets: SecretReader;
    callbackKey: () => string;
    deliver: CallbackDelivery;
  },
): Promise<{ peers: Peers; simulated: SimulatedPeers | undefined; close(): Promise<void> }> {
  if (config.peers.kind === 'http') {
    const { createHttpPeers } = await import('./adapters/http/http-peers.ts');
    const analyticsApiKey = assertStrongSecret(
      config.mode,
      'ANALYTICS_SECRET_ID',
      config.peers.analyticsApiKey,
      await resolveSecret(config.peers.analyticsApiKey, deps.secrets),
      DEVELOPMENT_KEYS,
    );
    const { close, ...peers } = createHttpPeers(config.peers, {
      registry: deps.registry,
      logger: deps.logger.child({ component: 'peers' }),
      analyticsApiKey,
    });
    return { peers, simulated: undefined, close };
  }
  const { latencyMs, paymentCallbackDelayMs } = config.peers;
  const payments = new SimulatedPayments({
    db: deps.db,
    secret: deps.callbackKey,
    deliver: deps.deliver,
    callbackDelayMs: paymentCallbackDelayMs,
    latencyMs,
    onDeliveryError: (error) =>
      deps.logger.warn({ err: error }, 'simulated payment callback was not accepted'),
  });
  const simulated: SimulatedPeers = {
    inventory: new SimulatedInventory({ latencyMs }),
    payments,
    notifications: new RecordingNotifications(),
    analytics: new RecordingAnalytics(),
  };
  return { peers: simulated, simulated, close: async () => payments.close() };
}

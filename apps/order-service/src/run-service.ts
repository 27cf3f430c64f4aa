/**
 * The process: configuration, start-up banner, graceful shutdown. Everything else is in server.ts.
 * Started by main.ts, once the compile cache is on.
 */
import closeWithGrace from 'close-with-grace';
import { ConfigError, loadConfig } from './config/config.ts';
import { routePaths } from '@mallhive/order-contracts';
import { processTracing } from './observability/process-tracing.ts';
import { createServer } from './server.ts';
import type { OrderServer } from './server.ts';

let config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`order-service cannot start. ${error.message}\n`);
  process.exit(1);
}

let server: OrderServer;
let address: string;
try {
  server = await createServer(config);
  address = await server.start();
} catch (error) {
  // A missing secret, an unreachable database, a port in use: say what, in one line, and stop.
  process.stderr.write(
    `order-service cannot start. ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
}
const log = server.context.logger;

closeWithGrace({ delay: config.shutdownTimeoutMs, logger: log }, async ({ signal, err }) => {
  if (err) log.error({ err }, 'shutting down after an unexpected error');
  else log.info({ signal }, 'shutting down gracefully');
  await server.stop();
  // The spans of the last requests and outbox work, still in the export buffer.
  await processTracing.shutdown();
});

const base = address.replace('0.0.0.0', '127.0.0.1').replace('[::]', '[::1]');
const docs = config.http.apiDocs ? `${base}${routePaths.docs}` : undefined;
log.info(
  {
    api: `${base}${routePaths.apiPrefix}`,
    docs: docs ?? 'off (API_DOCS_ENABLED)',
    database: server.databaseDescription,
    peers: config.peers.kind,
    events: config.events.bus,
    tracing: processTracing.active()
      ? `${config.tracing.endpoint} (${config.tracing.sampler} ${config.tracing.ratio})`
      : 'off',
  },
  `order-service ready: API ${base}${routePaths.apiPrefix}${docs ? `, docs ${docs}` : ''}`,
);

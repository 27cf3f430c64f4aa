/**
 * The service as the creation benchmark runs it (listening only: no outbox dispatcher, no sweeper), in a
 * process of its own, so that it can run with tracing on (`--import src/instrument.ts` and OTEL_* variables)
 * or off, and so that several can run side by side as replicas. Forked through service-child.ts; tells its
 * parent where it listens.
 */
import { loadConfig } from '../../src/config/config.ts';
import { processTracing } from '../../src/observability/process-tracing.ts';
import { createServer } from '../../src/server.ts';

// The parent passes the whole configuration (benchServiceEnv, its test issuer, OTEL_*) as the environment.
const server = await createServer(loadConfig(process.env));
const url = await server.app.listen({ port: 0, host: '127.0.0.1' });
process.send?.({ url });
// CPU time is what tracing costs; unlike throughput it hardly depends on what else the machine runs.
process.on('message', (message) => {
  if (message === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send?.({ cpuMicros: user + system });
  }
});
process.once('disconnect', () => {
  void server
    .stop()
    .then(() => processTracing.shutdown())
    .finally(() => process.exit(0));
});

import { buildSimulatorApp } from './app.ts';
import { simulatorOptionsFromEnv } from './options.ts';

/** Runs the peer simulators: `npx nx serve peer-simulators` (PORT, default 4900). */
const port = Number(process.env.PORT ?? 4900);
const host = process.env.HOST ?? '127.0.0.1';
const app = buildSimulatorApp(simulatorOptionsFromEnv(process.env), {
  logger: { level: process.env.LOG_LEVEL ?? 'info' },
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}

const address = await app.listen({ port, host });
app.log.info(
  `Peer simulators on ${address}: point PRODUCT_SERVICE_URL, PAYMENT_SERVICE_URL, ` +
    `NOTIFICATION_SERVICE_URL and ANALYTICS_SERVICE_URL at it; state under ${address}/admin/...`,
);

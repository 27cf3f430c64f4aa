import { ORDER_SERVICE_METRICS_PORT, ORDER_SERVICE_PORT } from '@mallhive/order-contracts';
import { z } from 'zod';
import { configPart } from './part.ts';
import { httpUrl, integer, optionalText } from './variables.ts';

/** How the process runs: its mode, where it listens, how it logs and how long it may take to stop. */
export const service = configPart({
  variables: {
    NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
    PORT: integer(0, 65_535).default(ORDER_SERVICE_PORT),
    METRICS_PORT: integer(0, 65_535).default(ORDER_SERVICE_METRICS_PORT),
    HOST: optionalText,
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    PUBLIC_BASE_URL: httpUrl.optional(),
    SHUTDOWN_TIMEOUT_MS: integer(0, 300_000).default(10_000),
  },
  build(env, problems, { production }) {
    const host = env.HOST ?? (production ? '0.0.0.0' : '127.0.0.1');
    problems.require('PUBLIC_BASE_URL', !production || env.PUBLIC_BASE_URL);
    if (env.METRICS_PORT !== 0 && env.METRICS_PORT === env.PORT) {
      problems.add('METRICS_PORT', 'must differ from PORT (metrics are served apart from the API)');
    }
    return {
      mode: env.NODE_ENV,
      port: env.PORT,
      /** `/metrics` listens here, apart from the API. */
      metricsPort: env.METRICS_PORT,
      host,
      logLevel: env.LOG_LEVEL,
      /** Base of the payment callback URL given to the payment service. */
      publicBaseUrl: (
        env.PUBLIC_BASE_URL ?? `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${env.PORT}`
      ).replace(/\/$/, ''),
      shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    };
  },
});

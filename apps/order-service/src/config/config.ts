import { z } from 'zod';
import { DEFAULT_PORT } from '../http/route-paths.ts';
import { parseDuration } from './duration.ts';
import type { HttpSettings } from './http-settings.ts';
import { buildHttpSettings, httpEnvironment } from './http-settings.ts';
import { plaintextBearerProblem } from './peer-transport.ts';
import { secretWeakness } from './secret-strength.ts';

/**
 * All configuration, read from the environment once at start-up and validated as a whole: a bad or missing
 * setting stops start-up with one message that names every offending variable.
 *
 * Outside production, whatever is not configured falls back to a local part (embedded PostgreSQL,
 * simulated peers, events logged to stdout). Production never falls back: it must name every dependency.
 */
export type Mode = 'production' | 'development' | 'test';

/** A value given directly, or the id of an AWS Secrets Manager secret that holds it. */
export type SecretSource = { value: string } | { secretId: string };

export interface Config {
  readonly mode: Mode;
  readonly port: number;
  readonly host: string;
  readonly logLevel: string;
  readonly publicBaseUrl: string;
  readonly shutdownTimeoutMs: number;
  readonly http: HttpSettings;
  readonly database:
    | { readonly kind: 'url'; readonly url: string; readonly poolMax: number }
    | {
        readonly kind: 'secret';
        readonly secretId: string;
        readonly poolMax: number;
        /** PEM bundle that verifies the server's certificate (the AWS RDS CA bundle by default). */
        readonly caFile: string;
      }
    | { readonly kind: 'embedded'; readonly dataDir: string; readonly poolMax: number };
  readonly paymentCallbackSecret: SecretSource;
  readonly cursorSecret: SecretSource;
  readonly peers:
    | {
        readonly kind: 'simulated';
        readonly latencyMs: number;
        readonly paymentCallbackDelayMs: number;
      }
    | {
        readonly kind: 'http';
        readonly productUrl: string;
        readonly paymentUrl: string;
        readonly notificationUrl: string;
        readonly analyticsUrl: string;
        readonly analyticsApiKey: SecretSource;
        readonly timeoutMs: number;
      };
  readonly events:
    | { readonly bus: 'log' }
    | {
        readonly bus: 'kafka';
        readonly brokers: readonly string[];
        readonly topic: string;
        readonly clientId: string;
        readonly ssl: boolean;
        readonly sasl:
          | { readonly mechanism: 'none' }
          | { readonly mechanism: 'scram-sha-512'; readonly credentials: SecretSource }
          | { readonly mechanism: 'aws-msk-iam' };
      }
    | { readonly bus: 'eventbridge'; readonly busName: string };
  readonly paymentResults:
    | { readonly source: 'callback' }
    | { readonly source: 'kafka'; readonly topic: string; readonly groupId: string };
  readonly aws: { readonly region: string | undefined; readonly endpoint: string | undefined };
  readonly outbox: {
    readonly pollIntervalMs: number;
    readonly batchSize: number;
    readonly maxAttempts: number;
  };
  readonly reconciliation: { readonly paymentTimeoutMs: number; readonly intervalMs: number };
}

export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Dev-mode defaults that are public knowledge; production must bring its own. */
export const DEV_PAYMENT_CALLBACK_SECRET = 'dev-payment-callback-secret';
export const DEV_CURSOR_SECRET = 'dev-cursor-secret';
export const DEV_ANALYTICS_API_KEY = 'dev-analytics-key';
/** Keys anyone can read in this repository: production refuses them. */
export const DEVELOPMENT_KEYS: readonly string[] = [
  DEV_PAYMENT_CALLBACK_SECRET,
  DEV_CURSOR_SECRET,
  DEV_ANALYTICS_API_KEY,
];

const optionalText = z
  .string()
  .trim()
  .transform((text) => (text === '' ? undefined : text))
  .optional();
const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const url = z.url({ protocol: /^https?$/ });
const duration = z.string().transform((text, context) => {
  const ms = parseDuration(text);
  if (ms === undefined) {
    context.addIssue({
      code: 'custom',
      message: 'must be a duration such as 900000, 30s, 15m or 2h',
    });
    return z.NEVER;
  }
  return ms;
});
const flag = z.enum(['true', 'false']).transform((text) => text === 'true');

const environmentSchema = z.object({
  NODE_ENV: z.enum(['production', 'development', 'test']).default('development'),
  PORT: integer(0, 65_535).default(DEFAULT_PORT),
  HOST: optionalText,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PUBLIC_BASE_URL: url.optional(),
  SHUTDOWN_TIMEOUT_MS: integer(0, 300_000).default(10_000),
  ...httpEnvironment,

  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' })
    .optional(),
  DB_SECRET_ID: optionalText,
  DATABASE_POOL_MAX: integer(1, 200).default(10),
  DATABASE_CA_FILE: optionalText,
  EMBEDDED_DB_DIR: z.string().default('.data/pglite'),

  PAYMENT_CALLBACK_SECRET: optionalText,
  PAYMENT_CALLBACK_SECRET_ID: optionalText,
  CURSOR_SECRET: optionalText,
  CURSOR_SECRET_ID: optionalText,

  PRODUCT_SERVICE_URL: url.optional(),
  PAYMENT_SERVICE_URL: url.optional(),
  NOTIFICATION_SERVICE_URL: url.optional(),
  ANALYTICS_SERVICE_URL: url.optional(),
  ANALYTICS_API_KEY: optionalText,
  ANALYTICS_SECRET_ID: optionalText,
  PEER_TIMEOUT_MS: integer(1, 120_000).default(3_000),
  SIMULATED_PEER_LATENCY_MS: integer(0, 60_000).default(0),
  SIMULATED_PAYMENT_DELAY_MS: integer(0, 600_000).default(200),

  EVENT_BUS: z.enum(['log', 'kafka', 'eventbridge']).optional(),
  KAFKA_BROKERS: optionalText,
  KAFKA_TOPIC: z.string().min(1).default('mallhive.orders.v1'),
  KAFKA_CLIENT_ID: z.string().min(1).default('order-service'),
  KAFKA_SSL: flag.default(false),
  KAFKA_SASL: z.enum(['none', 'scram-sha-512', 'aws-msk-iam']).default('none'),
  KAFKA_USERNAME: optionalText,
  KAFKA_PASSWORD: optionalText,
  KAFKA_SECRET_ID: optionalText,
  EVENT_BUS_NAME: z.string().min(1).default('mallhive-orders'),
  AWS_REGION: optionalText,
  AWS_ENDPOINT_URL: url.optional(),

  PAYMENT_RESULTS: z.enum(['callback', 'kafka']).default('callback'),
  PAYMENT_RESULTS_TOPIC: z.string().min(1).default('mallhive.payments.results.v1'),
  PAYMENT_RESULTS_GROUP_ID: z.string().min(1).default('order-service-payment-results'),

  OUTBOX_POLL_INTERVAL_MS: integer(10, 60_000).default(500),
  OUTBOX_BATCH_SIZE: integer(1, 1_000).default(100),
  OUTBOX_MAX_ATTEMPTS: integer(1, 100).default(10),
  PAYMENT_TIMEOUT: duration.default(15 * 60_000),
  RECONCILIATION_INTERVAL: duration.default(60_000),
});

type Environment = z.infer<typeof environmentSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  const problems: string[] = [];
  const config = buildConfig(parsed.data, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function buildConfig(env: Environment, problems: string[]): Config {
  const production = env.NODE_ENV === 'production';
  const require = (name: string, present: unknown, why = 'is required in production') => {
    if (!present) problems.push(`${name}: ${why}`);
  };

  const secret = (
    valueName: string,
    value: string | undefined,
    idName: string,
    id: string | undefined,
    devDefault?: string,
  ): SecretSource => {
    if (value && id) problems.push(`${valueName}: set either ${valueName} or ${idName}, not both`);
    if (id) return { secretId: id };
    if (value) {
      const weakness = production ? secretWeakness(value, DEVELOPMENT_KEYS) : undefined;
      if (weakness) problems.push(`${valueName}: ${weakness}`);
      return { value };
    }
    if (production || devDefault === undefined) {
      problems.push(
        `${valueName}: is required${production ? ' in production' : ''} (or ${idName})`,
      );
      return { value: '' };
    }
    return { value: devDefault };
  };

  const host = env.HOST ?? (production ? '0.0.0.0' : '127.0.0.1');
  require('PUBLIC_BASE_URL', !production || env.PUBLIC_BASE_URL);

  if (env.DATABASE_URL && env.DB_SECRET_ID) {
    problems.push('DATABASE_URL: set either DATABASE_URL or DB_SECRET_ID, not both');
  }
  require('DATABASE_URL', !production ||
    env.DATABASE_URL ||
    env.DB_SECRET_ID, 'is required in production (or DB_SECRET_ID)');
  const database: Config['database'] = env.DB_SECRET_ID
    ? {
        kind: 'secret',
        secretId: env.DB_SECRET_ID,
        poolMax: env.DATABASE_POOL_MAX,
        caFile:
          env.DATABASE_CA_FILE ??
          new URL('../../certs/rds-global-bundle.pem', import.meta.url).pathname,
      }
    : env.DATABASE_URL
      ? { kind: 'url', url: env.DATABASE_URL, poolMax: env.DATABASE_POOL_MAX }
      : { kind: 'embedded', dataDir: env.EMBEDDED_DB_DIR, poolMax: env.DATABASE_POOL_MAX };

  const peerUrls = {
    PRODUCT_SERVICE_URL: env.PRODUCT_SERVICE_URL,
    PAYMENT_SERVICE_URL: env.PAYMENT_SERVICE_URL,
    NOTIFICATION_SERVICE_URL: env.NOTIFICATION_SERVICE_URL,
    ANALYTICS_SERVICE_URL: env.ANALYTICS_SERVICE_URL,
  };
  const configuredPeers = Object.values(peerUrls).filter(Boolean).length;
  let peers: Config['peers'];
  if (configuredPeers === 0 && !production) {
    peers = {
      kind: 'simulated',
      latencyMs: env.SIMULATED_PEER_LATENCY_MS,
      paymentCallbackDelayMs: env.SIMULATED_PAYMENT_DELAY_MS,
    };
  } else {
    // Real peers are all-or-nothing: half-simulated wiring would hide a missing setting.
    for (const [name, value] of Object.entries(peerUrls)) {
      require(name, value, production
        ? 'is required in production'
        : 'is required once any peer URL is set');
    }
    peers = {
      kind: 'http',
      productUrl: peerUrls.PRODUCT_SERVICE_URL ?? '',
      paymentUrl: peerUrls.PAYMENT_SERVICE_URL ?? '',
      notificationUrl: peerUrls.NOTIFICATION_SERVICE_URL ?? '',
      analyticsUrl: peerUrls.ANALYTICS_SERVICE_URL ?? '',
      analyticsApiKey: secret(
        'ANALYTICS_API_KEY',
        env.ANALYTICS_API_KEY,
        'ANALYTICS_SECRET_ID',
        env.ANALYTICS_SECRET_ID,
        production ? undefined : DEV_ANALYTICS_API_KEY,
      ),
      timeoutMs: env.PEER_TIMEOUT_MS,
    };
  }

  if (production && peerUrls.ANALYTICS_SERVICE_URL) {
    const problem = plaintextBearerProblem('ANALYTICS_SERVICE_URL', peerUrls.ANALYTICS_SERVICE_URL);
    if (problem) problems.push(problem);
  }

  require('EVENT_BUS', !production ||
    env.EVENT_BUS, 'is required in production (kafka, eventbridge or log)');
  let events: Config['events'];
  switch (env.EVENT_BUS ?? 'log') {
    case 'kafka': {
      require('KAFKA_BROKERS', env.KAFKA_BROKERS, 'is required when EVENT_BUS=kafka');
      const brokers = (env.KAFKA_BROKERS ?? '')
        .split(',')
        .map((broker) => broker.trim())
        .filter(Boolean);
      let sasl: Extract<Config['events'], { bus: 'kafka' }>['sasl'] = { mechanism: 'none' };
      if (env.KAFKA_SASL === 'aws-msk-iam') sasl = { mechanism: 'aws-msk-iam' };
      if (env.KAFKA_SASL === 'scram-sha-512') {
        const credentials: SecretSource = env.KAFKA_SECRET_ID
          ? { secretId: env.KAFKA_SECRET_ID }
          : {
              value: JSON.stringify({ username: env.KAFKA_USERNAME, password: env.KAFKA_PASSWORD }),
            };
        require('KAFKA_SECRET_ID', env.KAFKA_SECRET_ID ||
          (env.KAFKA_USERNAME &&
            env.KAFKA_PASSWORD), 'is required when KAFKA_SASL=scram-sha-512 (or KAFKA_USERNAME and KAFKA_PASSWORD)');
        sasl = { mechanism: 'scram-sha-512', credentials };
      }
      events = {
        bus: 'kafka',
        brokers,
        topic: env.KAFKA_TOPIC,
        clientId: env.KAFKA_CLIENT_ID,
        ssl: env.KAFKA_SSL,
        sasl,
      };
      break;
    }
    case 'eventbridge':
      require('AWS_REGION', env.AWS_REGION, 'is required when EVENT_BUS=eventbridge');
      events = { bus: 'eventbridge', busName: env.EVENT_BUS_NAME };
      break;
    default:
      events = { bus: 'log' };
  }

  if (env.PAYMENT_RESULTS === 'kafka') {
    require('KAFKA_BROKERS', events.bus ===
      'kafka', 'PAYMENT_RESULTS=kafka needs EVENT_BUS=kafka and KAFKA_BROKERS');
  }

  return {
    mode: env.NODE_ENV,
    port: env.PORT,
    host,
    logLevel: env.LOG_LEVEL,
    publicBaseUrl: (
      env.PUBLIC_BASE_URL ?? `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${env.PORT}`
    ).replace(/\/$/, ''),
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    http: buildHttpSettings(env, production, problems),
    database,
    paymentCallbackSecret: secret(
      'PAYMENT_CALLBACK_SECRET',
      env.PAYMENT_CALLBACK_SECRET,
      'PAYMENT_CALLBACK_SECRET_ID',
      env.PAYMENT_CALLBACK_SECRET_ID,
      DEV_PAYMENT_CALLBACK_SECRET,
    ),
    cursorSecret: secret(
      'CURSOR_SECRET',
      env.CURSOR_SECRET,
      'CURSOR_SECRET_ID',
      env.CURSOR_SECRET_ID,
      DEV_CURSOR_SECRET,
    ),
    peers,
    events,
    paymentResults:
      env.PAYMENT_RESULTS === 'kafka'
        ? {
            source: 'kafka',
            topic: env.PAYMENT_RESULTS_TOPIC,
            groupId: env.PAYMENT_RESULTS_GROUP_ID,
          }
        : { source: 'callback' },
    aws: { region: env.AWS_REGION, endpoint: env.AWS_ENDPOINT_URL },
    outbox: {
      pollIntervalMs: env.OUTBOX_POLL_INTERVAL_MS,
      batchSize: env.OUTBOX_BATCH_SIZE,
      maxAttempts: env.OUTBOX_MAX_ATTEMPTS,
    },
    reconciliation: {
      paymentTimeoutMs: env.PAYMENT_TIMEOUT,
      intervalMs: env.RECONCILIATION_INTERVAL,
    },
  };
}

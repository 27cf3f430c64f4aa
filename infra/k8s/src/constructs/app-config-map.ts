import { Construct } from 'constructs';
import { ConfigMap } from 'cdk8s-plus-28';
import type { OrderServiceChartProps } from '../order-service-chart-props.ts';
import { orderService, peerServices, type PeerName } from '../service-contract.ts';
import { namespaceName } from './labels.ts';

/**
 * The service's non-secret environment. Secrets stay in AWS Secrets Manager: only their ids are here,
 * and the service fetches the values with its IRSA role at start-up.
 */
export function orderServiceEnvironment(props: OrderServiceChartProps): Record<string, string> {
  const { runtime, secretIds, eventBus, auth } = props;
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    PORT: String(orderService.port),
    METRICS_PORT: String(orderService.metricsPort),
    HOST: '0.0.0.0',
    LOG_LEVEL: runtime.logLevel,
    PUBLIC_BASE_URL: `https://${props.ingress.host}`,
    DATABASE_POOL_MAX: String(runtime.databasePoolMax),
    SHUTDOWN_TIMEOUT_MS: String(runtime.shutdownTimeoutMs),
    PAYMENT_TIMEOUT: runtime.paymentTimeout,
    AWS_REGION: runtime.awsRegion,
    DB_SECRET_ID: secretIds.database,
    PAYMENT_CALLBACK_SECRET_ID: secretIds.paymentCallback,
    ANALYTICS_SECRET_ID: secretIds.analytics,
    CURSOR_SECRET_ID: secretIds.cursor,
    EVENT_BUS: eventBus.kind,
    AUTH_ISSUER: auth.issuer,
    AUTH_JWKS_URL: auth.jwksUrl,
    AUTH_ALLOWED_CLIENT_IDS: auth.allowedClientIds.join(','),
  };
  if (auth.audience !== undefined) env['AUTH_AUDIENCE'] = auth.audience;
  if (auth.tokenUrl !== undefined) env['AUTH_CLIENT_CREDENTIALS_URL'] = auth.tokenUrl;
  if (secretIds.kafka !== undefined) env['KAFKA_SECRET_ID'] = secretIds.kafka;
  if (eventBus.kind === 'eventbridge') env['EVENT_BUS_NAME'] = eventBus.busName;
  if (eventBus.kind === 'kafka') {
    env['KAFKA_BROKERS'] = eventBus.brokers;
    env['KAFKA_TOPIC'] = eventBus.topic;
    env['KAFKA_SASL'] = eventBus.sasl;
    if (eventBus.paymentResults) {
      env['PAYMENT_RESULTS'] = 'kafka';
      env['PAYMENT_RESULTS_TOPIC'] = eventBus.paymentResults.topic;
      env['PAYMENT_RESULTS_GROUP_ID'] = eventBus.paymentResults.groupId;
    }
  }
  for (const peer of Object.keys(peerServices) as PeerName[]) {
    env[peerServices[peer].urlEnv] = props.peerUrls[peer];
  }
  if (props.tracing) Object.assign(env, tracingEnvironment(props));
  return env;
}

/**
 * Standard OpenTelemetry SDK variables (opentelemetry.io "SDK environment variables"): traces over
 * OTLP/HTTP to the collector, parent-based ratio sampling. The collector has no metrics or logs
 * pipeline for OTLP (metrics are scraped, logs go through the Fargate log router), so the SDK sends
 * neither.
 */
function tracingEnvironment(props: OrderServiceChartProps): Record<string, string> {
  const tracing = props.tracing;
  if (!tracing) return {};
  return {
    OTEL_SERVICE_NAME: orderService.name,
    OTEL_RESOURCE_ATTRIBUTES: `deployment.environment.name=${props.envName},service.namespace=mallhive`,
    OTEL_EXPORTER_OTLP_ENDPOINT: tracing.otlpEndpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: String(tracing.sampleRatio),
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'none',
  };
}

export interface AppConfigMapProps {
  readonly chartProps: OrderServiceChartProps;
}

export class AppConfigMap extends Construct {
  readonly configMap: ConfigMap;

  constructor(scope: Construct, id: string, { chartProps }: AppConfigMapProps) {
    super(scope, id);
    this.configMap = new ConfigMap(this, 'ConfigMap', {
      metadata: { name: `${orderService.name}-env`, namespace: namespaceName },
      data: orderServiceEnvironment(chartProps),
    });
  }
}

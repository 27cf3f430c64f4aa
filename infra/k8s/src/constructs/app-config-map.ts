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
  const { runtime, secretIds, eventBus } = props;
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    PORT: String(orderService.port),
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
  };
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
  return env;
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

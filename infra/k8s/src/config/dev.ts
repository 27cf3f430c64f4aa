import { fargateLogRouterData } from '../constructs/fargate-log-router.ts';
import type { LogRouterProps, OrderServiceChartProps } from '../order-service-chart-props.ts';

const account = '111111111111';
const region = 'eu-central-1';

/** The cluster's Fargate log router for the dev example (`FargateLogRouterChart`). */
export const devLogRouterProps: LogRouterProps = {
  logGroupName: '/aws/eks/mallhive-dev/order-service',
  region,
};

/**
 * Example development config for `nx run infra-k8s:synth`. Inside `cdk deploy` the CDK app passes
 * the real ids and ARNs of the resources it creates; these placeholders only make the YAML readable.
 */
export const devChartProps: OrderServiceChartProps = {
  envName: 'dev',
  manageNamespace: true,
  image: {
    repositoryUri: `${account}.dkr.ecr.${region}.amazonaws.com/mallhive-order-service`,
    tag: process.env['IMAGE_TAG'] ?? '0000000000000000000000000000000000000000',
  },
  replicas: { min: 2, max: 15 },
  resources: { cpuMillis: 500, memoryMebibytes: 1792 },
  serviceAccountName: 'order-service',
  serviceAccountRoleArn: `arn:aws:iam::${account}:role/mallhive-dev-order-service`,
  fargateLoggingConfig: fargateLogRouterData(devLogRouterProps),
  ingress: {
    host: 'order.internal.dev.mallhive.com',
    certificateArn: `arn:aws:acm:${region}:${account}:certificate/00000000-0000-0000-0000-000000000000`,
    groupName: 'mallhive',
    securityGroupId: 'sg-0eeeeeeeeeeeeeee1',
  },
  podSecurityGroupIds: ['sg-0aaaaaaaaaaaaaaa1'],
  secretIds: {
    database: 'order-service/db',
    paymentCallback: 'order-service/payment-callback',
    analytics: 'order-service/analytics',
    cursor: 'order-service/cursor',
  },
  eventBus: { kind: 'eventbridge', busName: 'mallhive-orders' },
  peerUrls: {
    product: 'http://product-service.product-service.svc.cluster.local:4100',
    notification: 'http://notification-service.notification-service.svc.cluster.local:4400',
    payment: 'http://payment-service.payment-service.svc.cluster.local:4500',
    analytics: 'http://analytics-service.analytics-service.svc.cluster.local:4800',
  },
  runtime: {
    awsRegion: region,
    logLevel: 'debug',
    databasePoolMax: 10,
    shutdownTimeoutMs: 10_000,
    paymentTimeout: '15m',
  },
  network: {
    albSubnetCidrs: ['10.10.0.0/20', '10.10.16.0/20', '10.10.32.0/20'],
    databaseCidrs: ['10.10.96.0/24', '10.10.97.0/24', '10.10.98.0/24'],
    kafkaCidrs: [],
    awsEndpointCidrs: ['10.10.0.0/20', '10.10.16.0/20', '10.10.32.0/20'],
    monitoringNamespace: 'monitoring',
  },
  addons: { prometheusOperator: true, kyverno: true, grafanaDashboardSidecar: true },
};

import { ORDER_EVENTS_TOPIC, PAYMENT_RESULTS_TOPIC } from '@mallhive/order-contracts';
import { fargateLogRouterData } from '../constructs/fargate-log-router.ts';
import { adotCollectorOtlpHttpEndpoint } from '../observability/collector-contract.ts';
import type { LogRouterProps, OrderServiceChartProps } from '../order-service-chart-props.ts';
import { inClusterPeerUrls } from '../service-contract.ts';

const account = '222222222222';
const region = 'eu-central-1';

/** The cluster's Fargate log router for the prod example (`FargateLogRouterChart`). */
export const prodLogRouterProps: LogRouterProps = {
  logGroupName: '/aws/eks/mallhive-prod/order-service',
  region,
};

/** Example production config: more and larger pods, Kafka (MSK) as the event bus. */
export const prodChartProps: OrderServiceChartProps = {
  envName: 'prod',
  manageNamespace: true,
  image: {
    repositoryUri: `${account}.dkr.ecr.${region}.amazonaws.com/mallhive-order-service`,
    tag: process.env['IMAGE_TAG'] ?? '0000000000000000000000000000000000000000',
  },
  replicas: { min: 5, max: 15 },
  resources: { cpuMillis: 1000, memoryMebibytes: 2816 },
  serviceAccountName: 'order-service',
  serviceAccountRoleArn: `arn:aws:iam::${account}:role/mallhive-prod-order-service`,
  fargateLoggingConfig: fargateLogRouterData(prodLogRouterProps),
  ingress: {
    host: 'order.internal.mallhive.com',
    certificateArn: `arn:aws:acm:${region}:${account}:certificate/00000000-0000-0000-0000-000000000000`,
    groupName: 'mallhive',
    loadBalancerName: 'mallhive-prod',
    accessLogs: { bucketName: `mallhive-alb-logs-${account}-${region}`, prefix: 'mallhive' },
    securityGroupId: 'sg-0fffffffffffffff2',
  },
  podSecurityGroupIds: ['sg-0bbbbbbbbbbbbbbb2'],
  secretIds: {
    database: 'order-service/db',
    paymentCallback: 'order-service/payment-callback',
    analytics: 'order-service/analytics',
    cursor: 'order-service/cursor',
    kafka: 'order-service/kafka',
  },
  eventBus: {
    kind: 'kafka',
    brokers:
      'b-1.mallhive.kafka.eu-central-1.amazonaws.com:9098,b-2.mallhive.kafka.eu-central-1.amazonaws.com:9098',
    topic: ORDER_EVENTS_TOPIC,
    sasl: 'aws-msk-iam',
    paymentResults: {
      topic: PAYMENT_RESULTS_TOPIC,
      groupId: 'order-service-payment-results',
    },
  },
  peerUrls: inClusterPeerUrls(),
  runtime: {
    awsRegion: region,
    logLevel: 'info',
    databasePoolMax: 20,
    shutdownTimeoutMs: 10_000,
    paymentTimeout: '15m',
  },
  auth: {
    issuer: `https://cognito-idp.${region}.amazonaws.com/eu-central-1_ProdExample`,
    jwksUrl: `https://cognito-idp.${region}.amazonaws.com/eu-central-1_ProdExample/.well-known/jwks.json`,
    allowedClientIds: ['example-warehouse-client-id', 'example-support-client-id'],
  },
  network: {
    albSubnetCidrs: ['10.20.0.0/20', '10.20.16.0/20', '10.20.32.0/20'],
    databaseCidrs: ['10.20.96.0/24', '10.20.97.0/24', '10.20.98.0/24'],
    kafkaCidrs: ['10.20.112.0/24', '10.20.113.0/24', '10.20.114.0/24'],
    awsEndpointCidrs: ['10.20.0.0/20', '10.20.16.0/20', '10.20.32.0/20'],
    monitoringNamespace: 'monitoring',
    identityProviderCidrs: ['0.0.0.0/0'],
  },
  tracing: { otlpEndpoint: adotCollectorOtlpHttpEndpoint, sampleRatio: 0.1 },
  addons: { prometheusOperator: true, kyverno: true, grafanaDashboardSidecar: true },
};

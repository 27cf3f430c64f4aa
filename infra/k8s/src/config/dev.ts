import { ORDER_EVENT_BUS_NAME } from '@mallhive/order-contracts';
import { fargateLogRouterData } from '../constructs/fargate-log-router.ts';
import { adotCollectorOtlpHttpEndpoint } from '../observability/collector-contract.ts';
import type { LogRouterProps, OrderServiceChartProps } from '../order-service-chart-props.ts';
import { inClusterPeerUrls } from '../service-contract.ts';

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
    loadBalancerName: 'mallhive-dev',
    accessLogs: { bucketName: `mallhive-alb-logs-${account}-${region}`, prefix: 'mallhive' },
    securityGroupId: 'sg-0eeeeeeeeeeeeeee1',
  },
  podSecurityGroupIds: ['sg-0aaaaaaaaaaaaaaa1'],
  secretIds: {
    database: 'order-service/db',
    paymentCallback: 'order-service/payment-callback',
    analytics: 'order-service/analytics',
    cursor: 'order-service/cursor',
  },
  eventBus: { kind: 'eventbridge', busName: ORDER_EVENT_BUS_NAME },
  peerUrls: inClusterPeerUrls(),
  runtime: {
    awsRegion: region,
    logLevel: 'debug',
    databasePoolMax: 10,
    shutdownTimeoutMs: 10_000,
    paymentTimeout: '15m',
  },
  auth: {
    issuer: `https://cognito-idp.${region}.amazonaws.com/eu-central-1_DevExample`,
    jwksUrl: `https://cognito-idp.${region}.amazonaws.com/eu-central-1_DevExample/.well-known/jwks.json`,
    allowedClientIds: ['example-warehouse-client-id', 'example-support-client-id'],
  },
  network: {
    albSubnetCidrs: ['10.10.0.0/20', '10.10.16.0/20', '10.10.32.0/20'],
    databaseCidrs: ['10.10.96.0/24', '10.10.97.0/24', '10.10.98.0/24'],
    kafkaCidrs: [],
    awsEndpointCidrs: ['10.10.0.0/20', '10.10.16.0/20', '10.10.32.0/20'],
    monitoringNamespace: 'monitoring',
    identityProviderCidrs: ['0.0.0.0/0'],
  },
  tracing: { otlpEndpoint: adotCollectorOtlpHttpEndpoint, sampleRatio: 1 },
  addons: { prometheusOperator: true, kyverno: true, grafanaDashboardSidecar: true },
};

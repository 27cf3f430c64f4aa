import {
  EVENTBRIDGE_SOURCE,
  ORDER_EVENT_BUS_NAME,
  ORDER_EVENTS_TOPIC,
  PAYMENT_RESULTS_TOPIC,
} from '@mallhive/order-contracts';
import type { EnvironmentConfig } from './environment-config.ts';
import { inClusterPeerUrls } from '@mallhive/infra-k8s';
import { sharedServiceSettings } from './shared-settings.ts';

/** dev: cheap and disposable (2 AZs, one NAT, single-AZ database), API reachable from the office. */
export const dev: EnvironmentConfig = {
  ...sharedServiceSettings,
  envName: 'dev',
  account: '111111111111',
  region: 'eu-central-1',
  network: {
    vpcCidr: '10.40.0.0/16',
    availabilityZones: ['eu-central-1a', 'eu-central-1b'],
    natGateways: 1,
    flowLogRetentionDays: 30,
  },
  cluster: {
    clusterName: 'mallhive-dev',
    kubernetesVersion: '1.34',
    publicApiCidrs: ['203.0.113.0/24'],
    adminRoleArn: 'arn:aws:iam::111111111111:role/mallhive-platform-admin',
    albControllerVersion: '3.2.2',
    externalDnsChartVersion: '1.19.0',
    // Check against the cluster version before an upgrade: docs/operations.md, "Upgrades".
    controlPlaneLogRetentionDays: 30,
    addOnVersions: { coreDns: 'v1.12.3-eksbuild.1', metricsServer: 'v0.8.0-eksbuild.1' },
  },
  database: {
    postgresVersion: '17.9',
    instanceClass: 't4g.medium',
    allocatedStorageGiB: 20,
    maxAllocatedStorageGiB: 100,
    multiAz: false,
    deletionProtection: false,
    snapshotOnDelete: false,
    backupRetentionDays: 7,
    databaseName: 'orders',
    masterUsername: 'order_admin',
    applicationUsername: 'order_service',
    rotationDays: 30,
    // Budget at replicas.max during a rollout (config/connection-budget.ts); alarm at 80 percent.
    maxConnections: 250,
    backupWindow: '01:00-01:30',
    maintenanceWindow: 'sun:02:00-sun:02:30',
    logRetentionDays: 30,
    insights: 'standard',
  },
  dns: {
    privateZoneName: 'internal.dev.mallhive.com',
    // A public zone of the dev account, delegated from prod's mallhive.com (docs/infrastructure.md,
    // "First deploy"): only the account that holds a zone can validate certificates in it.
    publicZoneName: 'dev.mallhive.com',
    publicZoneId: 'Z0DEVPUBLICZONE000001',
    serviceHostName: 'order.internal.dev.mallhive.com',
  },
  events: {
    busName: ORDER_EVENT_BUS_NAME,
    orderEventSource: EVENTBRIDGE_SOURCE,
    archiveRetentionDays: 30,
    mskServerless: false,
    kafkaTopic: ORDER_EVENTS_TOPIC,
    paymentResultsTopic: PAYMENT_RESULTS_TOPIC,
    paymentResultsGroupId: 'order-service-payment-results',
    topicPartitions: 6,
    topicRetentionHours: 168,
    kafkaSaslSecret: false,
  },
  identity: {
    kind: 'cognito',
    userPoolName: 'mallhive-dev-order-api',
    domainPrefix: 'mallhive-dev-orders',
    serviceClients: [
      { name: 'warehouse', scopes: ['fulfil', 'read'] },
      { name: 'support', scopes: ['support', 'read'] },
    ],
    // The web shop's user-facing app client, once it exists, goes here.
    extraAllowedClientIds: [],
    accessTokenValidityMinutes: 60,
    deletionProtection: false,
  },
  operations: {
    podLogRetentionDays: 30,
    alarmEmails: [],
  },
  retainOnTeardown: false,
  observability: {
    traceSampleRatio: 1,
    albAccessLogRetentionDays: 30,
    collector: { cpuMillis: 500, memoryMebibytes: 1024 },
  },
  workload: {
    replicas: { min: 2, max: 15 },
    // 0.5 vCPU / 2 GB on Fargate (it adds 256 MiB): all of it usable.
    resources: { cpuMillis: 500, memoryMebibytes: 1792 },
    logLevel: 'debug',
    databasePoolMax: 10,
    shutdownTimeoutMs: 10_000,
    paymentTimeout: '15m',
    peerUrls: inClusterPeerUrls(),
  },
};

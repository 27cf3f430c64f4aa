import {
  EVENTBRIDGE_SOURCE,
  ORDER_EVENT_BUS_NAME,
  ORDER_EVENTS_TOPIC,
  PAYMENT_RESULTS_TOPIC,
} from '@mallhive/order-contracts';
import type { EnvironmentConfig } from './environment-config.ts';
import { inClusterPeerUrls } from '@mallhive/infra-k8s';
import { sharedServiceSettings } from './shared-settings.ts';

/** prod: three AZs with a NAT each, Multi-AZ database kept on deletion, private API endpoint only. */
export const prod: EnvironmentConfig = {
  ...sharedServiceSettings,
  envName: 'prod',
  account: '222222222222',
  region: 'eu-central-1',
  network: {
    vpcCidr: '10.50.0.0/16',
    availabilityZones: ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'],
    natGateways: 3,
    flowLogRetentionDays: 365,
  },
  cluster: {
    clusterName: 'mallhive-prod',
    kubernetesVersion: '1.34',
    publicApiCidrs: [],
    adminRoleArn: 'arn:aws:iam::222222222222:role/mallhive-platform-admin',
    albControllerVersion: '3.2.2',
    externalDnsChartVersion: '1.19.0',
    // Check against the cluster version before an upgrade: docs/operations.md, "Upgrades".
    controlPlaneLogRetentionDays: 365,
    addOnVersions: { coreDns: 'v1.12.3-eksbuild.1', metricsServer: 'v0.8.0-eksbuild.1' },
  },
  database: {
    postgresVersion: '17.9',
    instanceClass: 'r7g.large',
    allocatedStorageGiB: 100,
    maxAllocatedStorageGiB: 1000,
    multiAz: true,
    deletionProtection: true,
    snapshotOnDelete: true,
    backupRetentionDays: 30,
    databaseName: 'orders',
    masterUsername: 'order_admin',
    applicationUsername: 'order_service',
    rotationDays: 30,
    // Budget at replicas.max during a rollout (config/connection-budget.ts); alarm at 80 percent.
    maxConnections: 500,
    backupWindow: '01:00-01:30',
    maintenanceWindow: 'sun:02:00-sun:02:30',
    logRetentionDays: 365,
    insights: 'advanced',
  },
  dns: {
    privateZoneName: 'internal.mallhive.com',
    publicZoneName: 'mallhive.com',
    publicZoneId: 'Z0PRODPUBLICZONE00001',
    serviceHostName: 'order.internal.mallhive.com',
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
    userPoolName: 'mallhive-order-api',
    domainPrefix: 'mallhive-orders',
    serviceClients: [
      { name: 'warehouse', scopes: ['fulfil', 'read'] },
      { name: 'support', scopes: ['support', 'read'] },
    ],
    // The web shop's user-facing app client, once it exists, goes here.
    extraAllowedClientIds: [],
    accessTokenValidityMinutes: 60,
    deletionProtection: true,
  },
  operations: {
    podLogRetentionDays: 365,
    alarmEmails: ['platform-oncall@mallhive.com'],
  },
  retainOnTeardown: true,
  observability: {
    traceSampleRatio: 0.1,
    albAccessLogRetentionDays: 90,
    collector: { cpuMillis: 500, memoryMebibytes: 1024 },
  },
  workload: {
    // Five pods: losing a zone or a Fargate patch eviction still leaves capacity for peak traffic.
    replicas: { min: 5, max: 15 },
    // 1 vCPU / 3 GB on Fargate (it adds 256 MiB): all of it usable.
    resources: { cpuMillis: 1000, memoryMebibytes: 2816 },
    logLevel: 'info',
    databasePoolMax: 20,
    shutdownTimeoutMs: 10_000,
    paymentTimeout: '15m',
    peerUrls: inClusterPeerUrls(),
  },
};

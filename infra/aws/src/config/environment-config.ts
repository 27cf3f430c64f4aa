import type { PeerName, PodResources, ReplicaBounds, RuntimeSettings } from '@mallhive/infra-k8s';
import type { AddOnVersions } from '../constructs/cluster-add-ons.ts';
import type { IdentityConfig } from '../constructs/order-api-identity.ts';

/**
 * The typed shape of one deployment environment. Everything that differs between dev and prod lives
 * here, so the constructs stay free of `if (env === 'prod')` branches.
 */

/** An existing VPC to deploy into instead of creating one (imported by id, no lookups). */
export interface ExistingVpcConfig {
  readonly vpcId: string;
  readonly vpcCidrBlock: string;
  readonly availabilityZones: readonly string[];
  /** Subnets with a route to NAT: pods, the kubectl handler and the rotation function run here. */
  readonly privateSubnetIds: readonly string[];
  /** Subnets without internet access: the database runs here. */
  readonly isolatedSubnetIds: readonly string[];
}

export interface NetworkConfig {
  /** CIDR of the VPC this app creates (ignored with `existingVpc`). */
  readonly vpcCidr: string;
  /** AZs to spread subnets over (explicit, so synth needs no account lookup). */
  readonly availabilityZones: readonly string[];
  readonly natGateways: number;
  readonly flowLogRetentionDays: number;
  /** Deploy into this VPC instead of creating one. It must already have the VPC endpoints. */
  readonly existingVpc?: ExistingVpcConfig;
}

export interface ClusterConfig {
  readonly clusterName: string;
  /** Kubernetes minor version, e.g. '1.34'; must match the installed kubectl layer. */
  readonly kubernetesVersion: string;
  /** CIDRs allowed to reach the public API endpoint; empty means a private-only endpoint. */
  readonly publicApiCidrs: readonly string[];
  /** IAM role ARN that gets cluster-admin through an EKS access entry. */
  readonly adminRoleArn: string;
  readonly albControllerVersion: string;
  readonly externalDnsChartVersion: string;
  /** Versions of the EKS add-ons (docs/operations.md, "Upgrades"). */
  readonly addOnVersions: AddOnVersions;
  /** Retention of the control-plane log group `/aws/eks/<cluster>/cluster`. */
  readonly controlPlaneLogRetentionDays: number;
}

export interface DatabaseConfig {
  /** PostgreSQL major.minor, e.g. '17.9'. */
  readonly postgresVersion: string;
  readonly instanceClass: string;
  readonly allocatedStorageGiB: number;
  readonly maxAllocatedStorageGiB: number;
  readonly multiAz: boolean;
  readonly deletionProtection: boolean;
  /** Keep a final snapshot when the stack or instance is deleted. */
  readonly snapshotOnDelete: boolean;
  readonly backupRetentionDays: number;
  /** Letters, digits and underscores only: PostgreSQL identifiers must not contain hyphens. */
  readonly databaseName: string;
  /** The master user: the role bootstrap and the rotation functions use it, never the service. */
  readonly masterUsername: string;
  /** The role the service connects as (secret `<secretPrefix>db`, rotated multi-user). */
  readonly applicationUsername: string;
  readonly rotationDays: number;
  /**
   * max_connections, set explicitly: at most what RDS would choose for the class, and at least the
   * connection budget (config/connection-budget.ts). The connections alarm fires at 80 % of it.
   */
  readonly maxConnections: number;
  /** Daily backup window, UTC (`hh:mm-hh:mm`). */
  readonly backupWindow: string;
  /** Weekly maintenance window, UTC (`ddd:hh:mm-ddd:hh:mm`); must not overlap the backup window. */
  readonly maintenanceWindow: string;
  /** Retention of the exported PostgreSQL logs. */
  readonly logRetentionDays: number;
  /**
   * CloudWatch Database Insights mode: `standard` (7 days of performance data, no charge) or
   * `advanced` (15 months, execution plans and lock analysis, charged per vCPU).
   */
  readonly insights: 'standard' | 'advanced';
}

export interface DnsConfig {
  /** The private zone the service's record lives in, e.g. 'internal.mallhive.com'. */
  readonly privateZoneName: string;
  /** Import this private zone instead of creating it (it must already be associated with the VPC). */
  readonly existingPrivateZoneId?: string;
  /** The public parent zone (e.g. 'mallhive.com') where ACM writes its validation records. */
  readonly publicZoneName: string;
  readonly publicZoneId: string;
  /** The host name peers use, e.g. 'order.internal.mallhive.com'. */
  readonly serviceHostName: string;
}

export interface EventsConfig {
  readonly busName: string;
  /** The `source` field the order service puts on its events. */
  readonly orderEventSource: string;
  readonly archiveRetentionDays: number;
  /**
   * Create an MSK Serverless cluster (IAM auth) with `kafkaTopic` and `paymentResultsTopic`; the
   * service publishes to the first and consumes payment results from the second.
   */
  readonly mskServerless: boolean;
  readonly kafkaTopic: string;
  readonly paymentResultsTopic: string;
  /** Consumer group of the payment-results consumer. */
  readonly paymentResultsGroupId: string;
  /** Partitions of each topic (the most consumers one group can spread over). */
  readonly topicPartitions: number;
  readonly topicRetentionHours: number;
  /** Create the `order-service/kafka` secret for SASL/SCRAM credentials of an external Kafka. */
  readonly kafkaSaslSecret: boolean;
}

export interface OperationsConfig {
  readonly podLogRetentionDays: number;
  /** E-mail addresses subscribed to the alarm topic (may be empty). */
  readonly alarmEmails: readonly string[];
}

/** Metrics, traces and load balancer logs (docs/infrastructure.md, "Observability"). */
export interface ObservabilityConfig {
  /** Share of new traces the service samples (parent-based), 0..1. */
  readonly traceSampleRatio: number;
  /** Days the ALB access logs are kept in S3. */
  readonly albAccessLogRetentionDays: number;
  /** The ADOT collector pod; requests equal limits (Fargate sizes the pod from them). */
  readonly collector: { readonly cpuMillis: number; readonly memoryMebibytes: number };
}

/** How the order service runs in the cluster: the sizing and settings of OrderServiceChart. */
export interface WorkloadConfig {
  /** Autoscaler bounds (at least 2, so one pod may always be evicted). */
  readonly replicas: ReplicaBounds;
  /** Per pod; requests equal limits because Fargate sizes the pod from them. */
  readonly resources: PodResources;
  readonly logLevel: RuntimeSettings['logLevel'];
  /** Connections per pod; times replicas.max must stay below the instance's max_connections. */
  readonly databasePoolMax: number;
  /** The service's drain deadline after SIGTERM (the chart derives grace period and ALB delay). */
  readonly shutdownTimeoutMs: number;
  /** How long an order may await payment, e.g. `15m`. */
  readonly paymentTimeout: string;
  /** Base URLs of the in-cluster peers; their ports must be in `peerPorts`. */
  readonly peerUrls: Readonly<Record<PeerName, string>>;
}

export interface EnvironmentConfig {
  readonly envName: 'dev' | 'prod';
  readonly account: string;
  readonly region: string;
  readonly network: NetworkConfig;
  readonly cluster: ClusterConfig;
  readonly database: DatabaseConfig;
  readonly dns: DnsConfig;
  readonly events: EventsConfig;
  readonly operations: OperationsConfig;
  readonly observability: ObservabilityConfig;
  /** Who may call the order API: a Cognito user pool made here, or an existing issuer. */
  readonly identity: IdentityConfig;
  /** Prefix of the calling services' OAuth client secrets; the order service's role cannot read it. */
  readonly apiClientSecretPrefix: string;
  /** Kubernetes namespace and service account of the order service. */
  readonly serviceNamespace: string;
  readonly serviceAccountName: string;
  /** Prefix of every secret the service may read (`order-service/`). */
  readonly secretPrefix: string;
  readonly repositoryName: string;
  /** Port the order-service container listens on (named `http` in Kubernetes). */
  readonly servicePort: number;
  /** Container ports of the in-cluster peers the service calls. */
  readonly peerPorts: readonly number[];
  readonly workload: WorkloadConfig;
  /**
   * Keep data when the stack is deleted: secrets, ECR repository, log groups and their keys (prod).
   * Off, the stack can be deleted and deployed again without "already exists" (dev).
   */
  readonly retainOnTeardown: boolean;
  /**
   * Image tag to deploy (`-c imageTag=<git sha>`). Without it, `placeholderImageTag`: the template
   * synthesizes but refuses to deploy (see docs/infrastructure.md, "Shipping the workload").
   */
  readonly imageTag: string;
  /**
   * Manifest digest of the image (`-c imageDigest=sha256:...`, recorded when it was pushed). With
   * it the Deployment runs `repository@digest`: dev and prod run the very image that was built once.
   */
  readonly imageDigest?: string;
  /**
   * Whether the template contains the order-service workload (the chart). `-c workload=false` makes
   * a platform-only template; deploying it removes a previously deployed workload.
   */
  readonly deployWorkload: boolean;
}

import type { PeerName } from './service-contract.ts';

/**
 * Every input of the order service chart. Strings may be CDK tokens (the CDK app passes the ECR URI,
 * certificate ARN, security group ids, log group name and region that way); CIDRs must be literals
 * because NetworkPolicy peers are checked at synth time.
 */
export interface OrderServiceChartProps {
  /** `dev` or `prod`: picks nothing by itself, but labels every object and names the dashboard. */
  readonly envName: string;
  /**
   * Emit the `order-service` Namespace (PSA restricted, ALB readiness gate). Off when the CDK app owns
   * the Namespace, which it does so the IRSA service account can be created before the chart.
   */
  readonly manageNamespace: boolean;
  readonly image: ImageProps;
  readonly replicas: ReplicaBounds;
  readonly resources: PodResources;
  /** Name of the IRSA service account created by CDK in the order-service namespace. */
  readonly serviceAccountName: string;
  /** ARN of that account's IAM role (IRSA gives it to pods when they are created). */
  readonly serviceAccountRoleArn: string;
  /**
   * The data of the cluster's `aws-logging` ConfigMap (`fargateLogRouterData`), which Fargate reads
   * only when a pod is created: a change must replace the pods.
   */
  readonly fargateLoggingConfig: Readonly<Record<string, string>>;
  readonly ingress: IngressProps;
  /**
   * Security groups attached to every pod (1-5). The union of their rules is all a Fargate pod gets,
   * so they must include what AWS requires: control plane and CoreDNS reachable.
   */
  readonly podSecurityGroupIds: readonly string[];
  readonly secretIds: SecretIds;
  readonly eventBus: EventBusProps;
  /** Base URLs of the peer services. */
  readonly peerUrls: Readonly<Record<PeerName, string>>;
  readonly runtime: RuntimeSettings;
  readonly auth: TokenVerificationProps;
  readonly network: NetworkRanges;
  /** Export traces to a collector; absent means tracing off. */
  readonly tracing?: TracingProps;
  /**
   * Which cluster add-ons exist. Custom resources for an absent operator would make `kubectl apply`
   * (and so `cdk deploy`) fail, so they are emitted only when the operator is installed.
   */
  readonly addons: ClusterAddons;
}

export interface ImageProps {
  /** ECR repository URI without tag, e.g. `123456789012.dkr.ecr.eu-central-1.amazonaws.com/mallhive-order-service`. */
  readonly repositoryUri: string;
  /** Immutable tag, normally the git SHA. `latest` and empty tags are rejected. */
  readonly tag: string;
  /**
   * Manifest digest (`sha256:<64 hex>`) of the pushed image. When given, the Deployment runs
   * `repositoryUri@digest`, so every environment runs exactly the bytes that were built once; the
   * tag then only names the commit.
   */
  readonly digest?: string;
}

export interface ReplicaBounds {
  readonly min: number;
  readonly max: number;
}

/** Requests equal limits: Fargate sizes the pod from them. */
export interface PodResources {
  readonly cpuMillis: number;
  readonly memoryMebibytes: number;
}

export interface IngressProps {
  /** e.g. `order.internal.mallhive.com`. */
  readonly host: string;
  readonly certificateArn: string;
  /** ALB shared by the Mallhive services. */
  readonly groupName: string;
  /**
   * Name of that ALB (at most 32 characters). The controller creates the ALB outside CloudFormation;
   * a fixed name is how CDK finds it for alarms. Every Ingress of the group must give the same name.
   */
  readonly loadBalancerName: string;
  /** Where the ALB writes access logs: an S3 bucket encrypted with SSE-S3 (the only kind ALB supports). */
  readonly accessLogs?: AlbAccessLogs;
  /**
   * The ALB's security group (created by the platform). The pods admit only this group, so the
   * controller must not create or manage ALB security groups itself.
   */
  readonly securityGroupId: string;
}

export interface AlbAccessLogs {
  readonly bucketName: string;
  /** Key prefix; ALB appends `AWSLogs/<account>/...`. */
  readonly prefix: string;
}

/** OpenTelemetry tracing of the service (standard `OTEL_*` variables); absent means tracing off. */
export interface TracingProps {
  /** `OTEL_EXPORTER_OTLP_ENDPOINT`: the collector's OTLP/HTTP base URL. */
  readonly otlpEndpoint: string;
  /** Share of new traces sampled (parent-based: a sampled caller's trace is always continued). */
  readonly sampleRatio: number;
}

/** AWS Secrets Manager ids the service reads at run time; the values never enter Kubernetes. */
export interface SecretIds {
  readonly database: string;
  readonly paymentCallback: string;
  readonly analytics: string;
  readonly cursor: string;
  /** Only with Kafka SASL. */
  readonly kafka?: string;
}

export type EventBusProps =
  | { readonly kind: 'eventbridge'; readonly busName: string }
  | KafkaEventBusProps
  | { readonly kind: 'log' };

export interface KafkaEventBusProps {
  readonly kind: 'kafka';
  readonly brokers: string;
  /** Where order events go. */
  readonly topic: string;
  /** How the service authenticates: MSK Serverless accepts only IAM (TLS, port 9098). */
  readonly sasl: 'none' | 'scram-sha-512' | 'aws-msk-iam';
  /** Consume payment results from this topic, as this consumer group (instead of callbacks). */
  readonly paymentResults?: { readonly topic: string; readonly groupId: string };
}

export interface RuntimeSettings {
  readonly awsRegion: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
  readonly databasePoolMax: number;
  /** The service's own drain deadline after SIGTERM. */
  readonly shutdownTimeoutMs: number;
  /** How long an order may await payment, e.g. `15m`. */
  readonly paymentTimeout: string;
}

/** Literal CIDRs for the NetworkPolicy (tokens are not accepted there). */
export interface NetworkRanges {
  /** Where the internal ALB lives (its nodes call the pods directly with target type ip). */
  readonly albSubnetCidrs: readonly string[];
  /** Database subnets (RDS, port 5432). */
  readonly databaseCidrs: readonly string[];
  /** MSK broker subnets; empty when the event bus is not Kafka. */
  readonly kafkaCidrs: readonly string[];
  /** Interface VPC endpoints (STS, Secrets Manager, EventBridge, CloudWatch), port 443. */
  readonly awsEndpointCidrs: readonly string[];
  /** Namespace of the Prometheus that scrapes /metrics. */
  readonly monitoringNamespace: string;
  /** Where the identity provider's JWKS is served, port 443 (Cognito: public, so 0.0.0.0/0). */
  readonly identityProviderCidrs: readonly string[];
}

/** Whose access tokens the service accepts (its AUTH_* settings); values may be CDK tokens. */
export interface TokenVerificationProps {
  readonly issuer: string;
  readonly jwksUrl: string;
  readonly audience?: string;
  readonly allowedClientIds: readonly string[];
  /** The token endpoint named in the OpenAPI document. */
  readonly tokenUrl?: string;
}

/** The Fargate log router (cluster-wide `aws-logging` ConfigMap, `FargateLogRouterChart`). */
export interface LogRouterProps {
  /** CloudWatch log group of the order service's containers. */
  readonly logGroupName: string;
  readonly region: string;
}

export interface ClusterAddons {
  /** ServiceMonitor, PrometheusRule (monitoring.coreos.com CRDs). */
  readonly prometheusOperator: boolean;
  /** ClusterPolicy (kyverno.io CRDs). */
  readonly kyverno: boolean;
  /** Grafana with the dashboard sidecar watching ConfigMaps labelled `grafana_dashboard`. */
  readonly grafanaDashboardSidecar: boolean;
}

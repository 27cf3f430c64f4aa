import {
  adotCollector,
  adotCollectorOtlpHttpEndpoint,
  orderService,
  type EventBusProps,
  type OrderServiceChartProps,
  type TokenVerificationProps,
} from '@mallhive/infra-k8s';
import type { EnvironmentConfig } from '../config/environment-config.ts';

/** What the stack created that the chart refers to; most values are CDK tokens. */
export interface WorkloadResources {
  readonly repositoryUri: string;
  readonly certificateArn: string;
  /** Name of the IRSA service account CDK created (the chart references it, never defines it). */
  readonly serviceAccountName: string;
  readonly serviceAccountRoleArn: string;
  /** The data of the cluster's `aws-logging` ConfigMap (pods are replaced when it changes). */
  readonly fargateLoggingConfig: Readonly<Record<string, string>>;
  /** The pods' only security group (it carries the control-plane rules Fargate needs). */
  readonly podSecurityGroupId: string;
  /** The internal ALB's security group, the only source the pods admit on the service port. */
  readonly albSecurityGroupId: string;
  readonly eventBusName: string;
  /** MSK Serverless IAM bootstrap brokers; present exactly when `events.mskServerless` is on. */
  readonly kafkaBootstrapBrokers?: string;
  readonly region: string;
  /** Literal VPC CIDR (NetworkPolicy peers cannot be tokens). */
  readonly vpcCidr: string;
  /** Where the ALB writes access logs. */
  readonly albAccessLogs: { readonly bucketName: string; readonly prefix: string };
  /** Whose tokens the service accepts (OrderApiIdentity.settings). */
  readonly auth: TokenVerificationProps;
}

/** The Mallhive services share one internal ALB through this Ingress group. */
const albGroupName = 'mallhive';

/**
 * The group's ALB name: fixed, so the alarms can find the load balancer the controller creates
 * (`alb-monitoring.ts`).
 */
export function albName(envName: string): string {
  return `${albGroupName}-${envName}`;
}

/** Where the scraper of /metrics runs (the NetworkPolicy admits it): the ADOT collector. */
const monitoringNamespace = adotCollector.namespace;

/**
 * The chart's props for one environment: sizing and settings from the typed config, ids and ARNs from
 * the resources this stack created. Pure, so the mapping is testable without synthesizing a cluster.
 */
export function orderServiceChartProps(
  config: EnvironmentConfig,
  resources: WorkloadResources,
): OrderServiceChartProps {
  if (config.serviceNamespace !== orderService.name) {
    // The chart places its objects in its own namespace; a different one would orphan the IRSA account.
    throw new Error(
      `serviceNamespace "${config.serviceNamespace}" differs from the chart's namespace "${orderService.name}"`,
    );
  }
  const { workload, events } = config;
  const secret = (name: string) => `${config.secretPrefix}${name}`;
  // Every address the pods reach is inside the VPC: the ALB and database subnets, MSK, and the
  // interface endpoints for STS, Secrets Manager, EventBridge and CloudWatch Logs (network.ts creates
  // them; an existing VPC must have them), so no AWS call leaves through NAT.
  const vpcCidrs = [resources.vpcCidr];

  return {
    envName: config.envName,
    // CDK owns the Namespace so the IRSA service account can exist before the chart.
    manageNamespace: false,
    image: {
      repositoryUri: resources.repositoryUri,
      tag: config.imageTag,
      ...(config.imageDigest ? { digest: config.imageDigest } : {}),
    },
    replicas: workload.replicas,
    resources: workload.resources,
    serviceAccountName: resources.serviceAccountName,
    serviceAccountRoleArn: resources.serviceAccountRoleArn,
    fargateLoggingConfig: resources.fargateLoggingConfig,
    ingress: {
      host: config.dns.serviceHostName,
      certificateArn: resources.certificateArn,
      groupName: albGroupName,
      loadBalancerName: albName(config.envName),
      accessLogs: resources.albAccessLogs,
      securityGroupId: resources.albSecurityGroupId,
    },
    podSecurityGroupIds: [resources.podSecurityGroupId],
    secretIds: {
      database: secret('db'),
      paymentCallback: secret('payment-callback'),
      analytics: secret('analytics'),
      cursor: secret('cursor'),
      ...(events.kafkaSaslSecret ? { kafka: secret('kafka') } : {}),
    },
    eventBus: eventBusOf(config, resources),
    peerUrls: workload.peerUrls,
    runtime: {
      awsRegion: resources.region,
      logLevel: workload.logLevel,
      databasePoolMax: workload.databasePoolMax,
      shutdownTimeoutMs: workload.shutdownTimeoutMs,
      paymentTimeout: workload.paymentTimeout,
    },
    auth: resources.auth,
    network: {
      albSubnetCidrs: vpcCidrs,
      databaseCidrs: vpcCidrs,
      kafkaCidrs: events.mskServerless ? vpcCidrs : [],
      awsEndpointCidrs: vpcCidrs,
      monitoringNamespace,
      // Cognito's JWKS has no VPC endpoint usable with a pool that has a domain: pods fetch it through
      // NAT (docs/security.md, "Access Amazon Cognito user pools using an interface endpoint").
      identityProviderCidrs: ['0.0.0.0/0'],
    },
    tracing: {
      otlpEndpoint: adotCollectorOtlpHttpEndpoint,
      sampleRatio: config.observability.traceSampleRatio,
    },
    // This stack installs none of these operators; their custom resources would fail `kubectl apply`.
    addons: { prometheusOperator: false, kyverno: false, grafanaDashboardSidecar: false },
  };
}

/** MSK Serverless when the environment has it, otherwise the EventBridge bus. */
function eventBusOf(config: EnvironmentConfig, resources: WorkloadResources): EventBusProps {
  if (!config.events.mskServerless) return { kind: 'eventbridge', busName: resources.eventBusName };
  if (resources.kafkaBootstrapBrokers === undefined) {
    throw new Error('events.mskServerless is on but no Kafka bootstrap brokers were passed');
  }
  return {
    kind: 'kafka',
    brokers: resources.kafkaBootstrapBrokers,
    topic: config.events.kafkaTopic,
    // MSK Serverless accepts only IAM authentication.
    sasl: 'aws-msk-iam',
    paymentResults: {
      topic: config.events.paymentResultsTopic,
      groupId: config.events.paymentResultsGroupId,
    },
  };
}

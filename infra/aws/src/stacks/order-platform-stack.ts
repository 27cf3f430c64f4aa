import { Annotations, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { orderService } from '@mallhive/infra-k8s';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/environment-config.ts';
import { OrderPlatformCluster } from '../constructs/cluster.ts';
import { ContainerRegistry } from '../constructs/container-registry.ts';
import { Database } from '../constructs/database.ts';
import { DnsCertificate } from '../constructs/dns-certificate.ts';
import { OrderEventBus } from '../constructs/event-bus.ts';
import { ExternalDns } from '../constructs/external-dns.ts';
import { KafkaCluster } from '../constructs/kafka-cluster.ts';
import { AdotCollector } from '../constructs/observability/adot-collector.ts';
import { AlbAccessLogs } from '../constructs/observability/alb-access-logs.ts';
import { AlbAlarms } from '../constructs/observability/alb-alarms.ts';
import { PrometheusWorkspace } from '../constructs/observability/prometheus-workspace.ts';
import { Network } from '../constructs/network.ts';
import { AlarmTopic } from '../constructs/operations/alarm-topic.ts';
import { DatabaseAlarms } from '../constructs/operations/database-alarms.ts';
import { FargateTerminationAlert } from '../constructs/operations/fargate-termination-alert.ts';
import { albName, orderServiceChartProps } from '../constructs/order-service-chart-props.ts';
import { OrderApiIdentity } from '../constructs/order-api-identity.ts';
import { OrderServiceIdentity } from '../constructs/order-service-identity.ts';
import { OrderServiceWorkload } from '../constructs/order-service-workload.ts';
import { PodLogRouting } from '../constructs/pod-log-routing.ts';
import { PodSecurityGroup } from '../constructs/pod-security-group.ts';
import { ServiceSecrets } from '../constructs/service-secrets.ts';

export interface OrderPlatformStackProps extends StackProps {
  readonly config: EnvironmentConfig;
}

/**
 * Everything the order service needs in one AWS account and region, and (unless `-c workload=false`)
 * the service itself: the infra/k8s chart applied to the cluster. The stack only wires constructs
 * together; the public properties are what the chart is built from.
 */
export class OrderPlatformStack extends Stack {
  readonly config: EnvironmentConfig;
  readonly cluster: eks.FargateCluster;
  /** The IRSA service account `order-service/order-service`; the chart must reuse, not redefine, it. */
  readonly serviceAccount: eks.ServiceAccount;
  /** The order-service Namespace manifest; chart objects must depend on it. */
  readonly serviceNamespace: eks.KubernetesManifest;
  /** Attach with a SecurityGroupPolicy together with the cluster security group. */
  readonly podSecurityGroup: ec2.ISecurityGroup;
  readonly certificate: acm.ICertificate;
  readonly repository: ecr.IRepository;
  readonly eventBus: events.IEventBus;
  /** Where the Fargate log router must write (`aws-logging` ConfigMap). */
  readonly logGroup: logs.ILogGroup;
  readonly vpc: ec2.IVpc;
  /** Who may call the order API: the Cognito user pool and app clients (or an external issuer). */
  readonly apiIdentity: OrderApiIdentity;
  /** The applied chart; absent in a platform-only template (`-c workload=false`). */
  readonly workload?: OrderServiceWorkload;

  constructor(scope: Construct, id: string, props: OrderPlatformStackProps) {
    super(scope, id, {
      ...props,
      env: { account: props.config.account, region: props.config.region },
      description: `Mallhive order platform (${props.config.envName}): EKS Fargate, RDS, ECR, DNS, events`,
    });
    const { config } = props;
    this.config = config;
    // Answer the availability-zone lookup from config, so synth never calls AWS.
    this.node.setContext(
      `availability-zones:account=${config.account}:region=${config.region}`,
      config.network.existingVpc?.availabilityZones ?? config.network.availabilityZones,
    );

    const network = new Network(this, 'Network', { config: config.network });
    this.vpc = network.vpc;

    const platform = new OrderPlatformCluster(this, 'Cluster', {
      config: config.cluster,
      vpc: network.vpc,
      privateSubnets: network.privateSubnets,
      serviceNamespace: config.serviceNamespace,
    });
    this.cluster = platform.cluster;
    this.serviceNamespace = platform.serviceNamespace;

    const secrets = new ServiceSecrets(this, 'Secrets', {
      prefix: config.secretPrefix,
      kafkaSaslSecret: config.events.kafkaSaslSecret,
    });

    const pods = new PodSecurityGroup(this, 'PodSecurityGroup', {
      vpc: network.vpc,
      vpcCidr: network.vpcCidr,
      servicePort: config.servicePort,
      metricsPort: orderService.metricsPort,
      peerPorts: config.peerPorts,
      ...(network.endpointSecurityGroup
        ? { endpointSecurityGroup: network.endpointSecurityGroup }
        : {}),
    });
    this.podSecurityGroup = pods.securityGroup;

    const database = new Database(this, 'Database', {
      config: config.database,
      vpc: network.vpc,
      isolatedSubnets: network.isolatedSubnets,
      privateSubnets: network.privateSubnets,
      credentialsSecretName: `${config.secretPrefix}db`,
      secretsKey: secrets.key,
    });
    database.allowClientsFrom(pods.securityGroup, 'PostgreSQL from order-service pods');

    const registry = new ContainerRegistry(this, 'Registry', {
      repositoryName: config.repositoryName,
      pullers: [platform.servicePodExecutionRole],
    });
    this.repository = registry.repository;

    const dns = new DnsCertificate(this, 'Dns', { config: config.dns, vpc: network.vpc });
    this.certificate = dns.certificate;
    new ExternalDns(this, 'ExternalDns', {
      cluster: platform.cluster,
      zone: dns.privateZone,
      zoneName: config.dns.privateZoneName,
      chartVersion: config.cluster.externalDnsChartVersion,
      ownerId: config.cluster.clusterName,
    });

    const orderEvents = new OrderEventBus(this, 'Events', { config: config.events });
    this.eventBus = orderEvents.bus;

    const kafka = config.events.mskServerless
      ? new KafkaCluster(this, 'Kafka', {
          clusterName: `${config.cluster.clusterName}-orders`,
          vpc: network.vpc,
          privateSubnets: network.privateSubnets,
          topicName: config.events.kafkaTopic,
        })
      : undefined;
    kafka?.allowClientsFrom(pods.securityGroup);

    const identity = new OrderServiceIdentity(this, 'OrderServiceIdentity', {
      cluster: platform.cluster,
      namespace: platform.serviceNamespace,
      namespaceName: config.serviceNamespace,
      serviceAccountName: config.serviceAccountName,
      secretPrefix: config.secretPrefix,
      secretsKey: secrets.key,
      eventBus: orderEvents.bus,
      ...(kafka ? { kafka: { clusterArn: kafka.clusterArn, topicArn: kafka.topicArn } } : {}),
    });
    this.serviceAccount = identity.serviceAccount;

    const orderApi = new OrderApiIdentity(this, 'OrderApi', {
      config: config.identity,
      clientSecretPrefix: config.apiClientSecretPrefix,
    });
    this.apiIdentity = orderApi;

    const podLogs = new PodLogRouting(this, 'PodLogs', {
      clusterName: config.cluster.clusterName,
      namespace: config.serviceNamespace,
      retentionDays: config.operations.podLogRetentionDays,
      podExecutionRole: platform.servicePodExecutionRole,
    });
    this.logGroup = podLogs.logGroup;

    const albLogs = new AlbAccessLogs(this, 'AlbAccessLogs', {
      retentionDays: config.observability.albAccessLogRetentionDays,
      prefix: 'mallhive',
    });

    if (config.deployWorkload) {
      this.workload = new OrderServiceWorkload(this, 'Workload', {
        cluster: platform.cluster,
        chartProps: orderServiceChartProps(config, {
          repositoryUri: registry.repository.repositoryUri,
          certificateArn: dns.certificate.certificateArn,
          serviceAccountName: identity.serviceAccount.serviceAccountName,
          podSecurityGroupId: pods.securityGroup.securityGroupId,
          clusterSecurityGroupId: platform.cluster.clusterSecurityGroupId,
          eventBusName: orderEvents.bus.eventBusName,
          ...(kafka ? { kafkaBootstrapBrokers: kafka.bootstrapBrokers } : {}),
          logGroupName: podLogs.logGroup.logGroupName,
          region: this.region,
          vpcCidr: network.vpcCidr,
          albAccessLogs: { bucketName: albLogs.bucket.bucketName, prefix: albLogs.prefix },
          auth: {
            ...orderApi.settings,
            ...(orderApi.tokenEndpoint ? { tokenUrl: orderApi.tokenEndpoint } : {}),
          },
        }),
        applyAfter: [
          platform.serviceNamespace,
          identity.serviceAccount,
          platform.serviceFargateProfile,
          ...(platform.cluster.albController ? [platform.cluster.albController] : []),
        ],
      });
      // Not exported: it changes with every release. Infrastructure-only deploys read it to keep
      // the running tag (docs/infrastructure.md).
      new CfnOutput(this, 'DeployedImageTag', {
        value: config.imageTag,
        description: 'Image tag of the order-service Deployment in this template',
      });
    } else {
      Annotations.of(this).addWarningV2(
        '@mallhive/infra-aws:platform-only',
        'workload=false: this template has no order-service workload. Deploying it DELETES a previously deployed workload (Deployment, Service, Ingress, ...).',
      );
    }

    const alarms = new AlarmTopic(this, 'AlarmTopic', { emails: config.operations.alarmEmails });
    new DatabaseAlarms(this, 'DatabaseAlarms', {
      instance: database.instance,
      topic: alarms.topic,
      allocatedStorageGiB: config.database.allocatedStorageGiB,
    });
    new FargateTerminationAlert(this, 'FargateTerminationAlert', { topic: alarms.topic });

    const prometheus = new PrometheusWorkspace(this, 'Prometheus', {
      alias: config.cluster.clusterName,
      envName: config.envName,
      alarmTopic: alarms.topic,
      logRetentionDays: config.operations.podLogRetentionDays,
    });
    new AdotCollector(this, 'AdotCollector', {
      cluster: platform.cluster,
      clusterName: config.cluster.clusterName,
      envName: config.envName,
      vpc: network.vpc,
      vpcCidr: network.vpcCidr,
      privateSubnets: network.privateSubnets,
      workspace: prometheus,
      config: config.observability,
      traceLogGroupNames: [podLogs.logGroup.logGroupName],
      tracingClients: [pods.securityGroup],
      serviceNamespace: platform.serviceNamespace,
      scrapePort: config.servicePort,
    });
    if (this.workload) {
      new AlbAlarms(this, 'AlbAlarms', {
        loadBalancerName: albName(config.envName),
        targetGroupResource: `${config.serviceNamespace}/${orderService.name}-${orderService.name}:${orderService.portName}`,
        topic: alarms.topic,
        lookUpAfter: this.workload.manifest,
      });
    }

    this.export('VpcId', network.vpc.vpcId, 'VPC of the cluster');
    this.export('ClusterName', platform.cluster.clusterName, 'EKS cluster name');
    this.export(
      'ClusterSecurityGroupId',
      platform.cluster.clusterSecurityGroupId,
      'Cluster security group (add it to the SecurityGroupPolicy)',
    );
    this.export('PodSecurityGroupId', pods.securityGroup.securityGroupId, 'order-service pods');
    this.export('ServiceAccountRoleArn', identity.serviceAccount.role.roleArn, 'IRSA role');
    this.export('ServiceAccountName', identity.serviceAccount.serviceAccountName, 'IRSA account');
    this.export('ServiceNamespace', identity.serviceAccount.serviceAccountNamespace, 'Namespace');
    this.export(
      'CertificateArn',
      dns.certificate.certificateArn,
      `ACM ${config.dns.serviceHostName}`,
    );
    this.export('RepositoryUri', registry.repository.repositoryUri, 'ECR repository');
    this.export('EventBusName', orderEvents.bus.eventBusName, 'Order event bus');
    this.export('ConsumerQueueUrl', orderEvents.consumerQueue.queueUrl, 'Order events queue');
    this.export('PodLogGroupName', podLogs.logGroup.logGroupName, 'Fargate log router target');
    this.export('AlarmTopicArn', alarms.topic.topicArn, 'Alarm notifications');
    this.export('PrometheusWorkspaceId', prometheus.workspace.attrWorkspaceId, 'AMP workspace');
    this.export('AlbAccessLogBucket', albLogs.bucket.bucketName, 'ALB access logs');
    this.export(
      'DbSecretArn',
      database.instance.secret?.secretArn ?? '',
      `${config.secretPrefix}db`,
    );
    this.export('DbEndpoint', database.instance.dbInstanceEndpointAddress, 'PostgreSQL host');
    for (const secret of secrets.all) {
      const name = secret.node.id;
      this.export(`${name}SecretArn`, secret.secretArn, `Secret ${name}`);
    }
    if (kafka) this.export('KafkaClusterArn', kafka.clusterArn, 'MSK Serverless cluster');
  }

  /** A stack output exported as `<stack>-<name>` for CI and other stacks. */
  private export(name: string, value: string, description: string): void {
    new CfnOutput(this, name, { value, description, exportName: `${this.stackName}-${name}` });
  }
}

import { Annotations, CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
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
import type { ClusterAddOns } from '../constructs/cluster-add-ons.ts';
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
import { LoadBalancerSecurityGroup } from '../constructs/load-balancer-security-group.ts';
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
  /** The only security group of the order-service pods (SecurityGroupPolicy). */
  readonly podSecurityGroup: ec2.ISecurityGroup;
  /** The internal ALB's security group (named by the Ingress). */
  readonly loadBalancerSecurityGroup: ec2.ISecurityGroup;
  readonly certificate: acm.ICertificate;
  readonly repository: ecr.IRepository;
  readonly eventBus: events.IEventBus;
  /** Where the Fargate log router writes the order service's logs. */
  readonly logGroup: logs.ILogGroup;
  /** The cluster's Fargate logging config (`aws-observability/aws-logging`); pods come after it. */
  readonly podLogRouterConfig: eks.KubernetesManifest;
  readonly vpc: ec2.IVpc;
  /** CoreDNS and metrics-server as EKS add-ons. */
  readonly addOns: ClusterAddOns;
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

    // dev can be deleted and deployed again; prod keeps its data (docs/infrastructure.md, "Teardown").
    const dataRemoval = config.retainOnTeardown ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const network = new Network(this, 'Network', {
      config: config.network,
      removalPolicy: dataRemoval,
    });
    this.vpc = network.vpc;

    const platform = new OrderPlatformCluster(this, 'Cluster', {
      config: config.cluster,
      vpc: network.vpc,
      privateSubnets: network.privateSubnets,
      serviceNamespace: config.serviceNamespace,
      removalPolicy: dataRemoval,
    });
    this.cluster = platform.cluster;
    this.serviceNamespace = platform.serviceNamespace;
    this.addOns = platform.addOns;

    const secrets = new ServiceSecrets(this, 'Secrets', {
      prefix: config.secretPrefix,
      kafkaSaslSecret: config.events.kafkaSaslSecret,
      removalPolicy: dataRemoval,
    });

    const loadBalancer = new LoadBalancerSecurityGroup(this, 'LoadBalancerSecurityGroup', {
      vpc: network.vpc,
      vpcCidr: network.vpcCidr,
    });
    this.loadBalancerSecurityGroup = loadBalancer.securityGroup;
    const pods = new PodSecurityGroup(this, 'PodSecurityGroup', {
      vpc: network.vpc,
      vpcCidr: network.vpcCidr,
      servicePort: config.servicePort,
      peerPorts: config.peerPorts,
      albSecurityGroup: loadBalancer.securityGroup,
      clusterSecurityGroup: platform.cluster.clusterSecurityGroup,
      ...(network.endpointSecurityGroup
        ? { endpointSecurityGroup: network.endpointSecurityGroup }
        : {}),
      s3PrefixListId: network.s3PrefixListId,
      clusterName: config.cluster.clusterName,
    });
    this.podSecurityGroup = pods.securityGroup;

    const database = new Database(this, 'Database', {
      config: config.database,
      vpc: network.vpc,
      isolatedSubnets: network.isolatedSubnets,
      privateSubnets: network.privateSubnets,
      instanceIdentifier: `${config.cluster.clusterName}-orders`,
      applicationSecretName: `${config.secretPrefix}db`,
      masterSecretName: `${config.cluster.clusterName}/db-master`,
      secretsKey: secrets.key,
      removalPolicy: dataRemoval,
    });
    database.allowClientsFrom(pods.securityGroup, 'PostgreSQL from order-service pods');

    const registry = new ContainerRegistry(this, 'Registry', {
      repositoryName: config.repositoryName,
      pullers: [platform.servicePodExecutionRole],
      removalPolicy: dataRemoval,
    });
    this.repository = registry.repository;

    const dns = new DnsCertificate(this, 'Dns', { config: config.dns, vpc: network.vpc });
    this.certificate = dns.certificate;
    const externalDns = new ExternalDns(this, 'ExternalDns', {
      cluster: platform.cluster,
      zone: dns.privateZone,
      zoneName: config.dns.privateZoneName,
      chartVersion: config.cluster.externalDnsChartVersion,
      ownerId: config.cluster.clusterName,
    });
    externalDns.chart.node.addDependency(platform.addOns.coreDns);

    const orderEvents = new OrderEventBus(this, 'Events', { config: config.events });
    this.eventBus = orderEvents.bus;

    const kafka = config.events.mskServerless
      ? new KafkaCluster(this, 'Kafka', {
          clusterName: `${config.cluster.clusterName}-orders`,
          vpc: network.vpc,
          privateSubnets: network.privateSubnets,
          topics: [config.events.kafkaTopic, config.events.paymentResultsTopic].map((name) => ({
            name,
            partitions: config.events.topicPartitions,
            retentionHours: config.events.topicRetentionHours,
          })),
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
      ...(kafka
        ? {
            kafka: {
              clusterArn: kafka.clusterArn,
              publishTopicArn: kafka.topicArn(config.events.kafkaTopic),
              consumeTopicArn: kafka.topicArn(config.events.paymentResultsTopic),
              consumerGroupArn: kafka.groupArn(config.events.paymentResultsGroupId),
            },
          }
        : {}),
    });
    this.serviceAccount = identity.serviceAccount;

    const orderApi = new OrderApiIdentity(this, 'OrderApi', {
      config: config.identity,
      clientSecretPrefix: config.apiClientSecretPrefix,
      secretRemovalPolicy: dataRemoval,
    });
    this.apiIdentity = orderApi;

    const podLogs = new PodLogRouting(this, 'PodLogs', {
      cluster: platform.cluster,
      clusterName: config.cluster.clusterName,
      namespace: config.serviceNamespace,
      retentionDays: config.operations.podLogRetentionDays,
      podExecutionRole: platform.servicePodExecutionRole,
      removalPolicy: dataRemoval,
    });
    this.logGroup = podLogs.logGroup;
    this.podLogRouterConfig = podLogs.routerConfig;

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
          serviceAccountRoleArn: identity.serviceAccount.role.roleArn,
          fargateLoggingConfig: podLogs.routerData,
          podSecurityGroupId: pods.securityGroup.securityGroupId,
          albSecurityGroupId: loadBalancer.securityGroup.securityGroupId,
          eventBusName: orderEvents.bus.eventBusName,
          ...(kafka ? { kafkaBootstrapBrokers: kafka.bootstrapBrokers } : {}),
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
          // Pods resolve every peer and AWS endpoint through CoreDNS; the HPA reads metrics-server.
          platform.addOns.coreDns,
          platform.addOns.metricsServer,
          // ExternalDNS writes the service's record, and on teardown (reverse order) removes it
          // while it still runs.
          externalDns.chart,
          // The topics the service publishes to and consumes from.
          ...(kafka ? [kafka.topics] : []),
        ],
        podsAfter: [podLogs.routerConfig],
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
      connectionsThreshold: database.connectionsAlarmThreshold,
    });
    new FargateTerminationAlert(this, 'FargateTerminationAlert', { topic: alarms.topic });

    const prometheus = new PrometheusWorkspace(this, 'Prometheus', {
      alias: config.cluster.clusterName,
      envName: config.envName,
      alarmTopic: alarms.topic,
      logRetentionDays: config.operations.podLogRetentionDays,
      removalPolicy: dataRemoval,
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
      servicePods: [pods.securityGroup],
      serviceNamespace: platform.serviceNamespace,
      scrapePort: orderService.metricsPort,
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
      'Cluster security group (control plane, CoreDNS, pods without a SecurityGroupPolicy)',
    );
    this.export('PodSecurityGroupId', pods.securityGroup.securityGroupId, 'order-service pods');
    this.export(
      'AlbSecurityGroupId',
      loadBalancer.securityGroup.securityGroupId,
      'Internal ALB (Ingress group mallhive)',
    );
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
      database.applicationSecret.secretArn,
      `${config.secretPrefix}db (the service's role)`,
    );
    this.export(
      'DbMasterSecretArn',
      database.masterSecret.secretArn,
      'Database master user (operators only)',
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

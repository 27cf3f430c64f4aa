import { fileURLToPath } from 'node:url';
import { CustomResource, Duration, Fn, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as msk from 'aws-cdk-lib/aws-msk';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledgeAwsCustomResourceHandler } from './aws-custom-resource-handler.ts';
import { acknowledgeVpcCustomResource } from './vpc-custom-resource-findings.ts';

export interface KafkaTopic {
  readonly name: string;
  readonly partitions: number;
  readonly retentionHours: number;
}

export interface KafkaClusterProps {
  readonly clusterName: string;
  readonly vpc: ec2.IVpc;
  readonly privateSubnets: ec2.SubnetSelection;
  /** Topics that must exist (MSK Serverless creates none by itself). */
  readonly topics: readonly KafkaTopic[];
}

/** MSK Serverless port for IAM-authenticated clients. */
export const MSK_IAM_PORT = 9098;

/**
 * An MSK Serverless cluster with IAM authentication (the only mode MSK Serverless offers), reachable
 * on port 9098 from security groups passed to `allowClientsFrom`, with its topics created during the
 * deploy: MSK's topic API does not cover Serverless clusters, so a custom resource creates them with
 * the Kafka admin protocol from inside the VPC (handlers/kafka-topics.ts). A custom resource rather
 * than a Kubernetes Job because CloudFormation waits for it, before any pod publishes.
 */
export class KafkaCluster extends Construct {
  readonly cluster: msk.CfnServerlessCluster;
  readonly securityGroup: ec2.SecurityGroup;
  readonly clusterArn: string;
  /** `host:9098,...` for IAM clients (a deploy-time value: CloudFormation has no attribute for it). */
  readonly bootstrapBrokers: string;
  /** The custom resource that creates the topics; clients must come after it. */
  readonly topics: CustomResource;
  private readonly arnPrefix: string;
  private readonly nameAndUuid: string;

  constructor(scope: Construct, id: string, props: KafkaClusterProps) {
    super(scope, id);
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'MSK Serverless: IAM-authenticated Kafka from order-service pods',
      allowAllOutbound: false,
    });
    this.cluster = new msk.CfnServerlessCluster(this, 'Cluster', {
      clusterName: props.clusterName,
      clientAuthentication: { sasl: { iam: { enabled: true } } },
      vpcConfigs: [
        {
          subnetIds: props.vpc.selectSubnets(props.privateSubnets).subnetIds,
          securityGroups: [this.securityGroup.securityGroupId],
        },
      ],
    });
    this.clusterArn = this.cluster.attrArn;
    // arn:...:cluster/<name>/<uuid> -> arn:...:topic|group/<name>/<uuid>/<topic|group>
    const [arnPrefix, nameAndUuid] = [0, 1].map((part) =>
      Fn.select(part, Fn.split(':cluster/', this.clusterArn)),
    );
    this.arnPrefix = arnPrefix ?? '';
    this.nameAndUuid = nameAndUuid ?? '';
    this.bootstrapBrokers = this.lookUpBootstrapBrokers();
    this.topics = this.createTopics(props);
  }

  /** ARN of a topic in this cluster, for IAM policies (Semantics of IAM authorization policy ...). */
  topicArn(topic: string): string {
    return Fn.join('', [this.arnPrefix, ':topic/', this.nameAndUuid, '/', topic]);
  }

  /** ARN of a consumer group in this cluster, for IAM policies. */
  groupArn(groupId: string): string {
    return Fn.join('', [this.arnPrefix, ':group/', this.nameAndUuid, '/', groupId]);
  }

  /** MSK Serverless exposes its endpoint only through the GetBootstrapBrokers API. */
  private lookUpBootstrapBrokers(): string {
    const call: cr.AwsSdkCall = {
      service: 'Kafka',
      action: 'getBootstrapBrokers',
      parameters: { ClusterArn: this.clusterArn },
      physicalResourceId: cr.PhysicalResourceId.of(this.clusterArn),
      outputPaths: ['BootstrapBrokerStringSaslIam'],
    };
    const lookup = new cr.AwsCustomResource(this, 'BootstrapBrokers', {
      onCreate: call,
      onUpdate: call,
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: [this.clusterArn] }),
      installLatestAwsSdk: false,
    });
    acknowledgeAwsCustomResourceHandler(this);
    return lookup.getResponseField('BootstrapBrokerStringSaslIam');
  }

  private createTopics(props: KafkaClusterProps): CustomResource {
    const securityGroup = new ec2.SecurityGroup(this, 'TopicsSecurityGroup', {
      vpc: props.vpc,
      description: 'MSK topic bootstrap: Kafka (IAM) only',
      allowAllOutbound: false,
    });
    this.allowClientsFrom(securityGroup);
    const fn = new nodejs.NodejsFunction(this, 'TopicsFunction', {
      entry: fileURLToPath(new URL('../handlers/kafka-topics.ts', import.meta.url)),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      timeout: Duration.minutes(2),
      vpc: props.vpc,
      vpcSubnets: props.privateSubnets,
      securityGroups: [securityGroup],
      bundling: { format: nodejs.OutputFormat.ESM },
    });
    const topicArns = props.topics.map((topic) => this.topicArn(topic.name));
    // "Common use cases for client authorization policy": create a topic, alter it, update its
    // configuration.
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ConnectToKafka',
        actions: ['kafka-cluster:Connect'],
        resources: [this.clusterArn],
      }),
    );
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ManageOwnTopics',
        actions: [
          'kafka-cluster:CreateTopic',
          'kafka-cluster:DescribeTopic',
          'kafka-cluster:AlterTopic',
          'kafka-cluster:DescribeTopicDynamicConfiguration',
          'kafka-cluster:AlterTopicDynamicConfiguration',
        ],
        resources: topicArns,
      }),
    );
    const provider = new cr.Provider(this, 'TopicsProvider', { onEventHandler: fn });
    const topics = new CustomResource(this, 'Topics', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::KafkaTopics',
      properties: {
        BootstrapBrokers: this.bootstrapBrokers,
        Region: Stack.of(this).region,
        Topics: props.topics.map((topic) => ({
          name: topic.name,
          partitions: topic.partitions,
          retentionMs: topic.retentionHours * 3_600_000,
        })),
      },
    });
    acknowledgeVpcCustomResource(fn, provider, {
      name: 'topic bootstrap function',
      inVpcTo: 'to reach the brokers',
    });
    return topics;
  }

  allowClientsFrom(client: ec2.ISecurityGroup): void {
    this.securityGroup.connections.allowFrom(
      client,
      ec2.Port.tcp(MSK_IAM_PORT),
      'Kafka (IAM auth)',
    );
  }
}

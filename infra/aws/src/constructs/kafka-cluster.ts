import { Fn } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as msk from 'aws-cdk-lib/aws-msk';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledgeAwsCustomResourceHandler } from './aws-custom-resource-handler.ts';

export interface KafkaClusterProps {
  readonly clusterName: string;
  readonly vpc: ec2.IVpc;
  readonly privateSubnets: ec2.SubnetSelection;
  /** The topic the order service writes to. */
  readonly topicName: string;
}

/** MSK Serverless port for IAM-authenticated clients. */
export const MSK_IAM_PORT = 9098;

/**
 * An MSK Serverless cluster with IAM authentication (the only mode MSK Serverless offers), reachable
 * on port 9098 from security groups passed to `allowClientsFrom`.
 */
export class KafkaCluster extends Construct {
  readonly cluster: msk.CfnServerlessCluster;
  readonly securityGroup: ec2.SecurityGroup;
  readonly clusterArn: string;
  /** ARN of `topicName` in this cluster, for IAM policies. */
  readonly topicArn: string;
  /** `host:9098,...` for IAM clients (a deploy-time value: CloudFormation has no attribute for it). */
  readonly bootstrapBrokers: string;

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
    // arn:...:cluster/<name>/<uuid> -> arn:...:topic/<name>/<uuid>/<topic>
    const [arnPrefix, nameAndUuid] = [0, 1].map((part) =>
      Fn.select(part, Fn.split(':cluster/', this.clusterArn)),
    );
    this.topicArn = Fn.join('', [
      arnPrefix ?? '',
      ':topic/',
      nameAndUuid ?? '',
      '/',
      props.topicName,
    ]);
    this.bootstrapBrokers = this.lookUpBootstrapBrokers();
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

  allowClientsFrom(client: ec2.ISecurityGroup): void {
    this.securityGroup.connections.allowFrom(
      client,
      ec2.Port.tcp(MSK_IAM_PORT),
      'Kafka (IAM auth)',
    );
  }
}

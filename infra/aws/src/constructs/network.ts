import type { RemovalPolicy } from 'aws-cdk-lib';
import { Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledgeAwsCustomResourceHandler } from './aws-custom-resource-handler.ts';
import type { NetworkConfig } from '../config/environment-config.ts';

export interface NetworkProps {
  readonly config: NetworkConfig;
  /** What happens to the flow logs when the stack is deleted. */
  readonly removalPolicy: RemovalPolicy;
}

/** Interface endpoints pods need to run without the internet (S3 is a gateway endpoint). */
const interfaceEndpoints = {
  EcrApi: ec2.InterfaceVpcEndpointAwsService.ECR,
  EcrDocker: ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
  Sts: ec2.InterfaceVpcEndpointAwsService.STS,
  SecretsManager: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
  CloudWatchLogs: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
  EventBridge: ec2.InterfaceVpcEndpointAwsService.EVENTBRIDGE,
} as const;

/**
 * The VPC: public subnets for NAT only, private subnets (with NAT) for pods, isolated subnets for the
 * database, VPC endpoints for the AWS APIs the pods call, and flow logs. With `existingVpc` the VPC is
 * imported by id instead (its owner provides endpoints and flow logs).
 */
export class Network extends Construct {
  readonly vpc: ec2.IVpc;
  /** Subnets for pods, the kubectl handler and Lambda functions. */
  readonly privateSubnets: ec2.SubnetSelection;
  /** Subnets without a route to the internet, for the database. */
  readonly isolatedSubnets: ec2.SubnetSelection;
  /** The security group of the interface endpoints (pods need 443 to it). */
  readonly endpointSecurityGroup?: ec2.ISecurityGroup;
  /** The VPC's CIDR as a literal (security group rules and cdk-nag need a plain value). */
  readonly vpcCidr: string;
  /**
   * The AWS-managed prefix list of S3 in this region, which the S3 gateway endpoint routes to (ECR
   * image layers are downloaded from S3). Looked up at deploy time: CloudFormation has no attribute
   * for it.
   */
  readonly s3PrefixListId: string;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const { config } = props;
    this.privateSubnets = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
    this.isolatedSubnets = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    this.s3PrefixListId = this.lookUpS3PrefixList();

    if (config.existingVpc) {
      const existing = config.existingVpc;
      this.vpcCidr = existing.vpcCidrBlock;
      this.vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
        vpcId: existing.vpcId,
        vpcCidrBlock: existing.vpcCidrBlock,
        availabilityZones: [...existing.availabilityZones],
        privateSubnetIds: [...existing.privateSubnetIds],
        isolatedSubnetIds: [...existing.isolatedSubnetIds],
      });
      return;
    }

    this.vpcCidr = config.vpcCidr;
    const vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(config.vpcCidr),
      availabilityZones: [...config.availabilityZones],
      natGateways: config.natGateways,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        // Every Fargate pod takes an IP of its own: give pods room to grow.
        { name: 'pods', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 19 },
        { name: 'database', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
      gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
    });
    vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(
        new logs.LogGroup(this, 'FlowLogGroup', {
          retention: config.flowLogRetentionDays as logs.RetentionDays,
          removalPolicy: props.removalPolicy,
        }),
      ),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });

    const endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc,
      description: 'Interface VPC endpoints: HTTPS from inside the VPC',
      allowAllOutbound: false,
    });
    endpointSecurityGroup.addIngressRule(
      ec2.Peer.ipv4(config.vpcCidr),
      ec2.Port.tcp(443),
      'HTTPS from workloads in the VPC',
    );
    for (const [name, service] of Object.entries(interfaceEndpoints)) {
      vpc.addInterfaceEndpoint(name, {
        service,
        subnets: this.privateSubnets,
        securityGroups: [endpointSecurityGroup],
        privateDnsEnabled: true,
        // The group above already admits HTTPS from the VPC CIDR.
        open: false,
      });
    }
    this.vpc = vpc;
    this.endpointSecurityGroup = endpointSecurityGroup;
  }

  private lookUpS3PrefixList(): string {
    const call: cr.AwsSdkCall = {
      service: 'EC2',
      action: 'describePrefixLists',
      parameters: {
        Filters: [
          { Name: 'prefix-list-name', Values: [`com.amazonaws.${Stack.of(this).region}.s3`] },
        ],
      },
      physicalResourceId: cr.PhysicalResourceId.of(`s3-prefix-list-${Stack.of(this).region}`),
      outputPaths: ['PrefixLists.0.PrefixListId'],
    };
    const lookup = new cr.AwsCustomResource(this, 'S3PrefixList', {
      onCreate: call,
      onUpdate: call,
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({
        resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE,
      }),
      installLatestAwsSdk: false,
    });
    acknowledgeAwsCustomResourceHandler(this);
    Validations.of(lookup).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'ec2:DescribePrefixLists is a read-only list action without resource-level permissions; it is the only action of this lookup.',
    });
    return lookup.getResponseField('PrefixLists.0.PrefixListId');
  }
}

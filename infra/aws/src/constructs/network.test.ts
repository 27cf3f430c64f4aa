import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { dev } from '../config/dev.ts';
import { environmentNames, resourcesOf, synthesized } from '../testing/synthesized.ts';
import { Network } from './network.ts';

describe.each(environmentNames)('network (%s)', (env) => {
  const { template, config } = synthesized(env);
  const azCount = config.network.availabilityZones.length;
  const subnets = Object.values(resourcesOf(template, 'AWS::EC2::Subnet'));
  const subnetsNamed = (name: string) =>
    subnets.filter((s) => JSON.stringify(s.Properties?.['Tags']).includes(`"Value":"${name}"`));

  it(`spreads public, pod and database subnets over ${env === 'dev' ? 2 : 3} AZs`, () => {
    expect(azCount).toBe(env === 'dev' ? 2 : 3);
    for (const tier of ['public', 'pods', 'database']) {
      const inTier = subnetsNamed(tier);
      expect(inTier, tier).toHaveLength(azCount);
      expect(new Set(inTier.map((s) => s.Properties?.['AvailabilityZone']))).toEqual(
        new Set(config.network.availabilityZones),
      );
    }
  });

  it(`runs ${env === 'dev' ? 'one NAT gateway' : 'one NAT gateway per AZ'}`, () => {
    template.resourceCountIs('AWS::EC2::NatGateway', env === 'dev' ? 1 : 3);
  });

  it('gives database subnets no route to the internet', () => {
    const databaseSubnetIds = Object.entries(resourcesOf(template, 'AWS::EC2::Subnet'))
      .filter(([, s]) => JSON.stringify(s.Properties?.['Tags']).includes('"Value":"database"'))
      .map(([id]) => id);
    const databaseRouteTables = Object.values(
      resourcesOf(template, 'AWS::EC2::SubnetRouteTableAssociation'),
    )
      .filter((a) =>
        databaseSubnetIds.includes((a.Properties?.['SubnetId'] as { Ref: string }).Ref),
      )
      .map((a) => JSON.stringify(a.Properties?.['RouteTableId']));
    expect(databaseRouteTables).toHaveLength(azCount);
    const routedTables = Object.values(resourcesOf(template, 'AWS::EC2::Route')).map((r) =>
      JSON.stringify(r.Properties?.['RouteTableId']),
    );
    expect(routedTables.filter((table) => databaseRouteTables.includes(table))).toEqual([]);
  });

  it('reaches ECR, S3, STS, Secrets Manager, CloudWatch Logs and EventBridge through VPC endpoints', () => {
    const services = Object.values(resourcesOf(template, 'AWS::EC2::VPCEndpoint')).map((e) =>
      JSON.stringify(e.Properties?.['ServiceName']),
    );
    for (const service of [
      'ecr.api',
      'ecr.dkr',
      '.s3',
      'sts',
      'secretsmanager',
      'logs',
      'events',
    ]) {
      expect(
        services.some((name) => name.includes(service)),
        service,
      ).toBe(true);
    }
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Interface',
      PrivateDnsEnabled: true,
    });
  });

  // ECR keeps image layers in S3 ("Amazon ECR interface VPC endpoints (AWS PrivateLink)": pulls
  // need the S3 gateway endpoint), so the pods' group admits the S3 prefix list, which CloudFormation
  // cannot name: it is looked up at deploy time.
  it('looks up the S3 prefix list of the region at deploy time, for the pods to pull image layers', () => {
    const lookups = Object.values(resourcesOf(template, 'Custom::AWS')).map((r) =>
      JSON.stringify(r.Properties?.['Create']),
    );
    expect(lookups).toContainEqual(
      expect.stringContaining(
        `\\"action\\":\\"describePrefixLists\\",\\"parameters\\":{\\"Filters\\":[{\\"Name\\":\\"prefix-list-name\\",\\"Values\\":[\\"com.amazonaws.${config.region}.s3\\"]}]}`,
      ),
    );
  });

  it('records all traffic in flow logs', () => {
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'VPC',
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
    });
  });
});

describe('network with an existing VPC', () => {
  it('imports the VPC by id and creates no VPC, subnets or endpoints', () => {
    const stack = new Stack(new App(), 'Existing', {
      env: { account: dev.account, region: dev.region },
    });
    const network = new Network(stack, 'Network', {
      removalPolicy: RemovalPolicy.DESTROY,
      config: {
        ...dev.network,
        existingVpc: {
          vpcId: 'vpc-0123456789abcdef0',
          vpcCidrBlock: '10.9.0.0/16',
          availabilityZones: ['eu-central-1a', 'eu-central-1b'],
          privateSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0aaaaaaaaaaaaaaa2'],
          isolatedSubnetIds: ['subnet-0bbbbbbbbbbbbbbb1', 'subnet-0bbbbbbbbbbbbbbb2'],
        },
      },
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::VPC', 0);
    template.resourceCountIs('AWS::EC2::Subnet', 0);
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
    expect(network.vpc.vpcId).toBe('vpc-0123456789abcdef0');
    expect(network.vpcCidr).toBe('10.9.0.0/16');
    expect(network.vpc.selectSubnets(network.isolatedSubnets).subnetIds).toEqual([
      'subnet-0bbbbbbbbbbbbbbb1',
      'subnet-0bbbbbbbbbbbbbbb2',
    ]);
  });
});

import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { environmentNames, resourcesOf, synthesized } from '../testing/synthesized.ts';

describe.each(environmentNames)('order-service pod security group (%s)', (env) => {
  const { template, config, stack } = synthesized(env);
  const podGroupId = stack.getLogicalId(stack.podSecurityGroup.node.defaultChild as CfnElement);
  const podGroup = resourcesOf(template, 'AWS::EC2::SecurityGroup')[podGroupId];
  const egress = (podGroup?.Properties?.['SecurityGroupEgress'] ?? []) as Record<string, unknown>[];

  it('admits the service port (internal ALB) and the metrics port (scrapers) from the VPC, nothing else', () => {
    expect(podGroup?.Properties?.['SecurityGroupIngress']).toEqual([
      expect.objectContaining({ CidrIp: config.network.vpcCidr, FromPort: 4200, ToPort: 4200 }),
      expect.objectContaining({ CidrIp: config.network.vpcCidr, FromPort: 9464, ToPort: 9464 }),
    ]);
  });

  it('may reach DNS, the VPC endpoints, the JWKS, the four peers, the database and the collector, each on its own port', () => {
    const separateEgress = Object.values(resourcesOf(template, 'AWS::EC2::SecurityGroupEgress'))
      .map((rule) => rule.Properties ?? {})
      .filter((rule) => JSON.stringify(rule['GroupId']).includes(podGroupId));
    const rules = [...egress, ...separateEgress];
    const ports = rules.map((rule) => `${String(rule['IpProtocol'])}/${String(rule['FromPort'])}`);
    expect(ports.sort()).toEqual([
      'tcp/4100',
      'tcp/4317',
      'tcp/4318',
      'tcp/4400',
      'tcp/443',
      'tcp/443',
      'tcp/4500',
      'tcp/4800',
      'tcp/53',
      'tcp/5432',
      'udp/53',
    ]);
    expect(rules.find((rule) => rule['FromPort'] === 443 && !rule['CidrIp'])).toMatchObject({
      DestinationSecurityGroupId: {
        'Fn::GetAtt': [expect.stringMatching(/^NetworkEndpointSecurityGroup/), 'GroupId'],
      },
    });
    expect(rules.find((rule) => rule['FromPort'] === 5432)).toMatchObject({
      DestinationSecurityGroupId: {
        'Fn::GetAtt': [expect.stringMatching(/^DatabaseSecurityGroup/), 'GroupId'],
      },
    });
    // The one rule to the internet: HTTPS for Cognito's JWKS, which no VPC endpoint serves for a user
    // pool with a domain ("Access Amazon Cognito user pools using an interface endpoint (AWS
    // PrivateLink)", Amazon Cognito Developer Guide: user pools with a domain are incompatible with it).
    expect(rules.filter((rule) => rule['CidrIp'] === '0.0.0.0/0')).toEqual([
      expect.objectContaining({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }),
    ]);
  });

  it('creates no Cognito interface endpoint, since the pool has a domain (see above)', () => {
    const endpoints = Object.values(resourcesOf(template, 'AWS::EC2::VPCEndpoint'));
    expect(JSON.stringify(endpoints)).not.toContain('cognito-idp');
    template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
  });

  it('exports the cluster security group too (Fargate pods also need it for the control plane)', () => {
    template.hasOutput('ClusterSecurityGroupId', {
      Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Cluster'), 'ClusterSecurityGroupId'] },
    });
  });
});

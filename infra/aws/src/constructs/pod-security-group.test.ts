import { readFileSync } from 'node:fs';
import type { CfnElement } from 'aws-cdk-lib';
import type { AdotCollector } from './observability/adot-collector.ts';
import { describe, expect, it } from 'vitest';
import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import { intrinsicText, manifestObjects, tokenText } from '../testing/kubernetes-manifest.ts';
import {
  markdownTableAfter,
  ruleText,
  rulesAddedTo,
  rulesOfGroup,
  type PeerNamer,
} from '../testing/security-group-rules.ts';
import {
  environmentNames,
  resourcesOf,
  synthesized,
  synthesizedWithMsk,
  type PlatformSynthesis,
} from '../testing/synthesized.ts';

const tableMarker = '<!-- order-service pod security groups:';
const collectorTableMarker = '<!-- adot collector security group:';
const infrastructureDoc = readFileSync(
  new URL('../../../../docs/infrastructure.md', import.meta.url),
  'utf8',
);

/** What each peer is called in docs/infrastructure.md, recognised from its CloudFormation value. */
function peerNamer({ config }: PlatformSynthesis): PeerNamer {
  const groups: [RegExp, string][] = [
    [/^LoadBalancerSecurityGroup/, 'ALB security group'],
    [/^DatabaseSecurityGroup/, 'database security group'],
    [/^NetworkEndpointSecurityGroup/, 'VPC endpoints security group'],
    [/^KafkaSecurityGroup/, 'MSK security group'],
    [/^AdotCollectorSecurityGroup/, 'ADOT collector security group'],
    [/^PodSecurityGroup/, 'order-service pod security group'],
  ];
  return (rule) => {
    if (rule['CidrIp'] === config.network.vpcCidr) return 'VPC CIDR';
    if (rule['CidrIp'] === '0.0.0.0/0') return '0.0.0.0/0';
    if (JSON.stringify(rule['DestinationPrefixListId'] ?? '').includes('S3PrefixList')) {
      return 'S3 prefix list';
    }
    const group = (rule['SourceSecurityGroupId'] ?? rule['DestinationSecurityGroupId']) as
      { 'Fn::GetAtt'?: [string, string] } | undefined;
    const [logicalId, attribute] = group?.['Fn::GetAtt'] ?? [];
    if (attribute === 'ClusterSecurityGroupId') return 'cluster security group';
    const named = groups.find(([pattern]) => pattern.test(logicalId ?? ''));
    return named?.[1] ?? `unnamed peer ${JSON.stringify(rule)}`;
  };
}

/** The table rows that apply to this configuration, as rule texts. */
function documentedRules({ config }: PlatformSynthesis): string[] {
  return markdownTableAfter(infrastructureDoc, tableMarker)
    .filter(([, , , , , when]) => when === '' || config.events.mskServerless)
    .map(([direction, protocol, port, peer]) => `${direction} ${protocol} ${port} ${peer}`)
    .sort();
}

/** The collector table's rows, as rule texts. */
function documentedCollectorRules(): string[] {
  return markdownTableAfter(infrastructureDoc, collectorTableMarker)
    .map(([direction, protocol, port, peer]) => `${direction} ${protocol} ${port} ${peer}`)
    .sort();
}

/** The security groups a SecurityGroupPolicy attaches, as logical ids of template resources. */
function attachedGroups(
  { stack, template }: PlatformSynthesis,
  manifest: eks.KubernetesManifest = stack.workload!.prerequisites,
): string[] {
  const policy = manifestObjects(template, stack, manifest).find(
    (o) => o.kind === 'SecurityGroupPolicy',
  ) as unknown as { spec: { securityGroups: { groupIds: string[] } } };
  const groups = resourcesOf(template, 'AWS::EC2::SecurityGroup');
  return policy.spec.securityGroups.groupIds.map((id) => {
    const logicalId = Object.keys(groups).find(
      (candidate) => intrinsicText({ 'Fn::GetAtt': [candidate, 'GroupId'] }) === id,
    );
    if (!logicalId) throw new Error(`${id} is not a security group of this template`);
    return logicalId;
  });
}

describe.each([
  ...environmentNames.map((env) => [env, () => synthesized(env)] as const),
  ['prod with MSK', () => synthesizedWithMsk('prod')] as const,
])('what an order-service pod may reach (%s)', (_name, synth) => {
  const synthesis = synth();
  const { stack, template, config } = synthesis;
  const groups = attachedGroups(synthesis);
  const name = peerNamer(synthesis);

  // Rules of several groups are a union ("the combination of all the rules in all the security
  // groups are effective for the selected Pods": AWS, "Use a security group policy for an Amazon EKS
  // Pod"), so the test takes every group the policy attaches together.
  it('is exactly the table in docs/infrastructure.md (rules of all attached groups together)', () => {
    const union = groups.flatMap((group) => rulesOfGroup(template, group, name));
    expect(union.map(ruleText).sort()).toEqual(documentedRules(synthesis));
  });

  // AWS, "View Amazon EKS security group requirements for clusters": the cluster group admits all
  // traffic from its members and EKS recreates that inbound rule, so attaching it would open every
  // port of the pod to every pod in the cluster.
  it('does not include the EKS cluster security group', () => {
    const policy = manifestObjects(template, stack, stack.workload!.prerequisites)[0];
    expect(JSON.stringify(policy)).not.toContain(
      tokenText(stack, stack.cluster.clusterSecurityGroupId),
    );
    expect(groups).toEqual([
      stack.getLogicalId(stack.podSecurityGroup.node.defaultChild as CfnElement),
    ]);
  });

  // AWS, "Route application and HTTP traffic with Application Load Balancers": with several groups on
  // an interface, exactly one may carry the kubernetes.io/cluster/<cluster> tag.
  it('carries exactly one group tagged for the cluster, for the Load Balancer Controller', () => {
    const tagged = groups.filter((group) =>
      JSON.stringify(
        resourcesOf(template, 'AWS::EC2::SecurityGroup')[group]?.Properties?.['Tags'],
      ).includes(`"Key":"kubernetes.io/cluster/${config.cluster.clusterName}","Value":"shared"`),
    );
    expect(tagged).toHaveLength(1);
  });

  // The one rule to the internet: HTTPS for Cognito's JWKS, which no VPC endpoint serves for a user
  // pool with a domain ("Access Amazon Cognito user pools using an interface endpoint (AWS
  // PrivateLink)", Amazon Cognito Developer Guide: user pools with a domain are incompatible with it).
  it('reaches the internet only on HTTPS, for the identity provider’s JWKS', () => {
    const union = groups.flatMap((group) => rulesOfGroup(template, group, name));
    expect(union.map(ruleText).filter((rule) => rule.endsWith(' 0.0.0.0/0'))).toEqual([
      'out tcp 443 0.0.0.0/0',
    ]);
  });

  it('creates no Cognito interface endpoint, since the pool has a domain (see above)', () => {
    const endpoints = Object.values(resourcesOf(template, 'AWS::EC2::VPCEndpoint'));
    expect(JSON.stringify(endpoints)).not.toContain('cognito-idp');
    template.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
  });

  // "They must have rules that allow the Pods to communicate with the Kubernetes control plane if
  // you're using the security group with Fargate" and "allow outbound communication over TCP and UDP
  // ports 53 to ... CoreDNS. The security group for your CoreDNS Pods must allow inbound ... from the
  // security group that you specify" (AWS, "Use a security group policy for an Amazon EKS Pod").
  it('is admitted by the cluster group for the API server, CoreDNS and peers, and nothing else', () => {
    const added = rulesAddedTo(
      template,
      stack.resolve(stack.cluster.clusterSecurityGroupId),
      (rule) => {
        const source = JSON.stringify(rule['SourceSecurityGroupId']);
        if (source.includes('PodSecurityGroup')) return 'order-service pods';
        if (source.includes('AdotCollectorSecurityGroup')) return 'ADOT collector pods';
        return JSON.stringify(rule);
      },
    );
    expect(added.map(ruleText).sort()).toEqual(
      [
        'in tcp 443 order-service pods',
        'in udp 53 order-service pods',
        'in tcp 53 order-service pods',
        ...config.peerPorts.map((port) => `in tcp ${port} order-service pods`),
        // The collector's group carries the same control-plane rules (it has no cluster group either).
        'in tcp 443 ADOT collector pods',
        'in udp 53 ADOT collector pods',
        'in tcp 53 ADOT collector pods',
      ].sort(),
    );
  });

  it('puts the ALB behind a group that admits HTTPS from the VPC and reaches only the pods', () => {
    const alb = stack.getLogicalId(stack.loadBalancerSecurityGroup.node.defaultChild as CfnElement);
    const rules = rulesOfGroup(template, alb, (rule) =>
      rule['CidrIp'] === config.network.vpcCidr
        ? 'VPC CIDR'
        : JSON.stringify(rule['DestinationSecurityGroupId']).includes('PodSecurityGroup')
          ? 'order-service pods'
          : JSON.stringify(rule),
    );
    expect(rules.map(ruleText).sort()).toEqual(
      ['in tcp 443 VPC CIDR', 'in tcp 80 VPC CIDR', 'out tcp 4200 order-service pods'].sort(),
    );
  });
});

describe.each(environmentNames)('what an ADOT collector pod may reach (%s)', (env) => {
  const synthesis = synthesized(env);
  const { stack, template } = synthesis;
  const collector = stack.node.findChild('AdotCollector') as AdotCollector;
  const groups = attachedGroups(synthesis, collector.securityGroupPolicy);

  // Same reasoning as the order-service pods: the cluster group would admit every pod of the cluster.
  it('carries only its own group, no EKS cluster security group', () => {
    expect(groups).toEqual([
      stack.getLogicalId(collector.securityGroup.node.defaultChild as CfnElement),
    ]);
  });

  it('is exactly the collector table in docs/infrastructure.md', () => {
    const rules = groups.flatMap((group) => rulesOfGroup(template, group, peerNamer(synthesis)));
    expect(rules.map(ruleText).sort()).toEqual(documentedCollectorRules());
  });
});

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Aws, Stack, Validations } from 'aws-cdk-lib';
import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

interface StatementJson {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: string | string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}

/** The controller's IAM policy as published upstream and bundled with aws-cdk-lib. */
export function upstreamControllerPolicy(version: string): StatementJson[] {
  const lib = dirname(createRequire(import.meta.url).resolve('aws-cdk-lib/package.json'));
  const file = join(lib, 'aws-eks-v2', 'lib', 'addons', `alb-iam_policy-v${version}.json`);
  return (JSON.parse(readFileSync(file, 'utf8')) as { Statement: StatementJson[] }).Statement;
}

/**
 * One concern of the controller's permissions: the actions it covers and what may honestly be said
 * about them (the cdk-nag acknowledgement of exactly this policy).
 */
interface Concern {
  readonly id: string;
  /** Whether this concern takes the action, granted on these resources. */
  readonly covers: (action: string, resources: readonly string[]) => boolean;
  readonly reason: string;
}

const securityGroupRules = ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'];

/** In order: the first concern that covers an action takes it. */
const concerns: readonly Concern[] = [
  {
    id: 'SecurityGroupRules',
    covers: (action) => securityGroupRules.includes(action),
    reason:
      'ec2:AuthorizeSecurityGroupIngress and ec2:RevokeSecurityGroupIngress on * (security group ids are not known in advance), constrained here to security groups of this VPC (ec2:Vpc); upstream, one statement grants them unconditioned and another only on groups tagged elbv2.k8s.aws/cluster.',
  },
  {
    id: 'SecurityGroups',
    covers: (action) =>
      [
        'ec2:CreateSecurityGroup',
        'ec2:DeleteSecurityGroup',
        'ec2:CreateTags',
        'ec2:DeleteTags',
      ].includes(action),
    reason:
      'ec2:CreateSecurityGroup on * is unconditioned (upstream policy; unused here because the Ingress names the platform ALB group); DeleteSecurityGroup and tag changes apply only to groups tagged elbv2.k8s.aws/cluster.',
  },
  {
    id: 'ListenersAndRules',
    covers: (action, resources) =>
      (/elasticloadbalancing:(AddTags|RemoveTags)$/.test(action) &&
        resources.every((resource) => /:listener(-rule)?\//.test(resource))) ||
      [
        'elasticloadbalancing:CreateListener',
        'elasticloadbalancing:DeleteListener',
        'elasticloadbalancing:CreateRule',
        'elasticloadbalancing:DeleteRule',
        'elasticloadbalancing:ModifyListener',
        'elasticloadbalancing:ModifyRule',
        'elasticloadbalancing:SetRulePriorities',
        'elasticloadbalancing:AddListenerCertificates',
        'elasticloadbalancing:RemoveListenerCertificates',
        'elasticloadbalancing:SetWebAcl',
      ].includes(action),
    reason:
      'Listener and rule changes (CreateListener, DeleteListener, CreateRule, DeleteRule, ModifyListener, ModifyRule, SetRulePriorities, AddListenerCertificates, RemoveListenerCertificates, SetWebAcl) are unconditioned on * in the upstream policy, and AddTags and RemoveTags unconditioned on any listener or rule ARN: listeners are created by the controller and carry no condition key that limits them to its load balancers.',
  },
  {
    id: 'Targets',
    covers: (action) =>
      ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'].includes(
        action,
      ),
    reason:
      'RegisterTargets and DeregisterTargets on any target group (targetgroup/*/*), unconditioned in the upstream policy: the controller registers pod IPs in the target groups it created.',
  },
  {
    id: 'LoadBalancers',
    covers: (action) => action.startsWith('elasticloadbalancing:') && !/:Describe/.test(action),
    reason:
      'Load balancers and target groups: created only with the elbv2.k8s.aws/cluster request tag, changed and deleted only when they carry that tag (upstream conditions); their names are not known in advance, hence the wildcards.',
  },
  {
    id: 'WebAclsAndShield',
    covers: (action) =>
      [
        'waf-regional:AssociateWebACL',
        'waf-regional:DisassociateWebACL',
        'wafv2:AssociateWebACL',
        'wafv2:DisassociateWebACL',
        'shield:CreateProtection',
        'shield:DeleteProtection',
      ].includes(action),
    reason:
      'waf-regional and wafv2 AssociateWebACL and DisassociateWebACL, shield CreateProtection and DeleteProtection on * are unconditioned in the upstream policy; this platform sets no WAF or Shield annotations, so the controller does not call them.',
  },
  {
    id: 'ServiceLinkedRole',
    covers: (action) => action === 'iam:CreateServiceLinkedRole',
    reason:
      'iam:CreateServiceLinkedRole on *, only for elasticloadbalancing.amazonaws.com (iam:AWSServiceName condition).',
  },
  {
    id: 'Discovery',
    covers: () => true,
    reason:
      'Read-only discovery (EC2 and ELB Describe*, ACM, IAM server certificates, Cognito, WAF and Shield reads, tag:GetResources) on *: these reads take no resource ARN.',
  },
];

export interface LoadBalancerControllerPolicyProps {
  readonly controller: eks.AlbController;
  readonly version: string;
  readonly vpcId: string;
}

/**
 * The AWS Load Balancer Controller's permissions, as the upstream policy bundled with aws-cdk-lib,
 * split by concern into managed policies so each cdk-nag acknowledgement covers only the statements
 * it describes, and with security group rule changes constrained to this VPC. The controller itself
 * is installed with an empty policy (cluster.ts) and gets these instead.
 */
export class LoadBalancerControllerPolicy extends Construct {
  readonly policies: iam.ManagedPolicy[];

  constructor(scope: Construct, id: string, props: LoadBalancerControllerPolicyProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const vpcArn = `arn:${Aws.PARTITION}:ec2:${stack.region}:${stack.account}:vpc/${props.vpcId}`;
    const role = (props.controller.node.findChild('alb-sa') as eks.ServiceAccount).role;
    const grouped = new Map<Concern, iam.PolicyStatement[]>();
    for (const statement of upstreamControllerPolicy(props.version)) {
      const resources = [statement.Resource].flat();
      // Each action goes to the first concern that covers it, with the statement's resources and
      // conditions (plus ec2:Vpc for security group rules).
      for (const concern of concerns) {
        const actions = [statement.Action]
          .flat()
          .filter((action) => concerns.find((c) => c.covers(action, resources)) === concern);
        if (actions.length === 0) continue;
        const condition =
          concern.id === 'SecurityGroupRules'
            ? { ...statement.Condition, ArnEquals: { 'ec2:Vpc': vpcArn } }
            : statement.Condition;
        const list = grouped.get(concern) ?? [];
        list.push(
          iam.PolicyStatement.fromJson({
            Effect: statement.Effect,
            Action: actions,
            Resource: resources.map((resource) =>
              resource.replace('arn:aws:', `arn:${Aws.PARTITION}:`),
            ),
            ...(condition ? { Condition: condition } : {}),
          }),
        );
        grouped.set(concern, list);
      }
    }
    this.policies = [...grouped].map(([concern, statements]) => {
      const policy = new iam.ManagedPolicy(this, concern.id, {
        description: `AWS Load Balancer Controller: ${concern.id}`,
        roles: [role],
        statements,
      });
      const wildcards = new Set(
        statements.flatMap((s) => s.resources).filter((resource) => resource.includes('*')),
      );
      Validations.of(policy).acknowledge(
        ...[...wildcards].map((resource) => ({
          id: `AwsSolutions-IAM5[Resource::${resource.replace(Aws.PARTITION, '<AWS::Partition>')}]`,
          reason: concern.reason,
        })),
      );
      return policy;
    });
    // The controller starts (Helm waits for it) only with its permissions in place.
    props.controller.node.findChild('Resource').node.addDependency(...this.policies);
  }
}

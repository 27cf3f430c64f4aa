import { Validations, type CfnElement } from 'aws-cdk-lib';
import type * as eks from 'aws-cdk-lib/aws-eks-v2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import {
  environmentNames,
  resourcesOf,
  statementsOfRole,
  synthesized,
} from '../testing/synthesized.ts';
import {
  LoadBalancerControllerPolicy,
  upstreamControllerPolicy,
} from './load-balancer-controller-policy.ts';

interface Statement {
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

describe.each(environmentNames)('AWS Load Balancer Controller permissions (%s)', (env) => {
  const { stack, template, config } = synthesized(env);
  const construct = stack.node
    .findAll()
    .find((c): c is LoadBalancerControllerPolicy => c instanceof LoadBalancerControllerPolicy)!;
  const statementsOf = (policy: iam.ManagedPolicy) =>
    (
      resourcesOf(template, 'AWS::IAM::ManagedPolicy')[
        stack.getLogicalId(policy.node.defaultChild as CfnElement)
      ]?.Properties?.['PolicyDocument'] as { Statement: Statement[] }
    ).Statement;
  const all = construct.policies.flatMap(statementsOf);
  const actions = (statements: Statement[]) => statements.flatMap((s) => [s.Action].flat());

  it('grants what the upstream policy grants, action for action, and nothing inline', () => {
    const upstream = upstreamControllerPolicy(config.cluster.albControllerVersion);
    expect(new Set(actions(all))).toEqual(new Set(actions(upstream as Statement[])));
    const role = (stack.cluster.albController!.node.findChild('alb-sa') as eks.ServiceAccount)
      .role as iam.Role;
    expect(
      statementsOfRole(template, stack.getLogicalId(role.node.defaultChild as CfnElement)),
    ).toEqual([]);
  });

  // "Amazon VPC policy examples" (Manage security group rules): ec2:Vpc scopes security group rule
  // changes to the groups of one VPC. Upstream, one statement grants these on * with no condition.
  it('changes security group rules only in this VPC', () => {
    const sgRules = all.filter((s) => actions([s]).some((a) => /SecurityGroupIngress$/.test(a)));
    expect(sgRules.length).toBeGreaterThan(0);
    for (const statement of sgRules) {
      expect(JSON.stringify(statement.Condition?.['ArnEquals']?.['ec2:Vpc'])).toMatch(
        new RegExp(`:ec2:${config.region}:${config.account}:vpc/",\\{"Ref":"NetworkVpc`),
      );
    }
  });

  // Each acknowledgement covers one managed policy, and it names every action that policy grants on
  // a wildcard resource without any condition: a reason cannot claim conditions that are not there.
  it('acknowledges each policy with a reason that names its unconditioned wildcard actions', () => {
    for (const policy of construct.policies) {
      const reasons = policy.node.metadata
        .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((entry) => Object.values(entry.data as Record<string, string>));
      expect(reasons.length, policy.node.id).toBeGreaterThan(0);
      const unconditioned = statementsOf(policy)
        .filter((s) => s.Condition === undefined && JSON.stringify(s.Resource).includes('*'))
        .flatMap((s) => actions([s]))
        .filter((a) => !/:(Describe|Get|List)/.test(a));
      for (const reason of reasons) {
        for (const action of unconditioned) {
          expect(reason, `${policy.node.id}: ${action}`).toContain(action.split(':')[1]);
        }
        if (unconditioned.length > 0) expect(reason).toMatch(/unconditioned/);
      }
    }
  });
});

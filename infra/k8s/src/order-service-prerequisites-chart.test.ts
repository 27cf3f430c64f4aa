import { Testing } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { devChartProps } from './config/dev.ts';
import { OrderServiceChart } from './order-service-chart.ts';
import { OrderServicePrerequisitesChart } from './order-service-prerequisites-chart.ts';

const kindsOf = (objects: { kind: string }[]) => objects.map((object) => object.kind);

describe('what must exist before the first order-service pod', () => {
  // AWS, "Use a security group policy for an Amazon EKS Pod": "Security group policies only apply to
  // newly scheduled Pods. They do not affect running Pods." So the policy is its own chart, applied
  // before the workload chart (infra/aws turns that into a CloudFormation dependency).
  it('is the SecurityGroupPolicy (and the Namespace when the chart manages it), in its own chart', () => {
    const prerequisites = Testing.synth(
      new OrderServicePrerequisitesChart(Testing.app(), 'p', devChartProps),
    );
    expect(kindsOf(prerequisites)).toEqual(['Namespace', 'SecurityGroupPolicy']);
    const withoutNamespace = Testing.synth(
      new OrderServicePrerequisitesChart(Testing.app(), 'p', {
        ...devChartProps,
        manageNamespace: false,
      }),
    );
    expect(kindsOf(withoutNamespace)).toEqual(['SecurityGroupPolicy']);
  });

  it('leaves the workload chart without them, so it cannot be applied in one step with them', () => {
    const workload = Testing.synth(new OrderServiceChart(Testing.app(), 'w', devChartProps));
    expect(kindsOf(workload)).toContain('Deployment');
    expect(kindsOf(workload)).not.toContain('SecurityGroupPolicy');
    expect(kindsOf(workload)).not.toContain('Namespace');
  });
});

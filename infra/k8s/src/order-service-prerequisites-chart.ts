import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { OrderServiceNamespace } from './constructs/order-service-namespace.ts';
import { PodSecurityGroupPolicy } from './constructs/pod-security-group-policy.ts';
import type { OrderServiceChartProps } from './order-service-chart-props.ts';
import { assertValidProps } from './props-validation.ts';

/**
 * What must exist before the first order-service pod is created: Fargate attaches a pod's security
 * groups only at creation ("Security group policies only apply to newly scheduled Pods"), so the
 * SecurityGroupPolicy is applied on its own, before `OrderServiceChart` (and with it its Namespace
 * when the chart manages one).
 */
export class OrderServicePrerequisitesChart extends Chart {
  constructor(scope: Construct, id: string, props: OrderServiceChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    assertValidProps(props);
    if (props.manageNamespace) new OrderServiceNamespace(this, 'Namespace');
    new PodSecurityGroupPolicy(this, 'SecurityGroups', {
      envName: props.envName,
      securityGroupIds: props.podSecurityGroupIds,
    });
  }
}

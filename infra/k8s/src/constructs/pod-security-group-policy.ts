import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { orderService } from '../service-contract.ts';
import { commonLabels, namespaceName, podSelectorLabels } from './labels.ts';

export interface PodSecurityGroupPolicyProps {
  readonly envName: string;
  /** Pod security group and cluster security group (CDK tokens allowed). */
  readonly securityGroupIds: readonly string[];
}

/**
 * Security groups for pods: the traffic control Fargate actually enforces (NetworkPolicy is not
 * enforced for Fargate pods). The RDS and MSK groups admit the pod group; the cluster group keeps
 * the pods reachable from the control plane and CoreDNS.
 */
export class PodSecurityGroupPolicy extends Construct {
  constructor(scope: Construct, id: string, props: PodSecurityGroupPolicyProps) {
    super(scope, id);
    new ApiObject(this, 'Policy', {
      apiVersion: 'vpcresources.k8s.aws/v1beta1',
      kind: 'SecurityGroupPolicy',
      metadata: {
        name: orderService.name,
        namespace: namespaceName,
        labels: commonLabels(props.envName),
      },
      spec: {
        podSelector: { matchLabels: { ...podSelectorLabels } },
        securityGroups: { groupIds: [...props.securityGroupIds] },
      },
    });
  }
}

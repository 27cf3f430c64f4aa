import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { orderService } from '../service-contract.ts';
import { commonLabels, namespaceName, podSelectorLabels } from './labels.ts';

/**
 * Fargate patches its hosts by evicting pods; at most one order service pod may be evicted at a
 * time, so capacity never drops by more than one pod.
 */
export class OrderServiceDisruptionBudget extends Construct {
  constructor(scope: Construct, id: string, props: { readonly envName: string }) {
    super(scope, id);
    new k8s.KubePodDisruptionBudget(this, 'Budget', {
      metadata: {
        name: orderService.name,
        namespace: namespaceName,
        labels: commonLabels(props.envName),
      },
      spec: {
        maxUnavailable: k8s.IntOrString.fromNumber(1),
        selector: { matchLabels: { ...podSelectorLabels } },
        // Pods that never became ready may always be evicted (they serve nothing).
        unhealthyPodEvictionPolicy: 'AlwaysAllow',
      },
    });
  }
}

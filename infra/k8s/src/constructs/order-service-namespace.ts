import { Construct } from 'constructs';
import { Namespace } from 'cdk8s-plus-28';
import { namespaceName } from './labels.ts';

/**
 * Labels the order service Namespace must carry. The CDK app creates the Namespace itself when it owns
 * it, so it imports these labels instead of repeating them.
 */
/** Pod Security Admission: reject any pod that is not `restricted` (every namespace of ours). */
export const restrictedNamespaceLabels = {
  'pod-security.kubernetes.io/enforce': 'restricted',
  'pod-security.kubernetes.io/enforce-version': 'latest',
  'pod-security.kubernetes.io/warn': 'restricted',
  'pod-security.kubernetes.io/audit': 'restricted',
} as const;

export const orderServiceNamespaceLabels = {
  ...restrictedNamespaceLabels,
  // The AWS Load Balancer Controller injects a readiness gate, so a rollout waits for ALB health.
  'elbv2.k8s.aws/pod-readiness-gate-inject': 'enabled',
} as const;

export class OrderServiceNamespace extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new Namespace(this, 'Namespace', {
      metadata: { name: namespaceName, labels: { ...orderServiceNamespaceLabels } },
    });
  }
}

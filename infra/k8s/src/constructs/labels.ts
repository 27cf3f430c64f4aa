import { orderService } from '../service-contract.ts';

/**
 * The stable pod selector. Deliberately not cdk8s-plus's `cdk8s.io/metadata.addr` label: that one is
 * derived from the construct path, and a Deployment's selector is immutable, so renaming a construct
 * would make every later rollout fail.
 */
export const podSelectorLabels = {
  'app.kubernetes.io/name': orderService.name,
} as const;

/** Labels on every object; `part-of` lets platform dashboards group the Mallhive services. */
export function commonLabels(envName: string): Record<string, string> {
  return {
    ...podSelectorLabels,
    'app.kubernetes.io/part-of': 'mallhive',
    'app.kubernetes.io/managed-by': 'cdk8s',
    'mallhive.com/env': envName,
  };
}

export const namespaceName = orderService.name;

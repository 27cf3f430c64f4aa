import { describe, expect, it } from 'vitest';
import { deployRoleArn } from '../config/delivery.ts';
import {
  kubernetesResourceType,
  logicalIdsOf,
  manifestObjects,
} from '../testing/kubernetes-manifest.ts';
import { resourcesOf, synthesized } from '../testing/synthesized.ts';
import { rolloutReadersGroup, type RolloutGateAccess } from './rollout-gate-access.ts';

interface RbacRule {
  readonly apiGroups: string[];
  readonly resources: string[];
  readonly verbs: string[];
}

describe('the rollout gate access in the dev platform stack', () => {
  const { stack, template, config } = synthesized('dev');
  const access = stack.node.findChild('RolloutGateAccess') as RolloutGateAccess;
  const [role, binding] = manifestObjects(template, stack, access.rbac);

  // "Review access policy permissions" (Amazon EKS): where no access policy fits, an access entry
  // names Kubernetes groups that RBAC RoleBindings grant rights to.
  it('puts the deploy role in the rollout readers group through an EKS access entry', () => {
    template.hasResourceProperties('AWS::EKS::AccessEntry', {
      PrincipalArn: deployRoleArn(config),
      KubernetesGroups: [rolloutReadersGroup],
    });
    const entries = Object.values(resourcesOf(template, 'AWS::EKS::AccessEntry')).filter(
      (entry) => entry.Properties?.['PrincipalArn'] === deployRoleArn(config),
    );
    expect(entries.map((entry) => entry.Properties?.['AccessPolicies'])).toEqual([undefined]);
  });

  it('lets that group only read, and only in the service namespace', () => {
    expect(role).toMatchObject({ kind: 'Role', metadata: { namespace: 'order-service' } });
    const rules = (role as unknown as { rules: RbacRule[] }).rules;
    expect(new Set(rules.flatMap((rule) => rule.verbs))).toEqual(new Set(['get', 'list', 'watch']));
    expect(rules.flatMap((rule) => rule.resources)).toEqual([
      'deployments',
      'replicasets',
      'pods',
      'events',
      'pods/log',
      'targetgroupbindings',
    ]);
    expect(binding).toMatchObject({
      kind: 'RoleBinding',
      roleRef: { kind: 'Role', name: 'rollout-reader' },
      subjects: [{ kind: 'Group', name: rolloutReadersGroup }],
    });
  });

  it('is applied after the namespace exists', () => {
    const [rbacId] = logicalIdsOf(stack, access.rbac, kubernetesResourceType);
    const [namespaceId] = logicalIdsOf(stack, stack.serviceNamespace, kubernetesResourceType);
    const rbac = resourcesOf(template, kubernetesResourceType)[rbacId ?? ''];
    expect(rbac?.DependsOn).toContain(namespaceId);
  });
});

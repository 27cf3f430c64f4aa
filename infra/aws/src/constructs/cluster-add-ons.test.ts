import type { CfnElement } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { kubernetesResourceType, logicalIdsOf } from '../testing/kubernetes-manifest.ts';
import { environmentNames, resourcesOf, synthesized } from '../testing/synthesized.ts';

describe.each(environmentNames)('cluster add-ons (%s)', (env) => {
  const { stack, template, config } = synthesized(env);
  const addOns = resourcesOf(template, 'AWS::EKS::Addon');
  const addOnNamed = (name: string) =>
    Object.entries(addOns).find(([, a]) => a.Properties?.['AddonName'] === name) ?? [];
  const idOf = (construct: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(construct.node.defaultChild as CfnElement);

  // AWS, "View resource usage with the Kubernetes Metrics Server": metrics-server "isn't deployed by
  // default in Amazon EKS clusters"; on Fargate port 10250 is reserved and "the Amazon EKS add-on
  // version of Metrics Server is pre-configured to use port 10251". The HPA needs it.
  it('installs metrics-server as a versioned EKS add-on', () => {
    const [, metricsServer] = addOnNamed('metrics-server');
    expect(metricsServer?.Properties).toMatchObject({
      AddonVersion: config.cluster.addOnVersions.metricsServer,
      ResolveConflicts: 'OVERWRITE',
    });
  });

  // CoreDNS on Fargate: the add-on's `computeType: Fargate` setting replaces the compute-type patch
  // aws-cdk-lib otherwise applies to a self-managed CoreDNS (CDK CoreDnsComputeType). AWS, "Manage
  // CoreDNS for DNS in Amazon EKS clusters": CoreDNS runs on Fargate when a profile selects its
  // namespace (the system profile selects kube-system).
  it('manages CoreDNS as a versioned EKS add-on on Fargate, with no self-managed copy to patch', () => {
    const [, coreDns] = addOnNamed('coredns');
    expect(coreDns?.Properties).toMatchObject({
      AddonVersion: config.cluster.addOnVersions.coreDns,
      ConfigurationValues: '{"computeType":"Fargate"}',
      ResolveConflicts: 'OVERWRITE',
    });
    template.hasResourceProperties('AWS::EKS::Cluster', { BootstrapSelfManagedAddons: false });
    expect(Object.keys(resourcesOf(template, 'Custom::AWSCDK-EKS-KubernetesPatch'))).toEqual([]);
  });

  it('installs the add-ons after the kube-system Fargate profile, so their pods can be scheduled', () => {
    const profile = logicalIdsOf(stack, stack.cluster.defaultProfile!, 'AWS::EKS::FargateProfile');
    for (const name of ['coredns', 'metrics-server']) {
      expect(addOnNamed(name)[1]?.DependsOn, name).toEqual(expect.arrayContaining(profile));
    }
  });

  it('brings CoreDNS up before anything that resolves names: controllers and the workload', () => {
    const coreDns = idOf(stack.addOns.coreDns);
    const helm = resourcesOf(template, 'Custom::AWSCDK-EKS-HelmChart');
    for (const [id, chart] of Object.entries(helm)) {
      expect(chart.DependsOn, id).toContain(coreDns);
    }
    const [workload] = logicalIdsOf(stack, stack.workload!.manifest, kubernetesResourceType);
    expect(resourcesOf(template, kubernetesResourceType)[workload ?? '']?.DependsOn).toEqual(
      expect.arrayContaining([coreDns, idOf(stack.addOns.metricsServer)]),
    );
  });
});

import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct, type IDependable } from 'constructs';

export interface AddOnVersions {
  /** e.g. `v1.12.3-eksbuild.1` (aws eks describe-addon-versions --addon-name coredns). */
  readonly coreDns: string;
  /** e.g. `v0.8.0-eksbuild.1` (community add-on `metrics-server`). */
  readonly metricsServer: string;
}

export interface ClusterAddOnsProps {
  readonly cluster: eks.Cluster;
  readonly versions: AddOnVersions;
  /** The Fargate profile of kube-system: add-on pods scheduled before it would stay Pending. */
  readonly systemProfile: IDependable;
}

/**
 * The cluster add-ons the service needs, as versioned EKS add-ons (EKS installs no self-managed ones
 * in this cluster: see cluster.ts). CoreDNS resolves every name in the cluster and runs on Fargate
 * (`computeType: Fargate`); metrics-server feeds the HPA (EKS does not install it; the add-on listens
 * on 10251 because Fargate reserves 10250). kube-proxy and the VPC CNI are not installed: Fargate
 * brings both in every pod's VM, and they would matter only if EC2 nodes joined the cluster.
 */
export class ClusterAddOns extends Construct {
  readonly coreDns: eks.Addon;
  readonly metricsServer: eks.Addon;

  constructor(scope: Construct, id: string, props: ClusterAddOnsProps) {
    super(scope, id);
    this.coreDns = this.addOn('CoreDns', props, 'coredns', props.versions.coreDns, {
      computeType: 'Fargate',
    });
    this.metricsServer = this.addOn(
      'MetricsServer',
      props,
      'metrics-server',
      props.versions.metricsServer,
    );
  }

  private addOn(
    id: string,
    props: ClusterAddOnsProps,
    addonName: string,
    addonVersion: string,
    configurationValues?: Record<string, unknown>,
  ): eks.Addon {
    const addOn = new eks.Addon(this, id, {
      cluster: props.cluster,
      addonName,
      addonVersion,
      preserveOnDelete: false,
      ...(configurationValues ? { configurationValues } : {}),
    });
    // The configuration in code wins over hand edits when the add-on is created or upgraded.
    (addOn.node.defaultChild as eks.CfnAddon).resolveConflicts = 'OVERWRITE';
    addOn.node.addDependency(props.systemProfile);
    return addOn;
  }
}

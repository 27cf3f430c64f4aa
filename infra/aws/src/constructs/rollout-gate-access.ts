import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct, type IDependable } from 'constructs';

export interface RolloutGateAccessProps {
  readonly cluster: eks.ICluster;
  /** The service namespace manifest; the Role must be created after it. */
  readonly namespace: IDependable;
  readonly namespaceName: string;
  /** The deploy role (tools/delivery runs the rollout gate with its credentials). */
  readonly readerRoleArn: string;
}

/** The Kubernetes group the access entry puts the deploy role in; bound only to `rollout-reader`. */
export const rolloutReadersGroup = 'mallhive:rollout-readers';

/**
 * Read-only Kubernetes access for the rollout gate (tools/delivery): exactly what it reads in the
 * service namespace (Deployment, ReplicaSets, Pods and their logs, Events, TargetGroupBindings).
 * No EKS access policy covers pod logs and the Load Balancer Controller's TargetGroupBindings in
 * one namespace, so the access entry names a Kubernetes group bound to a Role of our own ("Review
 * access policy permissions", Amazon EKS user guide).
 */
export class RolloutGateAccess extends Construct {
  /** The Role and RoleBinding. */
  readonly rbac: eks.KubernetesManifest;

  constructor(scope: Construct, id: string, props: RolloutGateAccessProps) {
    super(scope, id);
    const read = ['get', 'list', 'watch'];
    const rbac = props.cluster.addManifest(
      'RolloutReader',
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'rollout-reader', namespace: props.namespaceName },
        rules: [
          { apiGroups: ['apps'], resources: ['deployments', 'replicasets'], verbs: read },
          { apiGroups: [''], resources: ['pods', 'events'], verbs: read },
          { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
          { apiGroups: ['elbv2.k8s.aws'], resources: ['targetgroupbindings'], verbs: read },
        ],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'rollout-readers', namespace: props.namespaceName },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'rollout-reader' },
        subjects: [
          { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: rolloutReadersGroup },
        ],
      },
    );
    rbac.node.addDependency(props.namespace);
    this.rbac = rbac;
    new eks.CfnAccessEntry(this, 'DeployRoleEntry', {
      clusterName: props.cluster.clusterName,
      principalArn: props.readerRoleArn,
      kubernetesGroups: [rolloutReadersGroup],
    });
  }
}
